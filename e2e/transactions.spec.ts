import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { adaTokens, resetSandbox, walletPath } from './support';

test.beforeEach(async ({ request }) => {
  await resetSandbox(request);
});

interface Txn {
  type: string;
  time_of_txn: string;
  source_amount: number;
  source_currency_code: string;
  payer_name?: string;
}

/** The wallet's whole history, newest first, as the console's API gives it. */
const historyOf = async (request: APIRequestContext, user: string, wallet: string): Promise<Txn[]> => {
  const answer = await request.get(`/api/payout/user/${user}/history?wallet_token=${wallet}&number_of_records=100`);
  expect(answer.ok()).toBe(true);
  return answer.json();
};

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

const section = (page: Page) => page.getByRole('region', { name: 'Transactions' });
const table = (page: Page) => section(page).getByRole('table', { name: 'Transactions' });
/** Body rows: the header row has column headers, not cells. */
const rows = (page: Page) =>
  table(page)
    .getByRole('row')
    .filter({ has: page.getByRole('cell') });
const control = (page: Page) => ({
  type: section(page).getByRole('combobox', { name: 'Type' }),
  size: section(page).getByRole('combobox', { name: 'Rows per page' }),
  // Date inputs have no ARIA role: found by their label.
  from: section(page).getByLabel('From', { exact: true }),
  to: section(page).getByLabel('To', { exact: true }),
  previous: section(page).getByRole('button', { name: 'Previous', exact: true }),
  next: section(page).getByRole('button', { name: 'Next', exact: true }),
});

/** Each shown row as "type | amount | payer", to compare with the API's history. */
const shownRows = async (page: Page) =>
  Promise.all(
    (await rows(page).all()).map(async (row) => {
      const cells = row.getByRole('cell');
      return `${await cells.nth(0).innerText()} | ${await cells.nth(2).innerText()} | ${await cells.nth(6).innerText()}`;
    }),
  );
const expectedRows = (txns: Txn[]) =>
  txns.map((t) => `${t.type === 'payout' ? 'Payout' : t.type === 'load' ? 'Load' : t.type} | ${usd.format(t.source_amount)} | ${t.payer_name ?? '—'}`);

test("Ada's USD wallet: pages, page size, type and date filters, all kept in the URL across a reload", async ({ page, request }) => {
  const ada = await adaTokens(request);
  const all = await historyOf(request, ada.user, ada.usd);
  expect(all).toHaveLength(31);
  const c = control(page);

  await page.goto(walletPath(ada.user, ada.usd));
  await expect(section(page).getByRole('heading', { level: 2, name: 'Transactions' })).toBeVisible();

  // First page: 10 rows, newest first.
  await expect(rows(page)).toHaveCount(10);
  await expect(section(page).getByText('Page 1 · rows 1–10')).toBeVisible();
  await expect.poll(() => shownRows(page)).toEqual(expectedRows(all.slice(0, 10)));
  await expect(c.previous).toBeDisabled();

  // Next: other rows.
  const firstPage = await shownRows(page);
  await c.next.click();
  await expect(section(page).getByText('Page 2 · rows 11–20')).toBeVisible();
  await expect.poll(() => shownRows(page)).toEqual(expectedRows(all.slice(10, 20)));
  expect(await shownRows(page)).not.toEqual(firstPage);
  await expect(page).toHaveURL(/[?&]txPage=2(&|$)/);

  // Page size 25: back to page 1 with 25 rows; page 2 is the last (31 rows).
  await c.size.selectOption('25');
  await expect(rows(page)).toHaveCount(25);
  await expect(section(page).getByText('Page 1 · rows 1–25')).toBeVisible();
  await expect(page).toHaveURL(/[?&]txSize=25(&|$)/);
  await expect(page).not.toHaveURL(/txPage=/);
  await c.next.click();
  await expect(rows(page)).toHaveCount(6);
  await expect(c.next).toBeDisabled();

  // Payouts only.
  await c.size.selectOption('10');
  await c.type.selectOption({ label: 'Payouts' });
  await expect(page).toHaveURL(/[?&]txType=payout(&|$)/);
  const payouts = all.filter((t) => t.type === 'payout');
  await expect.poll(() => shownRows(page)).toEqual(expectedRows(payouts.slice(0, 10)));
  await expect(rows(page).filter({ has: page.getByRole('cell', { name: 'Payout', exact: true }) })).toHaveCount(10);

  // A date range (UTC days): the eight newest days that have payouts.
  const days = [...new Set(payouts.map((t) => t.time_of_txn.slice(0, 10)))];
  const [from, to] = [days[7]!, days[0]!];
  const inRange = payouts.filter((t) => t.time_of_txn.slice(0, 10) >= from && t.time_of_txn.slice(0, 10) <= to);
  expect(inRange.length).toBeGreaterThan(10);
  expect(inRange.length).toBeLessThan(payouts.length);
  // From after To is refused first.
  await c.to.fill(from);
  await c.from.fill(to);
  await expect(section(page).getByText('To must be on or after From')).toBeVisible();
  await c.from.fill(from);
  await c.to.fill(to);
  await expect(section(page).getByText('To must be on or after From')).toHaveCount(0);
  await expect(page).toHaveURL(new RegExp(`[?&]txFrom=${from}(&|$)`));
  await expect(page).toHaveURL(new RegExp(`[?&]txTo=${to}(&|$)`));
  await expect.poll(() => shownRows(page)).toEqual(expectedRows(inRange.slice(0, 10)));
  await c.next.click();
  await expect(section(page).getByText(`Page 2 · rows 11–${inRange.length}`)).toBeVisible();
  await expect.poll(() => shownRows(page)).toEqual(expectedRows(inRange.slice(10)));
  await expect(c.next).toBeDisabled();

  // A reload (or the same link elsewhere) reopens the same view.
  const url = page.url();
  await page.reload();
  expect(page.url()).toBe(url);
  await expect(section(page).getByText(`Page 2 · rows 11–${inRange.length}`)).toBeVisible();
  await expect.poll(() => shownRows(page)).toEqual(expectedRows(inRange.slice(10)));
  await expect(c.type).toHaveValue('payout');
  await expect(c.size).toHaveValue('10');
  await expect(c.from).toHaveValue(from);
  await expect(c.to).toHaveValue(to);

  // Previous goes back a page, keeping the filters.
  await c.previous.click();
  await expect(section(page).getByText('Page 1 · rows 1–10')).toBeVisible();
  await expect.poll(() => shownRows(page)).toEqual(expectedRows(inRange.slice(0, 10)));
  await expect(page).not.toHaveURL(/txPage=/);
  await expect(page).toHaveURL(/[?&]txType=payout(&|$)/);
  await expect(c.previous).toBeDisabled();

  // The browser's Back goes to the page before, too.
  await page.goBack();
  await expect(section(page).getByText(`Page 2 · rows 11–${inRange.length}`)).toBeVisible();
});

test('a type with no transactions says so', async ({ page, request }) => {
  const ada = await adaTokens(request);
  await page.goto(`${walletPath(ada.user, ada.usd)}?txType=spendback`);
  await expect(section(page).getByText('No transactions', { exact: true })).toBeVisible();
  await expect(control(page).type).toHaveValue('spendback');
  await expect(table(page)).toHaveCount(0);
});
