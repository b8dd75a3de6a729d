import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { AutopayRule, BrowserWallet } from '../../../api';
import { walletsCsv } from './wallet-csv';
import { formatAmount, formatPercentage, WALLET_CSV_COLUMNS, walletRows, walletsCsvFileName, type WalletExportInput } from './wallet-rows';

// Pure: no DOM, no server. (It runs in the `app` project with the rest of src/app.)

const USER = 'usr_ba4275f2-bae1-488d-9d6f-20af1cd83574';
const wallet = (over: Partial<BrowserWallet> = {}): BrowserWallet => ({
  token: 'usr_wlt_11111111-1111-4111-8111-111111111111',
  balance: 1250.75,
  currency_code: 'USD',
  type: 'USER_FUNDS',
  active: true,
  ...over,
});
const rule = (n: number, destination: string, percentage: number): AutopayRule => ({
  token: `autopayout_0000000${n}-0000-4000-8000-000000000000`,
  destination_token: destination,
  percentage,
});
const EVERGREEN = 'dest_1a6f3c0e-8d2b-4c59-9e71-2f4b8a0d6c11';
const LAKESIDE = 'dest_2b7a4d1f-9e3c-4d6a-8f82-3a5c9b1e7d22';

const input = (over: Partial<WalletExportInput> = {}): WalletExportInput => ({
  userToken: USER,
  user: { first_name: 'Ada', last_name: 'Lovelace', internal_user_id: 'ext-1001' },
  wallets: [],
  destinationNames: new Map([
    [EVERGREEN, 'Evergreen Bank'],
    [LAKESIDE, 'Lakeside Credit Union'],
  ]),
  ...over,
});

/** The CSV read back by papaparse, as the spreadsheet would see it. */
const readBack = (csv: string) => Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true });

describe('walletRows', () => {
  it('gives a wallet without rules one row, its rule columns empty', () => {
    const card = wallet({ token: 'usr_wlt_22222222-2222-4222-8222-222222222222', type: 'MASSPAY_CARD', card_type: 'VISA', last_4: '4242', balance: 310 });
    expect(walletRows(input({ wallets: [{ wallet: card, rules: [] }] }))).toEqual([
      {
        user_token: USER,
        internal_user_id: 'ext-1001',
        user_name: 'Ada Lovelace',
        wallet_token: card.token,
        wallet_type: 'MASSPAY_CARD',
        currency: 'USD',
        balance: '310.00',
        active: 'true',
        card_brand: 'VISA',
        last_4: '4242',
        rule_token: '',
        destination_token: '',
        destination_name: '',
        percentage: '',
      },
    ]);
  });

  it('gives each rule its own row, in order, with the destination named', () => {
    const usd = wallet();
    const rows = walletRows(
      input({
        wallets: [
          { wallet: usd, rules: [rule(1, EVERGREEN, 60), rule(2, LAKESIDE, 25)] },
          { wallet: wallet({ token: 'usr_wlt_33333333-3333-4333-8333-333333333333', active: false, balance: 0 }), rules: [] },
        ],
      }),
    );
    expect(rows.map((r) => [r.wallet_token, r.destination_name, r.percentage, r.balance, r.active, r.card_brand])).toEqual([
      [usd.token, 'Evergreen Bank', '60', '1250.75', 'true', ''],
      [usd.token, 'Lakeside Credit Union', '25', '1250.75', 'true', ''],
      ['usr_wlt_33333333-3333-4333-8333-333333333333', '', '', '0.00', 'false', ''],
    ]);
    expect(rows[0]!.rule_token).toBe(rule(1, EVERGREEN, 60).token);
  });

  it('leaves the name empty for a destination it could not resolve, and the user columns empty without the user', () => {
    const [row] = walletRows(input({ user: undefined, destinationNames: new Map(), wallets: [{ wallet: wallet(), rules: [rule(1, EVERGREEN, 60)] }] }));
    expect(row).toMatchObject({ user_token: USER, user_name: '', internal_user_id: '', destination_token: EVERGREEN, destination_name: '' });
  });

  it('gives no rows for no wallets', () => {
    expect(walletRows(input())).toEqual([]);
    expect(walletsCsv([]).trimEnd()).toBe(WALLET_CSV_COLUMNS.join(','));
  });
});

