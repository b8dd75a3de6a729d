import { expect, test, type Page } from '@playwright/test';
import { adaTokens, autopayRules, DEST, DEST_LABEL, graceTokens, recordRequests, resetSandbox, sandboxAdmin, shortWalletName, walletPath } from './support';

test.beforeEach(async ({ request }) => {
  await resetSandbox(request);
});

const rulesTable = (page: Page) => page.getByRole('table', { name: 'Autopay rules' });
const deleteRuleName = (label: string | RegExp) =>
  typeof label === 'string' ? { name: `Delete rule ${label}`, exact: true } : { name: new RegExp(`^Delete rule ${label.source.replace(/^\^/, '')}`) };
const deleteButton = (page: Page, label: string | RegExp) => rulesTable(page).getByRole('button', deleteRuleName(label));
// `has` is resolved inside each row, so it starts from the page, not from the table.
const ruleRow = (page: Page, label: string | RegExp) =>
  rulesTable(page)
    .getByRole('row')
    .filter({ has: page.getByRole('button', deleteRuleName(label)) });
const allRuleDeleteButtons = (page: Page) => rulesTable(page).getByRole('button', { name: /^Delete rule / });
const addDialog = (page: Page) => page.getByRole('dialog', { name: 'Add autopay rule' });
const deleteDialog = (page: Page) => page.getByRole('alertdialog', { name: 'Delete autopay rule?' });

const openAdasUsdWallet = async (page: Page, request: Parameters<typeof adaTokens>[0]) => {
  const ada = await adaTokens(request);
  await page.goto(walletPath(ada.user, ada.usd));
  await expect(allRuleDeleteButtons(page)).toHaveCount(2);
  return ada;
};

const openAddDialog = async (page: Page) => {
  await page.getByRole('button', { name: 'Add rule', exact: true }).click();
  const dialog = addDialog(page);
  await expect(dialog).toBeVisible();
  return dialog;
};

const addRule = async (page: Page, destination: string, percentage: string) => {
  const dialog = await openAddDialog(page);
  await dialog.getByRole('textbox', { name: 'Destination token' }).fill(destination);
  await dialog.getByRole('textbox', { name: 'Percentage' }).fill(percentage);
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Rule added' })).toBeVisible();
  await expect(dialog).toBeHidden();
};

const deleteRule = async (page: Page, label: string | RegExp) => {
  await deleteButton(page, label).click();
  const dialog = deleteDialog(page);
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Rule deleted' })).toBeVisible();
  await expect(dialog).toBeHidden();
};

test('Ada’s USD wallet shows its two rules and 85 % allocated', async ({ page, request }) => {
  const ada = await openAdasUsdWallet(page, request);

  await expect(page.getByRole('heading', { level: 1, name: shortWalletName(ada.usd) })).toBeVisible();
  await expect(page.getByText('$1,250.75').first()).toBeVisible();
  await expect(page.getByText('85 % allocated · 15 % unallocated')).toBeVisible();
  await expect(page.getByRole('progressbar', { name: 'Allocation' })).toHaveAttribute('aria-valuenow', '85');

  const evergreen = ruleRow(page, DEST_LABEL.evergreen);
  await expect(evergreen).toContainText(DEST_LABEL.evergreen);
  await expect(evergreen.getByRole('cell', { name: '60 %', exact: true })).toBeVisible();
  const lakeside = ruleRow(page, DEST_LABEL.lakeside);
  await expect(lakeside).toContainText(DEST_LABEL.lakeside);
  await expect(lakeside.getByRole('cell', { name: '25 %', exact: true })).toBeVisible();

  await expect(page.getByRole('button', { name: 'Add rule', exact: true })).toBeEnabled();
});

