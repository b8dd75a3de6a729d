import { readFile } from 'node:fs/promises';
import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import Papa from 'papaparse';
import {
  adaTokens,
  apiAs,
  autopayRules,
  consoleChanges,
  DEST,
  DEST_LABEL,
  resetSandbox,
  sandboxAdmin,
  shortToken,
  SIGNED_OUT,
  signInThroughForm,
  STAFF,
  staffBadge,
  storageStateOf,
  useRole,
  walletPath,
} from './support';

test.beforeEach(async ({ request }) => {
  await resetSandbox(request);
});

const rulesTable = (page: Page) => page.getByRole('table', { name: 'Autopay rules' });
const auditTable = (page: Page) => page.getByRole('table', { name: 'Audit log' });
/** The audit table's entry rows (not its header row). */
const auditRows = (page: Page) =>
  auditTable(page)
    .getByRole('row')
    .filter({ has: page.getByRole('cell') });
const VIEWER_NOTE = 'You can view these rules. Changing them needs the editor role.';
const NOT_ADMIN = 'Only admins can read the audit log.';

/** A second browser, signed in as the admin, next to the test's own (the editor's). */
const openAdminPage = async (browser: Browser) => {
  const context = await browser.newContext({ storageState: storageStateOf('admin') });
  return { context, page: await context.newPage() };
};

/** "Showing 1–25 of 73": there only once the page's entries have come (not while the last ones are kept). */
const showing = (page: Page) => page.getByText(/^Showing \d+(–\d+)? of \d+$/);

/**
 * Types the filters that are given into the audit page's form (the others keep what they hold) and
 * applies them; returns when the URL holds them and the entries they select have come.
 */
const applyAuditFilters = async (
  page: Page,
  filters: { user?: string; staff?: string; action?: 'Any action' | 'Add rule' | 'Delete rule'; from?: string; to?: string },
) => {
  if (filters.user !== undefined) await page.getByLabel('User token', { exact: true }).fill(filters.user);
  if (filters.staff !== undefined) await page.getByLabel('Staff email', { exact: true }).fill(filters.staff);
  if (filters.action !== undefined) await page.getByLabel('Action', { exact: true }).selectOption({ label: filters.action });
  if (filters.from !== undefined) await page.getByLabel('From', { exact: true }).fill(filters.from);
  if (filters.to !== undefined) await page.getByLabel('To', { exact: true }).fill(filters.to);
  const before = page.url();
  // The filtered page's own answer: until it has come, the table shows the previous page (marked busy).
  const filtered = page.waitForResponse((response) => {
    const url = new URL(response.url());
    return url.pathname === '/api/audit' && (filters.user === undefined || url.searchParams.get('user') === filters.user);
  });
  await page.getByRole('button', { name: 'Apply filters', exact: true }).click();
  await expect.poll(() => page.url(), { message: 'the filters go into the URL' }).not.toBe(before);
  await filtered;
  await expect(showing(page)).toBeVisible();
};

const cellText = (row: Locator, name: string | RegExp) => row.getByRole('cell', { name, exact: typeof name === 'string' });
const utcDay = (offsetDays = 0) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

