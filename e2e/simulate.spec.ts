import AxeBuilder from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { adaTokens, autopayRules, DEST, DEST_LABEL, resetSandbox, settleAnimations, walletPath } from './support';

test.beforeEach(async ({ request }) => {
  await resetSandbox(request);
});

const section = (page: Page) => page.getByRole('region', { name: 'Simulate a load' });
const split = (page: Page) => section(page).getByRole('table', { name: 'Simulated split' });
const row = (page: Page, name: string | RegExp) => split(page).getByRole('row', { name });
/** The amount column, read back and added up in cents. */
const sumOfParts = async (page: Page) => {
  const rows = split(page)
    .getByRole('row')
    .filter({ has: page.getByRole('cell') });
  let cents = 0;
  for (const r of await rows.all()) cents += Math.round(Number((await r.getByRole('cell').last().innerText()).replace(/[^\d.]/g, '')) * 100);
  return cents;
};

/** Changes through the console's API, as the SPA sends them (the CSRF header included). */
const api = (request: APIRequestContext) => ({
  addRule: async (user: string, wallet: string, destination_token: string, percentage: number) => {
    const answer = await request.post(`/api/payout/wallet/${user}/${wallet}/autopayout`, {
      headers: { 'x-requested-with': 'XMLHttpRequest' },
      data: { destination_token, percentage },
    });
    expect(answer.ok(), await answer.text()).toBe(true);
  },
  deleteRule: async (user: string, wallet: string, token: string) => {
    const answer = await request.delete(`/api/payout/wallet/${user}/${wallet}/autopayout?token=${encodeURIComponent(token)}`, {
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    });
    expect(answer.ok(), await answer.text()).toBe(true);
  },
});

test("100.01 on Ada's USD wallet: Evergreen 60.00, Lakeside 25.00, 15.01 stays — exactly the amount", async ({ page, request }) => {
  const ada = await adaTokens(request);
  await page.goto(walletPath(ada.user, ada.usd));
  const amount = section(page).getByRole('textbox', { name: 'Amount' });
  await amount.fill('100.01');

  await expect(row(page, new RegExp(`^${DEST_LABEL.evergreen}`))).toContainText('60 %');
  await expect(row(page, new RegExp(`^${DEST_LABEL.evergreen}`))).toContainText('$60.00');
  await expect(row(page, new RegExp(`^${DEST_LABEL.lakeside}`))).toContainText('$25.00');
  await expect(row(page, /^Stays in the wallet/)).toContainText('15 %');
  await expect(row(page, /^Stays in the wallet/)).toContainText('$15.01');
  await expect(split(page).getByRole('row')).toHaveCount(4);
  expect(await sumOfParts(page)).toBe(10_001);

  // Invalid amounts are refused under the field.
  await amount.fill('1.001');
  await expect(section(page).getByText('Amount may have at most two decimals')).toBeVisible();
  await expect(amount).toHaveAttribute('aria-invalid', 'true');
  await expect(split(page)).toHaveCount(0);
  await amount.fill('0');
  await expect(section(page).getByText('Amount must be greater than 0')).toBeVisible();

  // The simulation follows the current rules: after a delete, Lakeside's share stays in the wallet.
  await amount.fill('100.01');
  await expect(row(page, /^Stays in the wallet/)).toContainText('$15.01');
  await page
    .getByRole('table', { name: 'Autopay rules' })
    .getByRole('button', { name: `Delete rule ${DEST_LABEL.lakeside}`, exact: true })
    .click();
  await page.getByRole('alertdialog', { name: 'Delete autopay rule?' }).getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(row(page, /^Stays in the wallet/)).toContainText('$40.01');
  await expect(split(page).getByRole('row')).toHaveCount(3);
  expect(await sumOfParts(page)).toBe(10_001);
});

test('0.03 on a wallet with three 33.33 % rules: nothing can be paid out, all 0.03 stays', async ({ page, request }) => {
  const ada = await adaTokens(request);
  const calls = api(request);
  for (const rule of await autopayRules(request, ada.user, ada.usd)) await calls.deleteRule(ada.user, ada.usd, rule.token);
  for (const destination of [DEST.evergreen, DEST.lakeside, DEST.quickCash]) await calls.addRule(ada.user, ada.usd, destination, 33.33);
  expect((await autopayRules(request, ada.user, ada.usd)).map((r) => r.percentage)).toEqual([33.33, 33.33, 33.33]);

  await page.goto(walletPath(ada.user, ada.usd));
  await expect(page.getByText('99.99 % allocated · 0.01 % unallocated')).toBeVisible();
  const amount = section(page).getByRole('textbox', { name: 'Amount' });
  await amount.fill('0.03');

  const rows = split(page)
    .getByRole('row')
    .filter({ has: page.getByRole('cell') });
  await expect(rows).toHaveCount(4);
  await expect(row(page, new RegExp(`^${DEST_LABEL.evergreen}`))).toContainText('$0.00');
  await expect(row(page, new RegExp(`^${DEST_LABEL.lakeside}`))).toContainText('$0.00');
  await expect(row(page, /^QuickCash Wallet · /)).toContainText('$0.00');
  await expect(row(page, /^Stays in the wallet/)).toContainText('0.01 %');
  await expect(row(page, /^Stays in the wallet/)).toContainText('$0.03');
  expect(await sumOfParts(page)).toBe(3);

  // 100.00: 33.33 each, one cent stays.
  await amount.fill('100');
  await expect(row(page, /^Stays in the wallet/)).toContainText('$0.01');
  await expect(row(page, new RegExp(`^${DEST_LABEL.evergreen}`))).toContainText('$33.33');
  expect(await sumOfParts(page)).toBe(10_000);
});

// The wallet page's newer sections (card, simulation, transactions) filled in, in both themes: the
// general axe spec checks the page as soon as its rules show, before these have loaded.
for (const theme of ['light', 'dark'] as const) {
  test(`axe, ${theme} theme: the card, the simulated split and the transactions have no serious or critical violations`, async ({ page, request }) => {
    const ada = await adaTokens(request);
    await page.emulateMedia({ colorScheme: theme });
    await page.goto('/');
    const toTheme = page.getByRole('button', { name: theme === 'dark' ? 'Use dark theme' : 'Use light theme', exact: true });
    const fromTheme = page.getByRole('button', { name: theme === 'dark' ? 'Use light theme' : 'Use dark theme', exact: true });
    await expect(toTheme.or(fromTheme)).toBeVisible();
    if (await toTheme.isVisible()) await toTheme.click();
    await expect(fromTheme).toBeVisible();

    for (const wallet of [ada.card, ada.usd]) {
      await page.goto(walletPath(ada.user, wallet));
      await expect(fromTheme).toBeVisible();
      if (wallet === ada.card) await expect(page.getByRole('region', { name: 'Card' }).getByText('VISA', { exact: true })).toBeVisible();
      await section(page).getByRole('textbox', { name: 'Amount' }).fill('100.01');
      await expect(row(page, /^Stays in the wallet/)).toBeVisible();
      await expect(split(page).getByLabel('Loading destination')).toHaveCount(0);
      await expect(page.getByRole('table', { name: 'Transactions' })).toHaveAttribute('aria-busy', 'false');
      await settleAnimations(page);

      const results = await new AxeBuilder({ page }).analyze();
      const blocking = results.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
      expect(blocking, JSON.stringify(blocking, null, 2)).toEqual([]);
    }
  });
}