test('adding 15 % to QuickCash Wallet allocates 100 %', async ({ page, request }) => {
  const ada = await openAdasUsdWallet(page, request);

  const dialog = await openAddDialog(page);
  await expect(dialog.getByRole('textbox', { name: 'Attribute set token' })).toBeVisible();
  await dialog.getByRole('textbox', { name: 'Destination token' }).fill(DEST.quickCash);
  // The destination is resolved to its name while typing.
  await expect(dialog.getByText(/QuickCash Wallet/).first()).toBeVisible();
  await dialog.getByRole('textbox', { name: 'Percentage' }).fill('15');
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();

  await expect(page.getByRole('status').filter({ hasText: 'Rule added' })).toBeVisible();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('100 % allocated · 0 % unallocated')).toBeVisible();
  await expect(page.getByRole('progressbar', { name: 'Allocation' })).toHaveAttribute('aria-valuenow', '100');
  await expect(allRuleDeleteButtons(page)).toHaveCount(3);
  await expect(ruleRow(page, DEST_LABEL.quickCash).getByRole('cell', { name: '15 %', exact: true })).toBeVisible();

  const rules = await autopayRules(request, ada.user, ada.usd);
  expect(rules.find((r) => r.destination_token === DEST.quickCash)?.percentage).toBe(15);

  // Now full: 5 % more is refused before any request is sent.
  const posts = recordRequests(page, 'POST', '/autopayout');
  const add = page.getByRole('button', { name: 'Add rule', exact: true });
  if (await add.isEnabled()) {
    const again = await openAddDialog(page);
    await again.getByRole('textbox', { name: 'Destination token' }).fill(DEST.exampleCard);
    await again.getByRole('textbox', { name: 'Percentage' }).fill('5');
    await again.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(again.getByText(/0 % is unallocated|fully allocated/i).first()).toBeVisible();
  }
  expect(posts).toEqual([]);
  expect(await autopayRules(request, ada.user, ada.usd)).toHaveLength(3);
});

test('a percentage over the unallocated rest is refused before any request is sent', async ({ page, request }) => {
  const ada = await openAdasUsdWallet(page, request);
  const posts = recordRequests(page, 'POST', '/autopayout');

  const dialog = await openAddDialog(page);
  await dialog.getByRole('textbox', { name: 'Destination token' }).fill(DEST.quickCash);
  // 5 % more than the 15 % that is left.
  await dialog.getByRole('textbox', { name: 'Percentage' }).fill('20');
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();

  await expect(dialog.getByText('At most 15 % is unallocated')).toBeVisible();
  await expect(dialog.getByRole('textbox', { name: 'Percentage' })).toHaveAccessibleDescription(/At most 15 % is unallocated/);
  await expect(dialog).toBeVisible();
  // Save once more: still nothing goes out.
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(dialog.getByText('At most 15 % is unallocated')).toBeVisible();

  expect(posts).toEqual([]);
  expect((await sandboxAdmin(request).stats()).byRoute.createAutopayRule).toBeUndefined();
  expect(await autopayRules(request, ada.user, ada.usd)).toHaveLength(2);

  // Cancel leaves everything as it was.
  await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('85 % allocated · 15 % unallocated')).toBeVisible();
});

test('a field’s error appears when leaving the field', async ({ page, request }) => {
  await openAdasUsdWallet(page, request);
  const dialog = await openAddDialog(page);
  const percentage = dialog.getByRole('textbox', { name: 'Percentage' });
  await percentage.fill('20');
  await percentage.blur();
  await expect(dialog.getByText('At most 15 % is unallocated')).toBeVisible();
});

test('a destination in another currency (Banco Ejemplo, MXN) is refused', async ({ page, request }) => {
  const ada = await openAdasUsdWallet(page, request);

  const dialog = await openAddDialog(page);
  const destination = dialog.getByRole('textbox', { name: 'Destination token' });
  await destination.fill(DEST.bancoEjemplo);
  await dialog.getByRole('textbox', { name: 'Percentage' }).fill('5');
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();

  await expect(destination).toHaveAttribute('aria-invalid', 'true');
  await expect(destination).toHaveAccessibleDescription(/MXN/);
  await expect(dialog).toBeVisible();
  // What was typed is kept.
  await expect(destination).toHaveValue(DEST.bancoEjemplo);
  await expect(dialog.getByRole('textbox', { name: 'Percentage' })).toHaveValue('5');

  const rules = await autopayRules(request, ada.user, ada.usd);
  expect(rules.map((r) => r.destination_token).sort()).toEqual([DEST.evergreen, DEST.lakeside].sort());
});

