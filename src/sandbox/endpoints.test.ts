import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MASSPAY_ERRORS,
  autopayRuleListSchema,
  companiesSchema,
  countryListSchema,
  foundUserSchema,
  loadResultSchema,
  massPayErrorSchema,
  serviceSchema,
  storedUserSchema,
  txnHistoryListSchema,
  walletListSchema,
  cardSchema,
} from '../api';
import { SEED_DESTINATIONS, SEED_PEOPLE } from './seed';
import { startSandbox, type RunningSandbox } from '../../test/sandbox-support';

const { ada, grace, alan } = SEED_PEOPLE;
const UNKNOWN_USER = 'usr_00000000-0000-4000-8000-000000000000';
const UNKNOWN_WALLET = '00000000-0000-4000-8000-000000000000';

let sb: RunningSandbox;
beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(() => sb.close());

const expectMassPayError = (res: { status: number; body: unknown }, status: keyof typeof MASSPAY_ERRORS) => {
  expect(res.status).toBe(status);
  const body = massPayErrorSchema.parse(res.body);
  expect(body.message).toBe(MASSPAY_ERRORS[status].message);
  expect(body.code).toBe(MASSPAY_ERRORS[status].code);
  return body;
};

describe('auth', () => {
  it('accepts the key as Bearer (any case) and bare, as the JS SDK sends it', async () => {
    for (const authorization of [`Bearer ${sb.apiKey}`, `bearer ${sb.apiKey}`, sb.apiKey]) {
      const res = await sb.call('GET', '/payout/country/list', { headers: { authorization } });
      expect(res.status, authorization.slice(0, 7)).toBe(200);
    }
  });

  it('refuses a missing, wrong or other-scheme key with 401 and the MassPay body', async () => {
    for (const authorization of ['', 'Bearer nope', `Basic ${sb.apiKey}`, `${sb.apiKey}x`]) {
      const res = await sb.call('GET', `/payout/wallet/${ada.userToken}`, { headers: { authorization } });
      expectMassPayError(res, 401);
    }
  });
});

