import { expect, test, type Browser, type Page } from '@playwright/test';
import {
  adaTokens,
  addDialog,
  autopayRules,
  consoleChanges,
  CSRF_HEADERS,
  DEST,
  DEST_LABEL,
  deleteButtons,
  editButtons,
  editDialog,
  resetSandbox,
  rulesTable,
  sandboxAdmin,
  startAddingQuickCash,
  storageStateOf,
  tabTo,
  walletPath,
} from './support';

// Rule changes through the console's change path (issue 13, DESIGN §8): a percentage changed in place,
// a reason that reaches the audit log, and the console's own policy judged on fresh data. The sandbox
// runs lenient (SANDBOX_POLICY=lenient, playwright.config.ts): it would take a 105 % wallet, so every
// refusal here is the console's.

test.beforeEach(async ({ request }) => {
  await resetSandbox(request);
});

const editButton = (page: Page, label: string) => rulesTable(page).getByRole('button', { name: `Edit rule ${label}`, exact: true });
// `has` is resolved inside each row, so it starts from the page, not from the table.
const ruleRow = (page: Page, label: string) =>
  rulesTable(page)
    .getByRole('row')
    .filter({ has: page.getByRole('button', { name: `Edit rule ${label}`, exact: true }) });
const auditTable = (page: Page) => page.getByRole('table', { name: 'Audit log' });
const auditRows = (page: Page) =>
  auditTable(page)
    .getByRole('row')
    .filter({ has: page.getByRole('cell') });

/** A second browser, signed in as the admin, next to the test's own (the editor's). */
const openAdminPage = async (browser: Browser) => {
  const context = await browser.newContext({ storageState: storageStateOf('admin') });
  return { context, page: await context.newPage() };
};

// Keyboard only: Tab, Enter, Escape and typing.
test('Edit rule by keyboard alone: 60 % → 70 % on Ada’s USD wallet, the table and the allocation follow', async ({ page, request }) => {
  const ada = await adaTokens(request);
  const before = await autopayRules(request, ada.user, ada.usd);
  const oldEvergreen = before.find((r) => r.destination_token === DEST.evergreen)!;
  await page.goto(walletPath(ada.user, ada.usd));
  await expect(editButtons(page)).toHaveCount(2);
  await expect(page.getByText('85 % allocated · 15 % unallocated')).toBeVisible();

  // Open, then leave with Escape: nothing changes, the focus is back on the button.
  const edit = editButton(page, DEST_LABEL.evergreen);
  await tabTo(page, edit);
  await page.keyboard.press('Enter');
  const dialog = editDialog(page);
  await expect(dialog).toBeVisible();
  const percentage = dialog.getByRole('textbox', { name: 'Percentage' });
  await expect(percentage).toBeFocused();
  await expect(percentage).toHaveValue('60');
  await expect(dialog.getByRole('textbox', { name: 'Reason' })).toBeVisible();
  await expect(dialog).toContainText('MassPay has no update, so the console deletes the old rule and then creates the new one');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(edit).toBeFocused();

  // Again: the current value is selected, typing replaces it, the remainder follows, Enter saves.
  await page.keyboard.press('Enter');
  await expect(dialog).toBeVisible();
  await expect(percentage).toBeFocused();
  await page.keyboard.type('70');
  await expect(percentage).toHaveValue('70');
  await expect(dialog.getByText('Leaves 5 % unallocated')).toBeVisible();
  await page.keyboard.press('Enter');

  await expect(page.getByRole('status').filter({ hasText: /^Rule / })).toContainText(`Rule changed: 60 % → 70 % to ${DEST_LABEL.evergreen}`);
  await expect(dialog).toBeHidden();
  await expect(page.getByText('95 % allocated · 5 % unallocated')).toBeVisible();
  await expect(page.getByRole('progressbar', { name: 'Allocation' })).toHaveAttribute('aria-valuenow', '95');
  await expect(ruleRow(page, DEST_LABEL.evergreen).getByRole('cell', { name: '70 %', exact: true })).toBeVisible();
  await expect(editButtons(page)).toHaveCount(2);
  // The keyboard user is back on the changed row.
  await expect(editButton(page, DEST_LABEL.evergreen)).toBeFocused();

  // MassPay holds a new rule (a new token) at 70 %, and the old one is gone.
  const after = await autopayRules(request, ada.user, ada.usd);
  const evergreen = after.filter((r) => r.destination_token === DEST.evergreen);
  expect(evergreen).toHaveLength(1);
  expect(evergreen[0]!.percentage).toBe(70);
  expect(evergreen[0]!.token).not.toBe(oldEvergreen.token);
  expect(after.map((r) => r.token)).not.toContain(oldEvergreen.token);
  expect(after.find((r) => r.destination_token === DEST.lakeside)?.percentage).toBe(25);

  // And a reload shows the same.
  await page.reload();
  await expect(page.getByText('95 % allocated · 5 % unallocated')).toBeVisible();
  await expect(ruleRow(page, DEST_LABEL.evergreen).getByRole('cell', { name: '70 %', exact: true })).toBeVisible();
});

