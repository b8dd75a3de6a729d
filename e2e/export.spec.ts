import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import Papa from 'papaparse';
import { adaTokens, resetSandbox, userPath } from './support';

test.beforeEach(async ({ request }) => {
  await resetSandbox(request);
});

test('Export CSV on Ada’s page downloads her wallets with their rules', async ({ page, request }) => {
  const ada = await adaTokens(request);
  await page.goto(userPath(ada.user));
  await expect(page.getByRole('table', { name: 'Wallets' }).getByRole('link', { name: /^Wallet / })).toHaveCount(3);

  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^wallets-ext-1001-\d{4}-\d{2}-\d{2}\.csv$/);
  await expect(page.getByRole('status').filter({ hasText: `Downloaded ${download.suggestedFilename()}` })).toBeVisible();

  const text = (await readFile(await download.path(), 'utf8')).replace(/^\uFEFF/, '');
  const { data, errors, meta } = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
  expect(errors).toEqual([]);
  expect(meta.fields).toEqual([
    'user_token',
    'internal_user_id',
    'user_name',
    'wallet_token',
    'wallet_type',
    'currency',
    'balance',
    'active',
    'card_brand',
    'last_4',
    'rule_token',
    'destination_token',
    'destination_name',
    'percentage',
  ]);
  expect(data).toHaveLength(4);
  for (const row of data) expect(row).toMatchObject({ user_token: ada.user, internal_user_id: 'ext-1001', user_name: 'Ada Lovelace' });

  const usd = data.filter((r) => r.wallet_token === ada.usd);
  expect(usd.map((r) => [r.destination_name, r.percentage])).toEqual([
    ['Evergreen Bank', '60'],
    ['Lakeside Credit Union', '25'],
  ]);
  for (const r of usd) expect(r).toMatchObject({ wallet_type: 'USER_FUNDS', currency: 'USD', balance: '1250.75', active: 'true' });

  const noRules = { rule_token: '', destination_token: '', destination_name: '', percentage: '' };
  expect(data.filter((r) => r.wallet_token === ada.card)).toEqual([
    expect.objectContaining({ wallet_type: 'MASSPAY_CARD', card_brand: 'VISA', last_4: '4242', balance: '310.00', active: 'true', ...noRules }),
  ]);
  expect(data.filter((r) => r.wallet_token === ada.inactive)).toEqual([
    expect.objectContaining({ wallet_type: 'USER_FUNDS', balance: '0.00', active: 'false', card_brand: '', last_4: '', ...noRules }),
  ]);
});
