import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { CONSOLE_B_URL, CONSOLE_URL } from './env';
import {
  adaTokens,
  apiAs,
  autopayRules,
  CSRF_HEADERS,
  deleteButtons,
  DEST,
  DEST_LABEL,
  resetSandbox,
  type Role,
  rulesTable,
  shortToken,
  SIGNED_OUT,
  signInThroughForm,
  STAFF,
  staffBadge,
  storageStateOf,
  walletPath,
} from './support';

// Two replicas of the console (issue 7, item 6), started by playwright.config.ts: A on CONSOLE_URL and
// B on CONSOLE_B_URL, separate processes sharing the sandbox, the staff file, one PostgreSQL audit
// store and SESSION_SECRET. This spec addresses both itself (it runs once, in A's project).

test.beforeEach(async ({ request }) => {
  await resetSandbox(request);
});

const REPLICAS = { A: CONSOLE_URL, B: CONSOLE_B_URL } as const;
type Replica = keyof typeof REPLICAS;
const other = (replica: Replica): Replica => (replica === 'A' ? 'B' : 'A');

const quickCashDelete = (page: Page) => rulesTable(page).getByRole('button', { name: new RegExp(`^Delete rule ${DEST_LABEL.quickCash.source.slice(1)}`) });
const auditTable = (page: Page) => page.getByRole('table', { name: 'Audit log' });
const auditRows = (page: Page) =>
  auditTable(page)
    .getByRole('row')
    .filter({ has: page.getByRole('cell') });

/** Who `/auth/me` of `replica` says the context's session belongs to (null when nobody). */
const whoAmI = async (context: BrowserContext, replica: Replica) => {
  const answer = await context.request.get(`${REPLICAS[replica]}/auth/me`);
  if (answer.status() === 401) return null;
  expect(answer.status(), await answer.text()).toBe(200);
  return (await answer.json()) as { email: string; name: string; role: Role };
};

const signedOutContext = (browser: Browser) => browser.newContext({ storageState: SIGNED_OUT });

for (const [first, second] of [
  ['A', 'B'],
  ['B', 'A'],
] as const) {
  test(`signed in through replica ${first}’s form, replica ${second} knows the same staff member`, async ({ browser }) => {
    const context = await signedOutContext(browser);
    try {
      const page = await context.newPage();
      expect(await whoAmI(context, first)).toBeNull();
      expect(await whoAmI(context, second)).toBeNull();

      await page.goto(`${REPLICAS[first]}/login`);
      await signInThroughForm(page, 'admin');
      await expect(staffBadge(page, 'admin')).toBeVisible();

      const profile = { email: STAFF.admin.email, name: STAFF.admin.name, role: 'admin' };
      expect(await whoAmI(context, first)).toMatchObject(profile);
      expect(await whoAmI(context, second)).toMatchObject(profile);
      // And the SPA of the other replica opens signed in, on a page only an admin may read.
      await page.goto(`${REPLICAS[second]}/audit`);
      await expect(staffBadge(page, 'admin')).toBeVisible();
      await expect(auditTable(page)).toBeVisible();
    } finally {
      await context.close();
    }
  });
}

test('the run’s saved sessions (made on A) are accepted by both replicas, each role as itself', async ({ playwright }) => {
  for (const role of ['viewer', 'editor', 'admin'] as const) {
    for (const replica of ['A', 'B'] as const) {
      const api = await apiAs(playwright, role, REPLICAS[replica]);
      try {
        const me = await api.get('/auth/me');
        expect(me.status(), `${role} on ${replica}`).toBe(200);
        expect(await me.json()).toMatchObject(STAFF[role]);
        // The role holds on either replica: only the admin reads the audit log.
        expect((await api.get('/api/audit')).status(), `${role} reads /api/audit on ${replica}`).toBe(role === 'admin' ? 200 : 403);
      } finally {
        await api.dispose();
      }
    }
  }
});