describe('number formatting', () => {
  it('writes amounts with their currency’s decimals and no float noise', () => {
    expect(formatAmount(1250.7500000001, 'USD')).toBe('1250.75');
    expect(formatAmount(0.1 + 0.2, 'USD')).toBe('0.30');
    expect(formatAmount(1234567.5, 'EUR')).toBe('1234567.50');
    expect(formatAmount(5000, 'JPY')).toBe('5000');
    expect(formatAmount(1.2345, 'KWD')).toBe('1.235');
    expect(formatAmount(-0, 'USD')).toBe('0.00');
    expect(formatAmount(-12.5, 'USD')).toBe('-12.50');
    expect(formatAmount(12.5, 'PNTS')).toBe('12.50');
  });

  it('writes percentages with at most two decimals', () => {
    expect(formatPercentage(60)).toBe('60');
    expect(formatPercentage(12.5)).toBe('12.5');
    expect(formatPercentage(33.330000000000005)).toBe('33.33');
    expect(formatPercentage(100)).toBe('100');
  });
});

describe('walletsCsv', () => {
  it('has the header row, then one line per row (CRLF)', () => {
    const csv = walletsCsv(walletRows(input({ wallets: [{ wallet: wallet(), rules: [rule(1, EVERGREEN, 60), rule(2, LAKESIDE, 25)] }] })));
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(WALLET_CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(3);
    expect(lines[1]).toBe(
      `${USER},ext-1001,Ada Lovelace,usr_wlt_11111111-1111-4111-8111-111111111111,USER_FUNDS,USD,1250.75,true,,,${rule(1, EVERGREEN, 60).token},${EVERGREEN},Evergreen Bank,60`,
    );
  });

  it('quotes commas, quotes and newlines in names, and they read back intact', () => {
    const names = new Map([
      [EVERGREEN, 'Banco "El Ejemplo", S.A.'],
      [LAKESIDE, 'Lakeside\nCredit Union'],
    ]);
    const user = { first_name: 'Ada, Countess', last_name: 'Lovelace', internal_user_id: 'ext-1001' };
    const csv = walletsCsv(
      walletRows(input({ user, destinationNames: names, wallets: [{ wallet: wallet(), rules: [rule(1, EVERGREEN, 60), rule(2, LAKESIDE, 25)] }] })),
    );
    expect(csv).toContain('"Ada, Countess Lovelace"');
    expect(csv).toContain('"Banco ""El Ejemplo"", S.A."');
    expect(csv).toContain('"Lakeside\nCredit Union"');

    const back = readBack(csv);
    expect(back.errors).toEqual([]);
    expect(back.data.map((r) => [r.user_name, r.destination_name, r.percentage])).toEqual([
      ['Ada, Countess Lovelace', 'Banco "El Ejemplo", S.A.', '60'],
      ['Ada, Countess Lovelace', 'Lakeside\nCredit Union', '25'],
    ]);
  });

  it('defuses text a spreadsheet would run as a formula, but not a negative amount', () => {
    const user = { first_name: '=HYPERLINK("http://evil.example")', last_name: 'X', internal_user_id: '@ext' };
    const [row] = readBack(walletsCsv(walletRows(input({ user, wallets: [{ wallet: wallet({ balance: -12.5 }), rules: [] }] })))).data;
    expect(row!.user_name).toBe(`'=HYPERLINK("http://evil.example") X`);
    expect(row!.internal_user_id).toBe("'@ext");
    expect(row!.balance).toBe('-12.50');
  });
});

describe('walletsCsvFileName', () => {
  const day = new Date(2025, 0, 9, 23, 30);
  it('names the user by internal ID and the local date', () => {
    expect(walletsCsvFileName(USER, { internal_user_id: 'ext-1001' }, day)).toBe('wallets-ext-1001-2025-01-09.csv');
  });
  it('falls back to the user token, and keeps the name safe for any file system', () => {
    expect(walletsCsvFileName(USER, undefined, day)).toBe(`wallets-${USER}-2025-01-09.csv`);
    expect(walletsCsvFileName(USER, { internal_user_id: 'a/b|c~d' }, day)).toBe('wallets-a_b_c_d-2025-01-09.csv');
  });
});