test('the edit dialog refuses, before any request, a total past 100 % and the current value', async ({ page, request }) => {
  const ada = await adaTokens(request);
  await page.goto(walletPath(ada.user, ada.usd));
  const patches: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'PATCH') patches.push(r.url());
  });
  await editButton(page, DEST_LABEL.evergreen).click();
  const dialog = editDialog(page);
  const percentage = dialog.getByRole('textbox', { name: 'Percentage' });
  await percentage.fill('76');
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(percentage).toHaveAccessibleDescription('At most 75 % fits: the other rules take 25 %');
  await percentage.fill('60');
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(percentage).toHaveAccessibleDescription('This rule already sends 60 %: enter another percentage');
  await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(dialog).toBeHidden();
  expect(patches).toEqual([]);
  expect((await autopayRules(request, ada.user, ada.usd)).map((r) => r.percentage)).toEqual([60, 25]);
});

test('a reason typed in Add rule (and in Change percentage) is in the admin’s audit log', async ({ page, request, browser }) => {
  const ada = await adaTokens(request);
  const addReason = `SUP-311: Ada asked for 12 % to QuickCash ${Date.now()}`;
  const editReason = `SUP-312: raised to 14 % — “per Ada” ${Date.now()}`;

  const dialog = await startAddingQuickCash(page, ada, '12');
  const reason = dialog.getByRole('textbox', { name: 'Reason' });
  await expect(reason).toHaveAccessibleDescription('Optional: why, or a ticket reference');
  await reason.fill(addReason);
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Rule / })).toContainText('Rule added: 12 % to QuickCash Wallet');
  await expect(dialog).toBeHidden();

  const quickCashEdit = rulesTable(page).getByRole('button', { name: new RegExp(`^Edit rule ${DEST_LABEL.quickCash.source.slice(1)}`) });
  await quickCashEdit.click();
  const edit = editDialog(page);
  await edit.getByRole('textbox', { name: 'Percentage' }).fill('14');
  await edit.getByRole('textbox', { name: 'Reason' }).fill(editReason);
  await edit.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Rule / })).toContainText('Rule changed: 12 % → 14 % to QuickCash Wallet');
  await expect(page.getByText('99 % allocated · 1 % unallocated')).toBeVisible();

  const admin = await openAdminPage(browser);
  try {
    const adminPage = admin.page;
    await adminPage.goto(`/audit?user=${ada.user}`);
    await expect(auditTable(adminPage)).toBeVisible();
    // The add: asked for and succeeded, each entry with the reason as typed.
    const added = auditRows(adminPage)
      .filter({ has: adminPage.getByRole('cell', { name: addReason, exact: true }) })
      .filter({ has: adminPage.getByRole('cell', { name: 'Add rule', exact: true }) });
    await expect(added.filter({ has: adminPage.getByRole('cell', { name: 'Succeeded', exact: true }) })).toHaveCount(1);
    await expect(added.first()).toContainText('12 %');
    await expect(added.first()).toContainText('editor@example.com');
    // The change, under its own action, with its reason.
    const changed = auditRows(adminPage).filter({ has: adminPage.getByRole('cell', { name: editReason, exact: true }) });
    await expect(changed.filter({ has: adminPage.getByRole('cell', { name: 'Changed percentage', exact: true }) }).first()).toBeVisible();
    // The audit filter knows the new action.
    await adminPage.getByLabel('Action', { exact: true }).selectOption({ label: 'Changed percentage' });
    await adminPage.getByRole('button', { name: 'Apply filters', exact: true }).click();
    await expect(adminPage).toHaveURL((url) => url.searchParams.get('action') === 'edit_rule');
    await expect(auditRows(adminPage).first()).toBeVisible();
    await expect(auditRows(adminPage).filter({ hasNot: adminPage.getByRole('cell', { name: 'Changed percentage', exact: true }) })).toHaveCount(0);
    await expect(
      auditRows(adminPage)
        .filter({ has: adminPage.getByRole('cell', { name: editReason, exact: true }) })
        .first(),
    ).toBeVisible();
  } finally {
    await admin.context.close();
  }
});