describe('#1 wallets', () => {
  it("lists Ada's three wallets with MassPay's fields", async () => {
    const res = await sb.call('GET', `/payout/wallet/${ada.userToken}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const wallets = walletListSchema.parse(res.body);
    expect(wallets.map((w) => [w.type, w.currency_code, w.balance, w.active, w.last_4 ?? null, w.card_type ?? null])).toEqual([
      ['USER_FUNDS', 'USD', 1250.75, true, null, null],
      ['MASSPAY_CARD', 'USD', 310, true, '4242', 'VISA'],
      ['USER_FUNDS', 'USD', 0, false, null, null],
    ]);
    expect(wallets.every((w) => w.user_token === ada.userToken)).toBe(true);
  });

  it('answers [] for Alan, who has no wallets, and 404 for an unknown user', async () => {
    expect((await sb.call('GET', `/payout/wallet/${alan.userToken}`)).body).toEqual([]);
    expectMassPayError(await sb.call('GET', `/payout/wallet/${UNKNOWN_USER}`), 404);
  });
});

describe('#2 rules', () => {
  it("lists Ada's USD rules: 60 % Evergreen, 25 % Lakeside", async () => {
    const res = await sb.call('GET', `/payout/wallet/${ada.userToken}/${ada.usdWallet}/autopayout`);
    const rules = autopayRuleListSchema.parse(res.body);
    expect(rules.map((r) => [r.destination_token, r.percentage])).toEqual([
      [SEED_DESTINATIONS.evergreen, 60],
      [SEED_DESTINATIONS.lakeside, 25],
    ]);
    expect(rules.every((r) => /^autopayout_[0-9a-f-]{36}$/.test(r.token))).toBe(true);
  });

  it("Grace's USD wallet is fully allocated; her EUR wallet has none", async () => {
    const usd = await sb.call('GET', `/payout/wallet/${grace.userToken}/${grace.usdWallet}/autopayout`);
    expect(usd.body.map((r: { percentage: number }) => r.percentage)).toEqual([100]);
    expect((await sb.call('GET', `/payout/wallet/${grace.userToken}/${grace.eurWallet}/autopayout`)).body).toEqual([]);
  });

  it("404s for an unknown wallet, and for another user's wallet", async () => {
    expectMassPayError(await sb.call('GET', `/payout/wallet/${ada.userToken}/${UNKNOWN_WALLET}/autopayout`), 404);
    expectMassPayError(await sb.call('GET', `/payout/wallet/${grace.userToken}/${ada.usdWallet}/autopayout`), 404);
  });
});

describe('#5 card', () => {
  it("returns the card of Ada's MASSPAY_CARD wallet, with its live balance", async () => {
    const res = await sb.call('GET', `/payout/wallet/${ada.userToken}/${ada.cardWallet}/card`);
    const card = cardSchema.parse(res.body);
    expect(card).toMatchObject({ type: 'VISA', status: 'ACTIVE', balance: 310 });
    expect(card.card_number).toMatch(/^\d{16}$/);
    expect(card.card_number.endsWith('4242')).toBe(true);
    expect(card.cvv).toMatch(/^\d{3}$/);
    expect(card.pin_number).toMatch(/^\d{4}$/);
  });

  it('404s for a wallet without a card', async () => {
    expectMassPayError(await sb.call('GET', `/payout/wallet/${ada.userToken}/${ada.usdWallet}/card`), 404);
  });
});

describe('#7 user and #8 lookup', () => {
  it('returns a stored user', async () => {
    const user = storedUserSchema.parse((await sb.call('GET', `/payout/user/${ada.userToken}`)).body);
    expect(user).toMatchObject({ first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com', internal_user_id: 'ext-1001', status: 'ACTIVE' });
  });

  it('routes /payout/user/lookup before /payout/user/{user_token}', async () => {
    const res = await sb.call('GET', '/payout/user/lookup?internal_user_id=ext-1002');
    expect(foundUserSchema.parse(res.body)).toEqual({
      user_token: grace.userToken,
      first_name: 'Grace',
      last_name: 'Hopper',
      internal_user_id: 'ext-1002',
      status: 'ACTIVE',
    });
  });

  it('finds by email + first name (case-insensitive), treating empty values as absent', async () => {
    const res = await sb.call('GET', '/payout/user/lookup?email=ADA%40example.com&first_name=ada&internal_user_id=');
    expect(res.status).toBe(200);
    expect(res.body.user_token).toBe(ada.userToken);
  });

  it('404s when nobody matches, 400 when the query is not one of the two forms', async () => {
    expectMassPayError(await sb.call('GET', '/payout/user/lookup?email=ada%40example.com&first_name=Grace'), 404);
    expectMassPayError(await sb.call('GET', '/payout/user/lookup?internal_user_id=ext-9999999'), 404);
    for (const query of ['', '?email=ada%40example.com', '?first_name=Ada', '?email=not-an-email&first_name=Ada', '?internal_user_id=has%20space']) {
      const body = expectMassPayError(await sb.call('GET', `/payout/user/lookup${query}`), 400);
      expect(body.error?.reason, query).toBeTruthy();
    }
  });

  it('takes all three values at once (the SDKs send all three) when every one matches', async () => {
    expect((await sb.call('GET', '/payout/user/lookup?email=ada%40example.com&first_name=Ada&internal_user_id=ext-1001')).body.user_token).toBe(ada.userToken);
    expectMassPayError(await sb.call('GET', '/payout/user/lookup?email=ada%40example.com&first_name=Ada&internal_user_id=ext-1002'), 404);
  });

  it('404s for an unknown user token and 400s for a malformed one', async () => {
    expectMassPayError(await sb.call('GET', `/payout/user/${UNKNOWN_USER}`), 404);
    const body = expectMassPayError(await sb.call('GET', '/payout/user/not-a-token'), 400);
    expect(body.error?.details?.[0]).toMatch(/^user_token: /);
  });
});

describe('#9 service and #12 catalog', () => {
  it('resolves a destination token to its service and payer', async () => {
    const res = await sb.call('GET', `/payout/service/${SEED_DESTINATIONS.bancoEjemplo}`);
    const service = serviceSchema.parse(res.body);
    expect(service).toMatchObject({ country_code: 'MEX', delivery_type: 'BANK_DEPOSIT' });
    expect(service.payers[0]).toMatchObject({ destination_token: SEED_DESTINATIONS.bancoEjemplo, payer_name: 'Banco Ejemplo' });
    expect(service.payers[0]!.exchange_rate[0]!.currency_symbol).toBe('MXN');
    expect(service.payers[0]!.payer_logo).toBeUndefined();
    const withLogo = await sb.call('GET', `/payout/service/${SEED_DESTINATIONS.bancoEjemplo}?include_payer_logos=true`);
    expect(withLogo.body.payers[0].payer_logo).toMatch(/^[A-Za-z0-9+/=]+$/);
  });

  it('404s for an unknown destination', async () => {
    expectMassPayError(await sb.call('GET', '/payout/service/dest_00000000-0000-4000-8000-000000000000'), 404);
  });

  it('lists countries (literal /country/list before /country/{code})', async () => {
    const countries = countryListSchema.parse((await sb.call('GET', '/payout/country/list')).body);
    expect(countries.length).toBeGreaterThanOrEqual(4);
    expect(countries).toContainEqual({ code: 'MX', name: 'Mexico', three_letter_code: 'MEX' });
  });

  it('lists the services of a country, filtered by currency, payer name, wallet and amount', async () => {
    const all = companiesSchema.parse((await sb.call('GET', '/payout/country/USA?amount=200')).body);
    const payers = all.companies.flatMap((c) => c.services.flatMap((s) => s.payers.map((p) => p.payer_name)));
    expect(payers).toEqual(expect.arrayContaining(['Evergreen Bank', 'Lakeside Credit Union', 'QuickCash Wallet', 'Example Card Services']));
    const quick = (await sb.call('GET', '/payout/country/USA?payer_name=quick')).body;
    expect(quick.companies.flatMap((c: any) => c.services.flatMap((s: any) => s.payers.map((p: any) => p.destination_token)))).toEqual([
      SEED_DESTINATIONS.quickCash,
    ]);
    // Grace's EUR wallet: no USD services in the USA match it.
    expect((await sb.call('GET', `/payout/country/USA?wallet_token=${grace.eurWallet}`)).body.companies).toEqual([]);
    expect((await sb.call('GET', '/payout/country/MEX?destination_currency=USD')).body.companies).toEqual([]);
    expect((await sb.call('GET', '/payout/country/USA?amount=20000')).body.companies).toEqual([]);
    // `limit` caps amount + fee: QuickCash's fee is 0.50, so 100 under a limit of 60 sends 59.50.
    const capped = (await sb.call('GET', '/payout/country/USA?payer_name=quick&amount=100&limit=60')).body;
    expect(capped.companies[0].services[0].payers[0].source_amount).toBe(59.5);
  });

  it('404s an unknown country and 400s a malformed code or an unknown query name', async () => {
    expectMassPayError(await sb.call('GET', '/payout/country/ZZZ'), 404);
    expectMassPayError(await sb.call('GET', '/payout/country/usa'), 400);
    expectMassPayError(await sb.call('GET', '/payout/country/USA?colour=blue'), 400);
  });
});

describe('#10 history', () => {
  it("pages Ada's USD wallet history newest first, with loads and payouts", async () => {
    const first = txnHistoryListSchema.parse(
      (await sb.call('GET', `/payout/user/${ada.userToken}/history?wallet_token=${ada.usdWallet}&number_of_records=5&page=1`)).body,
    );
    const second = txnHistoryListSchema.parse(
      (await sb.call('GET', `/payout/user/${ada.userToken}/history?wallet_token=${ada.usdWallet}&number_of_records=5&page=2`)).body,
    );
    expect(first).toHaveLength(5);
    expect(second).toHaveLength(5);
    const times = [...first, ...second].map((t) => t.time_of_txn);
    expect(times).toEqual([...times].sort().reverse());
    expect(new Set([...first, ...second].map((t) => t.token)).size).toBe(10);
    expect(first.some((row) => 'wallet_token' in row)).toBe(false);
  });

  it('defaults to 10 records and filters by type, including spendback spelled without a space', async () => {
    const all = (await sb.call('GET', `/payout/user/${ada.userToken}/history`)).body;
    expect(all).toHaveLength(10);
    const payouts = txnHistoryListSchema.parse((await sb.call('GET', `/payout/user/${ada.userToken}/history?type=payout&number_of_records=100`)).body);
    expect(payouts.length).toBeGreaterThan(0);
    expect(payouts.every((t) => t.type === 'payout' && t.payer_name && t.delivery_type)).toBe(true);
    expect((await sb.call('GET', `/payout/user/${ada.userToken}/history?type=spendback`)).body).toEqual([]);
    const both = (await sb.call('GET', `/payout/user/${ada.userToken}/history?type=load,payout&number_of_records=100`)).body;
    expect(both.length).toBeGreaterThan(payouts.length);
  });

  it('reconciles: loads minus payouts equal the seeded balance', async () => {
    const rows = txnHistoryListSchema.parse(
      (await sb.call('GET', `/payout/user/${ada.userToken}/history?wallet_token=${ada.usdWallet}&number_of_records=100`)).body,
    );
    const cents = rows.reduce((sum, t) => sum + Math.round(t.source_amount * 100) * (t.type === 'load' ? 1 : -1), 0);
    expect(cents).toBe(125075);
  });

  it('filters by date range and refuses bad filters', async () => {
    const rows = (await sb.call('GET', `/payout/user/${ada.userToken}/history?number_of_records=100`)).body as { time_of_txn: string }[];
    const day = rows[3]!.time_of_txn.slice(0, 10);
    const sameDay = (await sb.call('GET', `/payout/user/${ada.userToken}/history?number_of_records=100&start_date=${day}&end_date=${day}`)).body as {
      time_of_txn: string;
    }[];
    expect(sameDay.length).toBeGreaterThan(0);
    expect(sameDay.every((t) => t.time_of_txn.startsWith(day))).toBe(true);
    for (const query of [
      'type=refund',
      'page=0',
      'number_of_records=1000',
      'start_date=2024-13-45',
      'start_date=2025-02-01&end_date=2025-01-01',
      'show_all_clients=maybe',
      'page=1&page=2',
    ]) {
      expectMassPayError(await sb.call('GET', `/payout/user/${ada.userToken}/history?${query}`), 400);
    }
    expectMassPayError(await sb.call('GET', `/payout/user/${ada.userToken}/history?wallet_token=${grace.usdWallet}`), 404);
  });
});

describe('all users history', () => {
  it('is its own literal route (not user "history") and spans users', async () => {
    const rows = txnHistoryListSchema.parse((await sb.call('GET', '/payout/user/history?number_of_records=100&type=load')).body);
    expect(new Set(rows.map((r) => r.user_token)).size).toBeGreaterThan(2);
    expect(rows.every((r) => r.type === 'load')).toBe(true);
  });
});

describe('#11 load', () => {
  it("lands in the user's first active USD USER_FUNDS wallet and pays its rules out", async () => {
    const before = (await sb.call('GET', `/payout/wallet/${ada.userToken}`)).body[0].balance;
    const res = await sb.call('POST', `/payout/load/${ada.userToken}`, {
      body: { client_load_id: 'load-endpoints-1', source_token: 'src_account', amount: 100.01, notes: 'June' },
    });
    expect(res.status).toBe(200);
    const result = loadResultSchema.parse(res.body);
    expect(result).toMatchObject({ status: 'COMPLETED', wallet_token: ada.usdWallet });
    expect(result.load_token).toMatch(/^ld_/);
    // 60 % of 100.01 = 60.006 → 60.00; 25 % = 25.0025 → 25.00; 15.01 stays.
    const after = (await sb.call('GET', `/payout/wallet/${ada.userToken}`)).body[0].balance;
    expect(Math.round((after - before) * 100)).toBe(1501);
    const recent = (await sb.call('GET', `/payout/user/${ada.userToken}/history?wallet_token=${ada.usdWallet}&number_of_records=3`)).body;
    expect(recent.map((t: any) => [t.type, t.source_amount]).sort()).toEqual([
      ['load', 100.01],
      ['payout', 25],
      ['payout', 60],
    ]);
  });

  it('refuses a repeated client_load_id, a currency without a wallet, and bad bodies', async () => {
    const body = { client_load_id: 'load-endpoints-2', source_token: 'src_account', amount: 5 };
    expect((await sb.call('POST', `/payout/load/${grace.userToken}`, { body })).status).toBe(200);
    const again = expectMassPayError(await sb.call('POST', `/payout/load/${grace.userToken}`, { body }), 400);
    expect(again.error?.details).toEqual([expect.stringMatching(/^client_load_id: /)]);
    expectMassPayError(await sb.call('POST', `/payout/load/${grace.userToken}`, { body: { ...body, client_load_id: 'x3', source_currency_code: 'GBP' } }), 400);
    expectMassPayError(await sb.call('POST', `/payout/load/${alan.userToken}`, { body: { ...body, client_load_id: 'x4' } }), 400);
    expectMassPayError(await sb.call('POST', `/payout/load/${grace.userToken}`, { body: { ...body, amount: -1 } }), 400);
    expectMassPayError(await sb.call('POST', `/payout/load/${UNKNOWN_USER}`, { body: { ...body, client_load_id: 'x5' } }), 404);
  });

  it('schedules a load with a future time_to_process without touching the balance', async () => {
    const before = (await sb.call('GET', `/payout/wallet/${grace.userToken}`)).body[1].balance;
    const res = await sb.call('POST', `/payout/load/${grace.userToken}`, {
      body: {
        client_load_id: 'later-1',
        source_token: 's',
        amount: 10,
        source_currency_code: 'EUR',
        time_to_process: new Date(Date.now() + 86_400_000).toISOString(),
      },
    });
    expect(res.body).toMatchObject({ status: 'SCHEDULED', wallet_token: grace.eurWallet });
    expect((await sb.call('GET', `/payout/wallet/${grace.userToken}`)).body[1].balance).toBe(before);
  });
});

describe('routing', () => {
  it('answers 405 with an Allow header for a known path and another method, 404 for unknown paths', async () => {
    const res = await sb.call('PATCH', `/payout/wallet/${ada.userToken}/${ada.usdWallet}/autopayout`);
    expectMassPayError(res, 405);
    expect(res.headers.get('allow')).toBe('GET, POST, DELETE');
    expectMassPayError(await sb.call('GET', '/payout/nothing/here'), 404);
    expectMassPayError(await sb.call('GET', `/payout/wallet/${ada.userToken}/`), 404);
  });

  it('sends Access-Control-Allow-Origin on answers, as the C# SDK expects', async () => {
    expect((await sb.call('GET', '/payout/country/list')).headers.get('access-control-allow-origin')).toBe('*');
  });
});