test('picking a country and then a service fills the destination token', async ({ page, request }) => {
  const ada = await openAdasUsdWallet(page, request);

  const dialog = await openAddDialog(page);
  await dialog.getByRole('combobox', { name: 'Country' }).click();
  await page.getByRole('option', { name: /United States/ }).click();
  await dialog.getByRole('combobox', { name: 'Service' }).click();
  await page.getByRole('option', { name: /QuickCash Wallet/ }).click();
  await expect(dialog.getByRole('textbox', { name: 'Destination token' })).toHaveValue(DEST.quickCash);

  await dialog.getByRole('textbox', { name: 'Percentage' }).fill('10');
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Rule added' })).toBeVisible();
  await expect(ruleRow(page, DEST_LABEL.quickCash).getByRole('cell', { name: '10 %', exact: true })).toBeVisible();
  await expect(page.getByText('95 % allocated · 5 % unallocated')).toBeVisible();
  expect((await autopayRules(request, ada.user, ada.usd)).find((r) => r.destination_token === DEST.quickCash)?.percentage).toBe(10);
});

test('delete asks first: Cancel keeps the rule, Delete removes it', async ({ page, request }) => {
  const ada = await openAdasUsdWallet(page, request);
  const deletes = recordRequests(page, 'DELETE', '/autopayout');

  await deleteButton(page, DEST_LABEL.evergreen).click();
  const dialog = deleteDialog(page);
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Evergreen Bank');
  await expect(dialog).toContainText('60 %');
  await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(ruleRow(page, DEST_LABEL.evergreen)).toHaveCount(1);
  expect(deletes).toEqual([]);
  expect(await autopayRules(request, ada.user, ada.usd)).toHaveLength(2);

  await deleteRule(page, DEST_LABEL.evergreen);
  await expect(ruleRow(page, DEST_LABEL.evergreen)).toHaveCount(0);
  await expect(allRuleDeleteButtons(page)).toHaveCount(1);
  await expect(page.getByText('25 % allocated · 75 % unallocated')).toBeVisible();
  expect(deletes).toHaveLength(1);
  expect((await autopayRules(request, ada.user, ada.usd)).map((r) => r.destination_token)).toEqual([DEST.lakeside]);
});

test('changes persist: a reload shows the same rules', async ({ page, request }) => {
  await openAdasUsdWallet(page, request);
  await addRule(page, DEST.quickCash, '15');
  await deleteRule(page, DEST_LABEL.evergreen);
  await expect(page.getByText('40 % allocated · 60 % unallocated')).toBeVisible();

  await page.reload();
  await expect(allRuleDeleteButtons(page)).toHaveCount(2);
  await expect(ruleRow(page, DEST_LABEL.lakeside).getByRole('cell', { name: '25 %', exact: true })).toBeVisible();
  await expect(ruleRow(page, DEST_LABEL.quickCash).getByRole('cell', { name: '15 %', exact: true })).toBeVisible();
  await expect(ruleRow(page, DEST_LABEL.evergreen)).toHaveCount(0);
  await expect(page.getByText('40 % allocated · 60 % unallocated')).toBeVisible();
});

test('Grace’s fully allocated USD wallet refuses a new rule, with a reason', async ({ page, request }) => {
  const grace = await graceTokens(request);
  const posts = recordRequests(page, 'POST', '/autopayout');
  await page.goto(walletPath(grace.user, grace.usd));

  await expect(page.getByText('100 % allocated · 0 % unallocated')).toBeVisible();
  await expect(ruleRow(page, DEST_LABEL.exampleCard).getByRole('cell', { name: '100 %', exact: true })).toBeVisible();

  const add = page.getByRole('button', { name: 'Add rule', exact: true });
  await expect(add).toBeVisible();
  if (await add.isDisabled()) {
    // A disabled button must say why, to sighted and screen-reader users alike.
    const reason = page.getByText(/fully allocated/i);
    if ((await reason.count()) === 0) await expect(add).toHaveAccessibleDescription(/allocated/i);
    else await expect(reason.first()).toBeVisible();
  } else {
    const dialog = await openAddDialog(page);
    await dialog.getByRole('textbox', { name: 'Destination token' }).fill(DEST.quickCash);
    await dialog.getByRole('textbox', { name: 'Percentage' }).fill('1');
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(dialog.getByText(/0 % is unallocated|fully allocated/i).first()).toBeVisible();
  }
  expect(posts).toEqual([]);
  expect(await autopayRules(request, grace.user, grace.usd)).toHaveLength(1);
});

test('a wallet without rules says so', async ({ page, request }) => {
  const grace = await graceTokens(request);
  await page.goto(walletPath(grace.user, grace.eur));
  await expect(page.getByText('No autopay rules')).toBeVisible();
  await expect(page.getByText('0 % allocated · 100 % unallocated')).toBeVisible();
});