test.describe('a viewer', () => {
  useRole('viewer');

  test('reads a wallet’s rules but has no Add rule, Edit rule or Delete rule buttons, and is told why; the API refuses changes', async ({ page, request }) => {
    const ada = await adaTokens(request);
    await page.goto(walletPath(ada.user, ada.usd));
    await expect(staffBadge(page, 'viewer')).toBeVisible();
    await expect(rulesTable(page)).toContainText(DEST_LABEL.evergreen);
    await expect(rulesTable(page)).toContainText(DEST_LABEL.lakeside);
    await expect(page.getByText('85 % allocated · 15 % unallocated')).toBeVisible();
    await expect(page.getByText(VIEWER_NOTE)).toBeVisible();

    await expect(page.getByRole('button', { name: 'Add rule' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: /^Delete rule/ })).toHaveCount(0);
    await expect(page.getByRole('button', { name: /^Edit rule/ })).toHaveCount(0);
    await expect(page.getByRole('link', { name: 'Audit log' })).toHaveCount(0);

    // Around the SPA, straight to the API: 403, and MassPay is never asked.
    await sandboxAdmin(request).resetStats();
    const changes = consoleChanges(request);
    const add = await changes.addRule(ada.user, ada.usd, { destination_token: DEST.quickCash, percentage: 5 });
    expect(add.status()).toBe(403);
    expect(add.headers()['content-type']).toMatch(/^application\/problem\+json/);
    const [evergreen] = await autopayRules(request, ada.user, ada.usd);
    expect((await changes.deleteRule(ada.user, ada.usd, evergreen!.token)).status()).toBe(403);
    expect((await changes.changePercentage(ada.user, ada.usd, evergreen!.token, 50)).status()).toBe(403);
    const stats = await sandboxAdmin(request).stats();
    expect(stats.byRoute.createAutopayRule).toBeUndefined();
    expect(stats.byRoute.deleteAutopayRule).toBeUndefined();
    expect(await autopayRules(request, ada.user, ada.usd)).toHaveLength(2);
  });

  test('opening /audit says only admins can read the audit log', async ({ page, request }) => {
    await page.goto('/audit');
    await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
    await expect(page.getByRole('alert')).toHaveText(NOT_ADMIN);
    await expect(auditTable(page)).toHaveCount(0);
    await expect(page.getByRole('link', { name: 'Export CSV' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Apply filters' })).toHaveCount(0);
    expect((await request.get('/api/audit')).status()).toBe(403);
    expect((await request.get('/api/audit/export')).status()).toBe(403);
  });
});

test('an editor may change rules but not read the audit log', async ({ page, request }) => {
  const ada = await adaTokens(request);
  await page.goto(walletPath(ada.user, ada.usd));
  await expect(staffBadge(page, 'editor')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Add rule', exact: true })).toBeEnabled();
  await expect(rulesTable(page).getByRole('button', { name: /^Delete rule / })).toHaveCount(2);
  await expect(rulesTable(page).getByRole('button', { name: /^Edit rule / })).toHaveCount(2);
  await expect(page.getByText(VIEWER_NOTE)).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Audit log' })).toHaveCount(0);

  await page.goto('/audit');
  await expect(page.getByRole('alert')).toHaveText(NOT_ADMIN);
  await expect(auditTable(page)).toHaveCount(0);
  expect((await request.get('/api/audit')).status()).toBe(403);
});

test('an editor’s “Rule deleted” message goes with Sign out: the next staff member to sign in never reads it', async ({ browser, request }) => {
  const ada = await adaTokens(request);
  // A sign-in of its own: signing out ends that session on the server, and the shared editor one must live on.
  const context = await browser.newContext({ storageState: SIGNED_OUT });
  try {
    const page = await context.newPage();
    await page.goto('/login');
    await signInThroughForm(page, 'editor');
    await expect(staffBadge(page, 'editor')).toBeVisible();
    await page.goto(walletPath(ada.user, ada.usd));
    await rulesTable(page)
      .getByRole('button', { name: `Delete rule ${DEST_LABEL.lakeside}`, exact: true })
      .click();
    await page.getByRole('alertdialog', { name: 'Delete autopay rule?' }).getByRole('button', { name: 'Delete', exact: true }).click();
    const deleted = page.getByRole('status').filter({ hasText: `Rule deleted: 25 % to ${DEST_LABEL.lakeside}` });
    await expect(deleted).toBeVisible();

    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
    // Counted at once, not waited for: the message would fade by itself after a few seconds.
    expect(await deleted.count()).toBe(0);

    await signInThroughForm(page, 'viewer');
    await expect(staffBadge(page, 'viewer')).toBeVisible();
    expect(await page.getByRole('status').filter({ hasText: 'Rule deleted' }).count()).toBe(0);
  } finally {
    await context.close();
  }
});

test('an editor’s add through the dialog is in the admin’s audit log, filtered by user, and in its CSV export', async ({ page, request, browser }) => {
  const ada = await adaTokens(request);

  // The editor adds 7 % to QuickCash Wallet, as autopay.spec does.
  await page.goto(walletPath(ada.user, ada.usd));
  await page.getByRole('button', { name: 'Add rule', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Add autopay rule' });
  await dialog.getByRole('textbox', { name: 'Destination token' }).fill(DEST.quickCash);
  await dialog.getByRole('textbox', { name: 'Percentage' }).fill('7');
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Rule added' })).toBeVisible();
  await expect(dialog).toBeHidden();
  const added = (await autopayRules(request, ada.user, ada.usd)).find((r) => r.destination_token === DEST.quickCash);
  expect(added?.percentage).toBe(7);

  // The admin, in a browser of their own, follows the app bar's link to the audit log.
  const admin = await openAdminPage(browser);
  try {
    const adminPage = admin.page;
    await adminPage.goto('/');
    await expect(staffBadge(adminPage, 'admin')).toBeVisible();
    await adminPage.getByRole('link', { name: 'Audit log', exact: true }).click();
    await expect(adminPage).toHaveURL((url) => url.pathname === '/audit');
    await expect(adminPage.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();

    await applyAuditFilters(adminPage, { user: ada.user });
    await expect(adminPage).toHaveURL((url) => url.searchParams.get('user') === ada.user);
    // Every row is Ada's; the add is there twice: asked for, then how MassPay answered.
    await expect(auditRows(adminPage).first()).toBeVisible();
    await expect(auditTable(adminPage)).toHaveAttribute('aria-busy', 'false');
    await expect(auditRows(adminPage).filter({ hasNotText: shortToken(ada.user) })).toHaveCount(0);
    await expect(auditRows(adminPage).first()).toBeVisible();

    const succeeded = auditRows(adminPage).filter({ hasText: shortToken(added!.token) });
    await expect(succeeded).toHaveCount(1);
    await expect(cellText(succeeded, 'Add rule')).toBeVisible();
    await expect(cellText(succeeded, 'Succeeded')).toBeVisible();
    await expect(cellText(succeeded, /^editor@example\.com/)).toContainText('editor');
    await expect(succeeded).toContainText(shortToken(DEST.quickCash));
    await expect(succeeded).toContainText(shortToken(ada.usd));
    await expect(cellText(succeeded, '7 %')).toBeVisible();
    const requested = auditRows(adminPage)
      .filter({ has: adminPage.getByRole('cell', { name: 'Requested', exact: true }) })
      .filter({ has: adminPage.getByRole('cell', { name: '7 %', exact: true }) })
      .filter({ hasText: STAFF.editor.email });
    await expect(requested).toHaveCount(1);

    // The CSV export of this view holds the add, and only Ada's entries.
    const downloading = adminPage.waitForEvent('download');
    await adminPage.getByRole('link', { name: 'Export CSV', exact: true }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^audit-log-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = (await readFile(await download.path(), 'utf8')).replace(/^\uFEFF/, '');
    const { data, errors } = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
    expect(errors).toEqual([]);
    expect(data.length).toBeGreaterThanOrEqual(2);
    for (const row of data) expect(row.user_token).toBe(ada.user);
    expect(data.filter((row) => row.rule_token === added!.token)).toEqual([
      expect.objectContaining({
        staff_email: STAFF.editor.email,
        staff_role: 'editor',
        action: 'add_rule',
        outcome: 'succeeded',
        wallet_token: ada.usd,
        destination_token: DEST.quickCash,
        percentage: '7',
        masspay_status: expect.stringMatching(/^2\d\d$/),
      }),
    ]);
    expect(data.filter((row) => row.outcome === 'requested' && row.destination_token === DEST.quickCash && row.percentage === '7')).toHaveLength(1);
  } finally {
    await admin.context.close();
  }
});

test('the admin’s audit log: a refused change, filters by staff, action and day, Clear filters, and paging', async ({ request, browser, playwright }) => {
  const ada = await adaTokens(request);
  // Enough of Ada's entries for a second page of 25: seven adds and deletes, four entries each.
  const changes = consoleChanges(request);
  for (let i = 0; i < 7; i++) {
    const add = await changes.addRule(ada.user, ada.usd, { destination_token: DEST.quickCash, percentage: 1 });
    expect(add.ok(), await add.text()).toBe(true);
    const { token } = (await add.json()) as { token: string };
    const remove = await changes.deleteRule(ada.user, ada.usd, token);
    expect(remove.ok(), await remove.text()).toBe(true);
  }
  // A viewer's attempt: refused, and recorded as such.
  const viewer = await apiAs(playwright, 'viewer');
  try {
    expect((await consoleChanges(viewer).addRule(ada.user, ada.usd, { destination_token: DEST.quickCash, percentage: 3 })).status()).toBe(403);
  } finally {
    await viewer.dispose();
  }

  const admin = await openAdminPage(browser);
  try {
    const page = admin.page;
    await page.goto('/audit');
    await expect(auditRows(page).first()).toBeVisible();

    // Paging through Ada's entries.
    await applyAuditFilters(page, { user: ada.user });
    // The filtered page has been drawn (the previous one stays on screen, busy, until then).
    await expect(page.getByRole('table', { name: 'Audit log' })).toHaveAttribute('aria-busy', 'false');
    await expect(showing(page)).toHaveText(/^Showing 1–25 of \d+$/);
    const total = Number((await showing(page).innerText()).split(' of ')[1]);
    expect(total).toBeGreaterThanOrEqual(29);
    await expect(auditRows(page)).toHaveCount(25);
    await expect(page.getByRole('button', { name: 'Previous page' })).toBeDisabled();
    await page.getByRole('button', { name: 'Next page' }).click();
    await expect(page).toHaveURL((url) => url.searchParams.get('page') === '2' && url.searchParams.get('user') === ada.user);
    await expect(showing(page)).toHaveText(`Showing 26–${Math.min(total, 50)} of ${total}`);
    await expect(auditRows(page)).toHaveCount(Math.min(total, 50) - 25);
    await page.getByRole('button', { name: 'Previous page' }).click();
    await expect(showing(page)).toHaveText(/^Showing 1–25 of \d+$/);

    // The viewer's refused attempt.
    await applyAuditFilters(page, { staff: STAFF.viewer.email });
    await expect(page).toHaveURL((url) => url.searchParams.get('staff') === STAFF.viewer.email && !url.searchParams.has('page'));
    const forbidden = auditRows(page).filter({ has: page.getByRole('cell', { name: 'Forbidden', exact: true }) });
    await expect(forbidden.first()).toBeVisible();
    // Retried until the filtered page has replaced the previous one: no row of anyone else is left.
    await expect(auditRows(page).filter({ hasNotText: STAFF.viewer.email })).toHaveCount(0);
    await expect(forbidden.first()).toBeVisible();

    // The editor's deletes today (UTC): every row a delete by the editor; the filters survive a reload.
    await applyAuditFilters(page, { staff: STAFF.editor.email, action: 'Delete rule', from: utcDay(), to: utcDay() });
    await expect(showing(page)).toHaveText(/^Showing 1–\d+ of \d+$/);
    // Retried until the filtered page is in: every row a delete by the editor, and there are many.
    await expect(auditRows(page).filter({ hasNotText: STAFF.editor.email })).toHaveCount(0);
    await expect(auditRows(page).filter({ hasNot: page.getByRole('cell', { name: 'Delete rule', exact: true }) })).toHaveCount(0);
    await expect.poll(() => auditRows(page).count()).toBeGreaterThanOrEqual(14);
    await page.reload();
    await expect(page.getByLabel('Staff email', { exact: true })).toHaveValue(STAFF.editor.email);
    await expect(page.getByLabel('Action', { exact: true })).toHaveValue('delete_rule');
    await expect(page.getByLabel('From', { exact: true })).toHaveValue(utcDay());

    // Nothing tomorrow.
    await applyAuditFilters(page, { from: utcDay(1), to: utcDay(1) });
    await expect(page.getByText('No audit entries')).toBeVisible();
    await expect(page.getByText('None match these filters.')).toBeVisible();

    // Clear filters: the whole log again, the form and the URL empty.
    await page.getByRole('button', { name: 'Clear filters', exact: true }).click();
    await expect(page).toHaveURL((url) => url.pathname === '/audit' && url.search === '');
    for (const field of ['User token', 'Staff email', 'From', 'To']) await expect(page.getByLabel(field, { exact: true })).toHaveValue('');
    await expect(page.getByLabel('Action', { exact: true })).toHaveValue('');
    await expect(auditRows(page)).toHaveCount(25);
  } finally {
    await admin.context.close();
  }
});
