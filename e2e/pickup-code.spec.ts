import AxeBuilder from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { SANDBOX_API_KEY } from './env';
import { apiAs, CSRF_HEADERS, lookupUserToken, resetSandbox, sandboxURL, settleAnimations, useRole, walletPath, wallets } from './support';

// Issue 16 item 4: a cash pickup's code is masked in history answers; an editor or admin reveals one
// with an explicit action, recorded in the audit log; a viewer cannot.

test.beforeEach(async ({ request }) => {
  await resetSandbox(request);
});

/** Rosalind Franklin (ext-1004) is paid out in cash: her newest pickup payout, as MassPay (the sandbox) holds it. */
const rosalind = async (request: APIRequestContext) => {
  const user = await lookupUserToken(request, 'ext-1004');
  const [wallet] = await wallets(request, user);
  const raw = await request.get(`${sandboxURL()}/payout/user/${user}/history?wallet_token=${wallet!.token}`, {
    headers: { authorization: `Bearer ${SANDBOX_API_KEY}` },
  });
  const rows = (await raw.json()) as { token: string; pickup_code?: string; time_of_txn: string }[];
  const newest = rows.find((row) => row.pickup_code !== undefined)!;
  // The table lists the same rows in the same order (newest first), below its header row.
  return { user, wallet: wallet!.token, newest, newestRow: rows.indexOf(newest) + 1, codes: rows.flatMap((row) => (row.pickup_code ? [row.pickup_code] : [])) };
};

/** No serious or critical axe violation on the page as it is now. */
const expectNoBlockingViolations = async (page: Page) => {
  await settleAnimations(page);
  const results = await new AxeBuilder({ page }).analyze();
  const blocking = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  expect(blocking, JSON.stringify(blocking, null, 2)).toEqual([]);
};

test('codes are masked; an editor reveals the newest one, and the reveal is in the audit log', async ({ page, request, playwright }) => {
  const r = await rosalind(request);
  expect(r.codes.length).toBeGreaterThan(0);
  // Every transactions answer that reaches the page, read on its way in: a body read from a 'response'
  // event afterwards is gone when the page cancelled that request ("No data found for resource").
  const historyAnswers: string[] = [];
  await page.route(
    (url) => url.pathname.endsWith('/history'),
    async (route) => {
      const response = await route.fetch();
      historyAnswers.push(await response.text());
      await route.fulfill({ response });
    },
  );

  await page.goto(walletPath(r.user, r.wallet));
  const table = page.getByRole('table', { name: 'Transactions' });
  await expect(table.getByRole('columnheader', { name: 'Pickup code' })).toBeVisible();
  const withCodes = table.getByRole('row').filter({ has: page.getByRole('button', { name: 'Reveal pickup code' }) });
  await expect(withCodes).toHaveCount(r.codes.length);
  for (const code of r.codes) await expect(table).not.toContainText(code);
  expect(historyAnswers.length).toBeGreaterThan(0);
  for (const body of historyAnswers) for (const code of r.codes) expect(body).not.toContain(code);

  const newest = table.getByRole('row').nth(r.newestRow);
  await expect(newest).toContainText('Pickup code hidden');
  await newest.getByRole('button', { name: 'Reveal pickup code' }).click();
  await expect(newest).toContainText(r.newest.pickup_code!);
  await expect(newest.getByText(r.newest.pickup_code!)).toBeFocused();
  await expect(newest.getByRole('button', { name: 'Reveal pickup code' })).toHaveCount(0);
  // Only that one: the others stay masked.
  await expect(withCodes).toHaveCount(r.codes.length - 1);
  await expectNoBlockingViolations(page);

  const admin = await apiAs(playwright, 'admin');
  try {
    const audit = await (await admin.get(`/api/audit?action=reveal_pickup_code&user=${r.user}`)).json();
    expect(audit.entries).toEqual([
      expect.objectContaining({ outcome: 'succeeded', staffEmail: 'editor@example.com', walletToken: r.wallet, ruleToken: r.newest.token }),
    ]);
  } finally {
    await admin.dispose();
  }
});

test.describe('as a viewer', () => {
  useRole('viewer');

  test('a viewer sees the codes masked, with no Reveal button, and the console refuses the reveal (403)', async ({ page, request }) => {
    const r = await rosalind(request);
    await page.goto(walletPath(r.user, r.wallet));
    const table = page.getByRole('table', { name: 'Transactions' });
    await expect(table.getByRole('columnheader', { name: 'Pickup code' })).toBeVisible();
    await expect(table.getByText('Pickup code hidden')).toHaveCount(r.codes.length);
    await expect(page.getByRole('button', { name: 'Reveal pickup code' })).toHaveCount(0);

    const refused = await request.post(`/api/console/users/${r.user}/wallets/${r.wallet}/transactions/${r.newest.token}/pickup-code`, {
      headers: CSRF_HEADERS,
      data: { day: r.newest.time_of_txn.slice(0, 10) },
    });
    expect(refused.status()).toBe(403);
    expect(await refused.text()).not.toContain(r.newest.pickup_code);
  });
});