test('a change made meanwhile: Save meets the console’s 409 under Percentage, and the fresh allocation shows', async ({ page, request }) => {
  const ada = await adaTokens(request);
  // The add dialog open with 10 % to QuickCash typed: it fits the 15 % the page knows of.
  const dialog = await startAddingQuickCash(page, ada, '10');
  const percentage = dialog.getByRole('textbox', { name: 'Percentage' });
  const destination = dialog.getByRole('textbox', { name: 'Destination token' });
  await expect(dialog).toContainText('15 % is unallocated');
  await sandboxAdmin(request).resetStats();

  // Meanwhile, through the API with the editor's own session: 10 % to Example Card Services (95 %).
  const meanwhile = await page.request.post(`/api/payout/wallet/${ada.user}/${ada.usd}/autopayout`, {
    headers: CSRF_HEADERS,
    data: { destination_token: DEST.exampleCard, percentage: 10 },
  });
  expect(meanwhile.status(), await meanwhile.text()).toBe(200);

  await dialog.getByRole('button', { name: 'Save', exact: true }).click();

  // The console's refusal, on the field it concerns: only 5 % fits beside the 95 % the wallet holds now.
  await expect(percentage).toHaveAttribute('aria-invalid', 'true');
  await expect(percentage).toHaveAccessibleDescription(/^At most 5 % fits\b.*95 %/);
  await expect(dialog.getByRole('alert')).toHaveCount(0);
  // What was typed is kept, the dialog is open.
  await expect(dialog).toBeVisible();
  await expect(percentage).toHaveValue('10');
  await expect(destination).toHaveValue(DEST.quickCash);
  // The rules and allocation were refreshed: the page and the dialog know the fresh total.
  await expect(page.getByText('95 % allocated · 5 % unallocated')).toBeVisible();
  await expect(dialog).toContainText('5 % is unallocated');

  // Nothing reached MassPay but the change made meanwhile.
  expect((await sandboxAdmin(request).stats()).byRoute.createAutopayRule).toBe(1);

  await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(addDialog(page)).toBeHidden();
  // The table behind the dialog had the new rule already: three rows, Example Card Services' 10 % among them.
  await expect(deleteButtons(page)).toHaveCount(3);
  await expect(
    rulesTable(page)
      .getByRole('row')
      .filter({ has: page.getByRole('cell', { name: '10 %', exact: true }) }),
  ).toHaveCount(1);
  const rules = await autopayRules(request, ada.user, ada.usd);
  expect(rules.map((r) => [r.destination_token, r.percentage])).toEqual([
    [DEST.evergreen, 60],
    [DEST.lakeside, 25],
    [DEST.exampleCard, 10],
  ]);
});

test('the console refuses over 100 % itself, even though the lenient sandbox would take it', async ({ request }) => {
  const ada = await adaTokens(request);
  await sandboxAdmin(request).resetStats();
  const changes = consoleChanges(request);
  const over = await changes.addRule(ada.user, ada.usd, { destination_token: DEST.quickCash, percentage: 20 });
  expect(over.status()).toBe(409);
  expect(over.headers()['content-type']).toMatch(/^application\/problem\+json/);
  const problem = (await over.json()) as { type: string; detail: string; errors?: Record<string, string[]> };
  expect(problem.type).toBe('urn:masspay-console:problem:policy');
  expect(problem.detail).toMatch(/85 %/);
  expect(problem.errors?.percentage?.[0]).toMatch(/15 %/);

  const [evergreen] = await autopayRules(request, ada.user, ada.usd);
  const tooMuch = await changes.changePercentage(ada.user, ada.usd, evergreen!.token, 80);
  expect(tooMuch.status()).toBe(409);
  expect(((await tooMuch.json()) as { type: string }).type).toBe('urn:masspay-console:problem:policy');

  const stats = await sandboxAdmin(request).stats();
  expect(stats.byRoute.createAutopayRule).toBeUndefined();
  expect(stats.byRoute.deleteAutopayRule).toBeUndefined();
  expect((await autopayRules(request, ada.user, ada.usd)).map((r) => r.percentage)).toEqual([60, 25]);
});
