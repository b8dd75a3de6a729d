import { readFile } from 'node:fs/promises';
import { expect, test, type Download, type Page } from '@playwright/test';
import {
  adaTokens,
  addDialog,
  autopayRules,
  deleteButtons,
  DEST,
  DEST_LABEL,
  recordRequests,
  resetSandbox,
  rulesTable,
  sandboxAdmin,
  signInThroughForm,
  staffBadge,
  startAddingQuickCash,
  useRole,
  walletPath,
} from './support';

// The editor's saved session (the project's default) opens the wallet; the session then ends behind
// the page's back (its cookie is cleared: to the server, that is an expired session).
test.beforeEach(async ({ request }) => {
  await resetSandbox(request);
});

const startAdding = (page: Page, ada: { user: string; usd: string }) => startAddingQuickCash(page, ada);

test('the session ends while adding: Save leads to sign-in, then back to the dialog as typed; Save adds the rule once', async ({ page, request, context }) => {
  const ada = await adaTokens(request);
  const dialog = await startAdding(page, ada);
  await sandboxAdmin(request).resetStats();
  const posts = recordRequests(page, 'POST', '/autopayout');

  await context.clearCookies();
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();

  // To the sign-in page, which knows where to return.
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await expect(page).toHaveURL((url) => url.pathname === '/login' && url.searchParams.get('next') === walletPath(ada.user, ada.usd));
  await expect(page.getByText('Sign in to continue where you were.')).toBeVisible();
  expect(posts).toHaveLength(1);
  // The console refused it (401) before MassPay was asked.
  expect((await sandboxAdmin(request).stats()).byRoute.createAutopayRule).toBeUndefined();
  expect(await autopayRules(request, ada.user, ada.usd)).toHaveLength(2);

  // Signing in again returns to the wallet with the dialog open and what was typed.
  await signInThroughForm(page, 'editor');
  await expect(page).toHaveURL((url) => url.pathname === walletPath(ada.user, ada.usd));
  await expect(staffBadge(page, 'editor')).toBeVisible();
  await expect(addDialog(page)).toBeVisible();
  await expect(addDialog(page).getByRole('textbox', { name: 'Destination token' })).toHaveValue(DEST.quickCash);
  await expect(addDialog(page).getByRole('textbox', { name: 'Percentage' })).toHaveValue('12');

  await addDialog(page).getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Rule added' })).toBeVisible();
  await expect(addDialog(page)).toBeHidden();
  await expect(deleteButtons(page)).toHaveCount(3);
  const quickCash = rulesTable(page)
    .getByRole('row')
    .filter({ has: page.getByRole('button', { name: new RegExp(`^Delete rule ${DEST_LABEL.quickCash.source.slice(1)}`) }) });
  await expect(quickCash).toHaveCount(1);
  await expect(quickCash.getByRole('cell', { name: '12 %', exact: true })).toBeVisible();
  await expect(page.getByText('97 % allocated · 3 % unallocated')).toBeVisible();

  // Exactly one rule was made, by exactly one request to MassPay.
  const rules = await autopayRules(request, ada.user, ada.usd);
  expect(rules).toHaveLength(3);
  expect(rules.filter((r) => r.destination_token === DEST.quickCash).map((r) => r.percentage)).toEqual([12]);
  expect((await sandboxAdmin(request).stats()).byRoute.createAutopayRule).toBe(1);
  expect(posts).toHaveLength(2);

  // The draft is used up: a reload shows the wallet without the dialog.
  await page.reload();
  await expect(deleteButtons(page)).toHaveCount(3);
  await expect(addDialog(page)).toHaveCount(0);
});

test('a draft left at an expired session is not handed to another staff member who signs in', async ({ page, request, context }) => {
  const ada = await adaTokens(request);
  const dialog = await startAdding(page, ada);

  await context.clearCookies();
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();

  // The admin (who may change rules too) signs in at the same browser: the wallet, no editor's dialog.
  await signInThroughForm(page, 'admin');
  await expect(page).toHaveURL((url) => url.pathname === walletPath(ada.user, ada.usd));
  await expect(staffBadge(page, 'admin')).toBeVisible();
  await expect(deleteButtons(page)).toHaveCount(2);
  await expect(page.getByRole('button', { name: 'Add rule', exact: true })).toBeEnabled();
  await expect(addDialog(page)).toHaveCount(0);
  expect(await autopayRules(request, ada.user, ada.usd)).toHaveLength(2);
});

test.describe('as the admin', () => {
  useRole('admin');

  test('the session ends on a filtered audit log: signing in again returns to the same filters', async ({ page, request, context }) => {
    const ada = await adaTokens(request);
    const audit = `/audit?user=${ada.user}&action=add_rule`;
    await page.goto(audit);
    await expect(page.getByLabel('User token', { exact: true })).toHaveValue(ada.user);
    await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();

    await context.clearCookies();
    await page.getByLabel('Action', { exact: true }).selectOption({ label: 'Delete rule' });
    await page.getByRole('button', { name: 'Apply filters', exact: true }).click();

    // The next request meets the ended session: to /login, which remembers the page and its filters.
    const next = `/audit?user=${ada.user}&action=delete_rule`;
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
    await expect(page).toHaveURL((url) => url.pathname === '/login' && url.searchParams.get('next') === next);

    await signInThroughForm(page, 'admin');
    await expect(page).toHaveURL((url) => `${url.pathname}${url.search}` === next);
    await expect(page.getByLabel('User token', { exact: true })).toHaveValue(ada.user);
    await expect(page.getByLabel('Action', { exact: true })).toHaveValue('delete_rule');
    await expect(page.getByText(/^Showing \d+(–\d+)? of \d+$/)).toBeVisible();
  });

  test('the session ends on a filtered audit log: Export CSV leads to sign-in, not to a file, then back; Export CSV then downloads', async ({
    page,
    request,
    context,
  }) => {
    const ada = await adaTokens(request);
    const audit = `/audit?user=${ada.user}&action=add_rule`;
    await page.goto(audit);
    await expect(page.getByText(/^Showing \d+(–\d+)? of \d+$/)).toBeVisible();
    const downloads: Download[] = [];
    page.on('download', (download) => downloads.push(download));

    await context.clearCookies();
    await page.getByRole('link', { name: 'Export CSV', exact: true }).click();

    // Not the server's 401 saved as a file or shown as JSON: the sign-in page, which remembers the filters.
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
    await expect(page).toHaveURL((url) => url.pathname === '/login' && url.searchParams.get('next') === audit);
    expect(downloads).toEqual([]);

    await signInThroughForm(page, 'admin');
    await expect(page).toHaveURL((url) => `${url.pathname}${url.search}` === audit);
    await expect(page.getByLabel('User token', { exact: true })).toHaveValue(ada.user);
    await expect(page.getByLabel('Action', { exact: true })).toHaveValue('add_rule');

    const downloading = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Export CSV', exact: true }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^audit-log-\d{4}-\d{2}-\d{2}\.csv$/);
    const [header] = (await readFile(await download.path(), 'utf8')).replace(/^\uFEFF/, '').split(/\r?\n/);
    expect(header).toContain('user_token');
    expect(downloads).toHaveLength(1);
  });
});
