import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { CONSOLE_APPROVALS_URL } from './env';
import { adaTokens, DEST, deleteButtons, editButtons, resetSandbox, settleAnimations, STAFF, storageStateOf } from './support';

// Four-eyes approval (issue 14) on the console with APPROVAL_POLICY=over:0, in the `stack-2` project
// (whose sandbox it shares): an editor asks for a change in one browser context, the admin decides in
// another. Change requests outlive a sandbox reset (they are the console's, in PostgreSQL): each test
// finds its own by a reason of its own.

test.use({ baseURL: CONSOLE_APPROVALS_URL });

let walletPath: string;
let reason: string;
test.beforeEach(async ({ request }) => {
  await resetSandbox(request);
  const ada = await adaTokens(request);
  walletPath = `/users/${ada.user}/wallets/${ada.usd}`;
  reason = `ticket e2e-${crypto.randomUUID().slice(0, 8)}`;
});

/** The admin's own browser context, on the same console. */
const adminPage = async (browser: Browser, baseURL: string | undefined) => {
  const context = await browser.newContext({ baseURL, storageState: storageStateOf('admin') });
  return context.newPage();
};

/** The editor asks, through the Add rule dialog, for 5 % of every load to QuickCash. */
const requestQuickCash = async (page: Page) => {
  await page.goto(walletPath);
  await page.getByRole('button', { name: 'Add rule' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add autopay rule' });
  await dialog.getByRole('textbox', { name: 'Destination token' }).fill(DEST.quickCash);
  await dialog.getByRole('textbox', { name: 'Percentage' }).fill('5');
  await dialog.getByRole('textbox', { name: 'Reason' }).fill(reason);
  await expect(dialog.getByRole('note').filter({ hasText: 'This change will wait for approval' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Sent for approval' })).toBeVisible();
  await expect(dialog).toBeHidden();
};

const requestRow = (page: Page) => page.getByRole('table', { name: 'Change requests' }).getByRole('row').filter({ hasText: reason });

test('an editor asks, the admin approves in another browser: the rule is made and the history shows both names and the reason', async ({
  page,
  browser,
  baseURL,
}) => {
  await requestQuickCash(page);
  await expect(requestRow(page).getByRole('button', { name: 'Withdraw' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Autopay rules' }).getByRole('row')).toHaveCount(3);

  const admin = await adminPage(browser, baseURL);
  await admin.goto('/');
  await admin.getByRole('link', { name: /^Approvals \(\d+\)$/ }).click();
  await expect(admin).toHaveURL(/\/approvals$/);
  await requestRow(admin).getByRole('button', { name: 'Approve' }).click();
  const dialog = admin.getByRole('dialog', { name: 'Approve change request' });
  await dialog.getByRole('textbox', { name: 'Comment' }).fill('checked with the payee');
  await dialog.getByRole('button', { name: 'Approve' }).click();
  await expect(admin.getByRole('status').filter({ hasText: 'Change approved and applied' })).toBeVisible();
  await admin.context().close();

  await page.reload();
  await expect(page.getByRole('table', { name: 'Autopay rules' }).getByRole('row')).toHaveCount(4);
  const history = page.getByRole('region', { name: 'Change history' });
  await expect(history.getByRole('row').filter({ hasText: reason }).filter({ hasText: STAFF.editor.name }).first()).toBeVisible();
  await expect(history.getByRole('row').filter({ hasText: STAFF.admin.name }).filter({ hasText: 'Approved' }).first()).toBeVisible();
});

test('the admin rejects: nothing is made', async ({ page, browser, baseURL }) => {
  await requestQuickCash(page);
  const admin = await adminPage(browser, baseURL);
  await admin.goto('/approvals?status=pending');
  await requestRow(admin).getByRole('button', { name: 'Reject' }).click();
  const dialog = admin.getByRole('dialog', { name: 'Reject change request' });
  await dialog.getByRole('button', { name: 'Reject' }).click();
  await expect(admin.getByRole('status').filter({ hasText: 'Change request rejected' })).toBeVisible();
  await admin.context().close();

  await page.reload();
  await expect(page.getByRole('table', { name: 'Autopay rules' }).getByRole('row')).toHaveCount(3);
});

test('the editor withdraws their own request', async ({ page }) => {
  await requestQuickCash(page);
  await page.goto('/approvals?status=pending');
  const row = requestRow(page);
  await expect(row.getByRole('button', { name: 'Approve' })).toHaveCount(0);
  await row.getByRole('button', { name: 'Withdraw' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Change request withdrawn' })).toBeVisible();
  await expect(row).toHaveCount(0);
});

/** Serious or critical axe violations on the page as it is now (rule id and the first offending target). */
const blockingViolations = async (page: Page) => {
  await settleAnimations(page);
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes[0]?.target.join(' ')}`);
};

test('the Approvals page at 390 px, by keyboard alone, with no serious or critical axe violation on it or its dialog', async ({ page, browser, baseURL }) => {
  await requestQuickCash(page);
  const admin = await adminPage(browser, baseURL);
  await admin.setViewportSize({ width: 390, height: 844 });
  await admin.goto('/approvals?status=pending');
  const approve = requestRow(admin).getByRole('button', { name: 'Approve' });
  await expect(approve).toBeVisible();
  expect(await blockingViolations(admin)).toEqual([]);
  // Nothing wider than the window but the table itself, which scrolls within the page.
  expect(await admin.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

  await approve.focus();
  await admin.keyboard.press('Enter');
  const dialog = admin.getByRole('dialog', { name: 'Approve change request' });
  await expect(dialog.getByRole('textbox', { name: 'Comment' })).toBeFocused();
  expect(await blockingViolations(admin)).toEqual([]);
  await admin.keyboard.type('by keyboard');
  // Tab past Cancel to Approve, and confirm with Enter.
  await admin.keyboard.press('Tab');
  await admin.keyboard.press('Tab');
  await expect(dialog.getByRole('button', { name: 'Approve' })).toBeFocused();
  await admin.keyboard.press('Enter');
  await expect(admin.getByRole('status').filter({ hasText: 'Change approved and applied' })).toBeVisible();
  await admin.context().close();
});

test('with approvals on, the add, edit and delete dialogs say the change will wait and a payout opens the rules at that time, each with no serious or critical axe violation', async ({
  page,
}) => {
  await page.goto(walletPath);
  await page.getByRole('button', { name: 'Add rule' }).click();
  const add = page.getByRole('dialog', { name: 'Add autopay rule' });
  await add.getByRole('textbox', { name: 'Destination token' }).fill(DEST.quickCash);
  await add.getByRole('textbox', { name: 'Percentage' }).fill('5');
  await expect(add.getByRole('note').filter({ hasText: 'This change will wait for approval' })).toBeVisible();
  expect(await blockingViolations(page)).toEqual([]);
  await page.keyboard.press('Escape');
  await expect(add).toBeHidden();

  await editButtons(page).first().click();
  const edit = page.getByRole('dialog', { name: 'Change percentage' });
  await edit.getByRole('textbox', { name: 'Percentage' }).fill('1');
  await expect(edit.getByRole('note').filter({ hasText: 'This change will wait for approval' })).toBeVisible();
  expect(await blockingViolations(page)).toEqual([]);
  await page.keyboard.press('Escape');
  await expect(edit).toBeHidden();

  await deleteButtons(page).first().click();
  const remove = page.getByRole('alertdialog', { name: 'Delete autopay rule?' });
  await expect(remove.getByRole('note').filter({ hasText: 'This change will wait for approval' })).toBeVisible();
  expect(await blockingViolations(page)).toEqual([]);
  await page.keyboard.press('Escape');
  await expect(remove).toBeHidden();

  await page.getByRole('button', { name: 'Rules at this payout' }).first().click();
  const rulesAt = page.getByRole('dialog', { name: 'Rules at this payout' });
  await expect(rulesAt.getByRole('progressbar')).toHaveCount(0);
  expect(await blockingViolations(page)).toEqual([]);
  await page.keyboard.press('Escape');
  await expect(rulesAt).toBeHidden();
});

test("an admin follows a wallet's history to the audit log filtered to that wallet; an editor is not offered the link", async ({ page, browser, baseURL }) => {
  await requestQuickCash(page);
  const history = page.getByRole('region', { name: 'Change history' });
  await expect(history.getByRole('row').filter({ hasText: reason }).first()).toBeVisible();
  await expect(history.getByRole('link', { name: 'This wallet in the audit log' })).toHaveCount(0);

  const admin = await adminPage(browser, baseURL);
  await admin.goto(walletPath);
  await admin.getByRole('region', { name: 'Change history' }).getByRole('link', { name: 'This wallet in the audit log' }).click();
  const wallet = walletPath.split('/').at(-1)!;
  await expect(admin).toHaveURL(new RegExp(`/audit\\?wallet=${wallet}$`));
  await expect(admin.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
  await expect(admin.getByRole('textbox', { name: 'Wallet token' })).toHaveValue(wallet);
  // The request this test made is in the filtered log, under its reason.
  await expect(admin.getByRole('row').filter({ hasText: reason }).first()).toBeVisible();
  await admin.context().close();
});