test('an add on A is in B’s rules table and B’s audit log; a delete on B is in A’s', async ({ page, browser, request }) => {
  const ada = await adaTokens(request);

  // The editor adds 9 % to QuickCash Wallet through replica A's dialog.
  await page.goto(`${REPLICAS.A}${walletPath(ada.user, ada.usd)}`);
  await expect(deleteButtons(page)).toHaveCount(2);
  await page.getByRole('button', { name: 'Add rule', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Add autopay rule' });
  await dialog.getByRole('textbox', { name: 'Destination token' }).fill(DEST.quickCash);
  await dialog.getByRole('textbox', { name: 'Percentage' }).fill('9');
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Rule added' })).toBeVisible();
  const added = (await autopayRules(request, ada.user, ada.usd)).find((r) => r.destination_token === DEST.quickCash);
  expect(added?.percentage).toBe(9);

  // The same editor's browser on replica B: the rule is there (one sandbox behind both).
  await page.goto(`${REPLICAS.B}${walletPath(ada.user, ada.usd)}`);
  await expect(staffBadge(page, 'editor')).toBeVisible();
  await expect(deleteButtons(page)).toHaveCount(3);
  await expect(quickCashDelete(page)).toHaveCount(1);
  await expect(page.getByText('94 % allocated · 6 % unallocated')).toBeVisible();

  // The admin reads replica B's audit log: A's add, asked for and succeeded (one PostgreSQL behind both).
  const admin = await browser.newContext({ storageState: storageStateOf('admin') });
  try {
    const adminPage = await admin.newPage();
    await adminPage.goto(`${REPLICAS.B}/audit?user=${ada.user}&action=add_rule`);
    await expect(auditTable(adminPage)).toHaveAttribute('aria-busy', 'false');
    const succeeded = auditRows(adminPage).filter({ hasText: shortToken(added!.token) });
    await expect(succeeded).toHaveCount(1);
    await expect(succeeded.getByRole('cell', { name: 'Succeeded', exact: true })).toBeVisible();
    await expect(succeeded).toContainText(STAFF.editor.email);
    await expect(succeeded.getByRole('cell', { name: '9 %', exact: true })).toBeVisible();

    // The editor deletes it on B; A's audit log has the delete, read through A's API.
    await quickCashDelete(page).click();
    const confirm = page.getByRole('alertdialog', { name: 'Delete autopay rule?' });
    await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Rule deleted' })).toBeVisible();
    await expect(deleteButtons(page)).toHaveCount(2);

    const onA = await admin.request.get(`${REPLICAS.A}/api/audit?user=${ada.user}&action=delete_rule&limit=100`);
    expect(onA.status()).toBe(200);
    const { entries } = (await onA.json()) as { entries: { ruleToken: string | null; outcome: string; staffEmail: string }[] };
    expect(
      entries
        .filter((e) => e.ruleToken === added!.token)
        .map((e) => [e.outcome, e.staffEmail])
        .sort(),
    ).toEqual(
      [
        ['requested', STAFF.editor.email],
        ['succeeded', STAFF.editor.email],
      ].sort(),
    );
    // And the SPA of A shows the wallet as B left it.
    await page.goto(`${REPLICAS.A}${walletPath(ada.user, ada.usd)}`);
    await expect(deleteButtons(page)).toHaveCount(2);
    await expect(quickCashDelete(page)).toHaveCount(0);
  } finally {
    await admin.close();
  }
});

for (const replica of ['A', 'B'] as const) {
  test(`Sign out on replica ${replica} signs the browser out of both, and ends the session: a copy of its cookie taken before is refused by both`, async ({
    browser,
  }) => {
    const context = await signedOutContext(browser);
    try {
      const page = await context.newPage();
      await page.goto(`${REPLICAS[other(replica)]}/login`);
      await signInThroughForm(page, 'editor');
      await expect(staffBadge(page, 'editor')).toBeVisible();
      expect(await whoAmI(context, replica)).toMatchObject({ email: STAFF.editor.email });
      const before = await context.cookies();

      await page.goto(`${REPLICAS[replica]}/`);
      await expect(staffBadge(page, 'editor')).toBeVisible();
      await page.getByRole('button', { name: 'Sign out', exact: true }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();

      // Signed out on both: no session cookie is left to send.
      expect(await whoAmI(context, 'A')).toBeNull();
      expect(await whoAmI(context, 'B')).toBeNull();
      await page.goto(`${REPLICAS[other(replica)]}/`);
      await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
      const change = await context.request.post(`${REPLICAS[other(replica)]}/api/payout/wallet/x/y/autopayout`, { headers: CSRF_HEADERS, data: {} });
      expect(change.status()).toBe(401);

      // A copy of the cookie taken before sign-out: the replica that signed it out refuses it at once, the
      // other once it has read the list of ended sessions again (every 2 s; README "Sessions").
      // Sent by plain fetch, which keeps no cookies: a 401's clearing Set-Cookie cannot hide the copy.
      const copy = { cookie: before.map(({ name, value }) => `${name}=${value}`).join('; ') };
      const meWithCopy = async (on: Replica) => (await fetch(`${REPLICAS[on]}/auth/me`, { headers: copy })).status;
      expect(await meWithCopy(replica)).toBe(401);
      await expect.poll(() => meWithCopy(other(replica)), { timeout: 10_000 }).toBe(401);
      const changeWithCopy = await fetch(`${REPLICAS[other(replica)]}/api/payout/wallet/x/y/autopayout`, {
        method: 'POST',
        headers: { ...copy, ...CSRF_HEADERS, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(changeWithCopy.status).toBe(401);
    } finally {
      await context.close();
    }
  });
}
