/**
 * Wire-compatibility proof (DESIGN §3, §6): the official MassPay client, npm `masspay-js-sdk` 2.0.0
 * (API 1.0.0), drives a real sandbox over HTTP. Every answer is parsed with the `src/api` schema of
 * its route (`.parse`, so a mismatch fails), and values are checked against the seed of DESIGN §3.
 *
 * The SDK is used exactly as a MassPay customer would: `BASE` is the sandbox's root (it serves
 * `/payout/...` there) and the key goes in `AUTHORIZER_NAME_API_KEY`, which the SDK sends bare in
 * `Authorization`. Errors surface as the SDK's own `ApiError`.
 */
import { ApiError, Error400, Error401, Error404, MasspayJsSdk } from 'masspay-js-sdk';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import {
  MASSPAY_ERRORS,
  autopayRuleListSchema,
  autopayRuleSchema,
  companiesSchema,
  countryListSchema,
  deleteAutopayRuleResultSchema,
  foundUserSchema,
  loadResultSchema,
  massPayErrorSchema,
  serviceSchema,
  storedUserSchema,
  txnHistoryListSchema,
  walletListSchema,
  type Companies,
  type TxnHistory,
} from '../api';
import { SEED_DESTINATIONS, SEED_PEOPLE } from './seed';
import { startSandbox, type RunningSandbox } from '../../test/sandbox-support';

const { ada, grace, alan } = SEED_PEOPLE;
const D = SEED_DESTINATIONS;

/** Well-formed tokens that name nothing in the seed: the sandbox must answer 404, not 400. */
const UNKNOWN_USER = 'usr_00000000-0000-4000-8000-000000000000';
const UNKNOWN_WALLET = '00000000-0000-4000-8000-000000000001';
const UNKNOWN_RULE = 'autopayout_00000000-0000-4000-8000-000000000002';

/** The fixed sentences of the SDK's own error models (one-value enums): the wire truth, independent of src/api. */
const sdkSentence = (e: Record<string, string>) => Object.values(e)[0];

/** An SDK client for `running`, with its key unless another (or `{ key: undefined }`, none) is given. */
const sdkFor = (running: RunningSandbox, options: { key?: string | undefined } = { key: running.apiKey }) =>
  new MasspayJsSdk({ BASE: running.baseUrl, AUTHORIZER_NAME_API_KEY: options.key });

/** Awaits a call that must fail, and returns the SDK's `ApiError` after checking its body is MassPay's error body. */
const apiErrorOf = async (call: Promise<unknown>): Promise<ApiError> => {
  let outcome: unknown;
  try {
    outcome = await call;
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    const apiError = error as ApiError;
    massPayErrorSchema.parse(apiError.body);
    return apiError;
  }
  throw new Error(`Expected the SDK to throw an ApiError, but it resolved with ${JSON.stringify(outcome)}`);
};

/** Money in integer cents, and one rule's share of a load as the brief defines it: floor(cents × bp / 10000). */
const cents = (amount: number) => Math.round(amount * 100);
const shareCents = (amountCents: number, percentage: number) => Math.floor((amountCents * Math.round(percentage * 100)) / 10_000);
const sumCents = (rows: readonly TxnHistory[]) => rows.reduce((sum, row) => sum + cents(row.source_amount), 0);

const payersOf = (companies: Companies) => companies.companies.flatMap((c) => c.services.flatMap((s) => s.payers.map((p) => ({ ...p, service: s }))));

/** The last ≤100 history rows of a user, through the SDK (its page size defaults to 10). */
const historyOf = async (sdk: MasspayJsSdk, userToken: string, filter: { type?: 'payout' | 'load' | 'spendback'; wallet?: string } = {}) =>
  txnHistoryListSchema.parse(await sdk.UserService.getUserHistory(userToken, undefined, undefined, filter.type, filter.wallet, undefined, 100));

const walletOf = async (sdk: MasspayJsSdk, userToken: string, walletToken: string) => {
  const wallet = walletListSchema.parse(await sdk.WalletService.getWallet(userToken)).find((w) => w.token === walletToken);
  if (!wallet) throw new Error(`wallet ${walletToken} not listed for ${userToken}`);
  return wallet;
};

describe('masspay-js-sdk reads the seed', () => {
  let running: RunningSandbox;
  let sdk: MasspayJsSdk;

  beforeAll(async () => {
    running = await startSandbox();
    sdk = sdkFor(running);
  });
  afterAll(() => running?.close());

  it('WalletService.getWallet lists Ada’s three wallets with their seeded values', async () => {
    const wallets = walletListSchema.parse(await sdk.WalletService.getWallet(ada.userToken));
    expect(wallets).toHaveLength(3);
    expect(wallets.every((w) => w.user_token === ada.userToken)).toBe(true);
    const byToken = new Map(wallets.map((w) => [w.token, w]));
    expect(byToken.get(ada.usdWallet)).toMatchObject({ type: 'USER_FUNDS', currency_code: 'USD', balance: 1250.75, active: true });
    expect(byToken.get(ada.cardWallet)).toMatchObject({
      type: 'MASSPAY_CARD',
      currency_code: 'USD',
      balance: 310,
      card_type: 'VISA',
      last_4: '4242',
      active: true,
    });
    expect(byToken.get(ada.inactiveWallet)).toMatchObject({ type: 'USER_FUNDS', currency_code: 'USD', balance: 0, active: false });
  });

  it('WalletService.getWallet answers an empty list for Alan, who has no wallets', async () => {
    expect(walletListSchema.parse(await sdk.WalletService.getWallet(alan.userToken))).toEqual([]);
  });

  it('WalletService.getAutopayoutRules lists Ada’s USD rules: 60 % Evergreen and 25 % Lakeside', async () => {
    const rules = autopayRuleListSchema.parse(await sdk.WalletService.getAutopayoutRules(ada.userToken, ada.usdWallet));
    expect(rules.map(({ destination_token, percentage }) => ({ destination_token, percentage }))).toEqual([
      { destination_token: D.evergreen, percentage: 60 },
      { destination_token: D.lakeside, percentage: 25 },
    ]);
    expect(rules.every((r) => r.token.startsWith('autopayout_'))).toBe(true);
    expect(autopayRuleListSchema.parse(await sdk.WalletService.getAutopayoutRules(ada.userToken, ada.cardWallet))).toEqual([]);
    const graceRules = autopayRuleListSchema.parse(await sdk.WalletService.getAutopayoutRules(grace.userToken, grace.usdWallet));
    expect(graceRules).toMatchObject([{ destination_token: D.exampleCard, percentage: 100 }]);
  });

  it('UserService.getUserByToken returns Ada’s stored profile', async () => {
    const user = storedUserSchema.parse(await sdk.UserService.getUserByToken(ada.userToken));
    expect(user).toMatchObject({
      user_token: ada.userToken,
      status: 'ACTIVE',
      first_name: 'Ada',
      last_name: 'Lovelace',
      email: 'ada@example.com',
      internal_user_id: 'ext-1001',
      timezone: 'Europe/London',
    });
    expect(Number.isNaN(Date.parse(user.created_on))).toBe(false);
  });

  it('UserService.userLookup finds Ada by email and first name, the internal id sent empty or left out', async () => {
    const expected = { user_token: ada.userToken, first_name: 'Ada', last_name: 'Lovelace', internal_user_id: 'ext-1001' };
    // '' is sent as `internal_user_id=`; undefined is dropped from the query by the SDK.
    const withEmpty = foundUserSchema.parse(await sdk.UserService.userLookup('ada@example.com', 'Ada', ''));
    expect(withEmpty).toMatchObject(expected);
    const withUndefined = foundUserSchema.parse(await sdk.UserService.userLookup('ada@example.com', 'Ada', undefined as unknown as string));
    expect(withUndefined).toMatchObject(expected);
  });

  it('UserService.userLookup finds a user by internal_user_id alone', async () => {
    const graceFound = foundUserSchema.parse(await sdk.UserService.userLookup('', '', 'ext-1002'));
    expect(graceFound).toMatchObject({ user_token: grace.userToken, first_name: 'Grace', last_name: 'Hopper', internal_user_id: 'ext-1002' });
    const none = undefined as unknown as string;
    const alanFound = foundUserSchema.parse(await sdk.UserService.userLookup(none, none, 'ext-1003'));
    expect(alanFound).toMatchObject({ user_token: alan.userToken, first_name: 'Alan', last_name: 'Turing', internal_user_id: 'ext-1003' });
  });

  it('CatalogService.getDestinationToken describes QuickCash (USD) and Banco Ejemplo (MXN)', async () => {
    const quickCash = serviceSchema.parse(await sdk.CatalogService.getDestinationToken(D.quickCash));
    expect(quickCash).toMatchObject({ country_code: 'USA', delivery_type: 'MOBILE_WALLET' });
    expect(quickCash.payers).toHaveLength(1);
    expect(quickCash.payers[0]).toMatchObject({ destination_token: D.quickCash, payer_name: 'QuickCash Wallet', fee: 0.5 });
    expect(quickCash.payers[0]!.exchange_rate[0]!.currency_symbol).toBe('USD');
    expect(quickCash.payers[0]!.payer_logo).toBeUndefined();

    const banco = serviceSchema.parse(await sdk.CatalogService.getDestinationToken(D.bancoEjemplo, true));
    expect(banco).toMatchObject({ country_code: 'MEX', delivery_type: 'BANK_DEPOSIT' });
    expect(banco.payers[0]).toMatchObject({ destination_token: D.bancoEjemplo, payer_name: 'Banco Ejemplo' });
    expect(banco.payers[0]!.exchange_rate[0]!.currency_symbol).toBe('MXN');
    expect(banco.payers[0]!.payer_logo).toEqual(expect.any(String));
  });

  it('CatalogService.getCountryList lists the seeded countries', async () => {
    const countries = countryListSchema.parse(await sdk.CatalogService.getCountryList());
    expect(countries).toEqual(
      expect.arrayContaining([
        { code: 'US', name: 'United States', three_letter_code: 'USA' },
        { code: 'MX', name: 'Mexico', three_letter_code: 'MEX' },
        { code: 'DE', name: 'Germany', three_letter_code: 'DEU' },
      ]),
    );
    expect(countries.length).toBeGreaterThanOrEqual(4);
  });

  it('CatalogService.getCountryServices groups a country’s payers by company, with the SDK’s default query', async () => {
    // The SDK always sends amount=200 and include_payer_logos=false.
    const usa = payersOf(companiesSchema.parse(await sdk.CatalogService.getCountryServices('USA')));
    const usaTokens = usa.map((p) => p.destination_token);
    expect(usaTokens).toEqual(expect.arrayContaining([D.evergreen, D.lakeside, D.quickCash, D.exampleCard]));
    expect(usaTokens).not.toContain(D.bancoEjemplo);
    expect(usa.every((p) => p.service.country_code === 'USA' && p.exchange_rate[0]?.currency_symbol === 'USD')).toBe(true);
    expect(usa.find((p) => p.destination_token === D.quickCash)).toMatchObject({ payer_name: 'QuickCash Wallet', service: { delivery_type: 'MOBILE_WALLET' } });

    const mex = payersOf(companiesSchema.parse(await sdk.CatalogService.getCountryServices('MEX')));
    const banco = mex.find((p) => p.destination_token === D.bancoEjemplo);
    expect(banco).toMatchObject({ payer_name: 'Banco Ejemplo', service: { delivery_type: 'BANK_DEPOSIT' } });
    expect(banco!.exchange_rate[0]!.currency_symbol).toBe('MXN');

    const byName = payersOf(companiesSchema.parse(await sdk.CatalogService.getCountryServices('USA', undefined, undefined, undefined, undefined, 'quickcash')));
    expect(byName.map((p) => p.destination_token)).toEqual([D.quickCash]);
  });

  it('CatalogService.getCountryServices tailors to a wallet: Ada’s USD wallet sees no MXN payer', async () => {
    const forUsdWallet = companiesSchema.parse(await sdk.CatalogService.getCountryServices('MEX', undefined, ada.usdWallet, ada.userToken));
    expect(payersOf(forUsdWallet)).toEqual([]);
    const inUsa = payersOf(companiesSchema.parse(await sdk.CatalogService.getCountryServices('USA', undefined, ada.usdWallet, ada.userToken)));
    expect(inUsa.map((p) => p.destination_token)).toEqual(expect.arrayContaining([D.evergreen, D.lakeside]));
  });

  it('UserService.getUserHistory filters by wallet_token, and the USD wallet’s rows reconcile with its balance', async () => {
    const usdRows = await historyOf(sdk, ada.userToken, { wallet: ada.usdWallet });
    const loads = usdRows.filter((r) => r.type === 'load');
    const payouts = usdRows.filter((r) => r.type === 'payout');
    // An opening balance and ten loads, each split by the two rules.
    expect(loads).toHaveLength(11);
    expect(payouts).toHaveLength(20);
    expect(usdRows).toHaveLength(31);
    expect(loads.every((r) => r.destination_token === ada.usdWallet && r.destination_currency_code === 'USD')).toBe(true);
    expect(new Set(payouts.map((r) => r.destination_token))).toEqual(new Set([D.evergreen, D.lakeside]));
    expect(usdRows.some((r) => r.destination_token === ada.cardWallet)).toBe(false);
    expect(sumCents(loads) - sumCents(payouts)).toBe(cents(1250.75));
    const times = usdRows.map((r) => r.time_of_txn);
    expect(times).toEqual([...times].sort().reverse());

    const cardRows = await historyOf(sdk, ada.userToken, { wallet: ada.cardWallet });
    expect(cardRows).toHaveLength(1);
    expect(cardRows[0]).toMatchObject({ type: 'load', destination_token: ada.cardWallet, source_amount: 310, status: 'COMPLETED' });
  });

  it('UserService.getUserHistory honours the SDK’s default page size (10) and the type filter', async () => {
    const firstPage = txnHistoryListSchema.parse(await sdk.UserService.getUserHistory(ada.userToken, undefined, undefined, undefined, ada.usdWallet));
    expect(firstPage).toHaveLength(10);
    const payouts = await historyOf(sdk, ada.userToken, { type: 'payout' });
    expect(payouts).toHaveLength(20);
    expect(payouts.every((r) => r.type === 'payout' && r.source_currency_code === 'USD')).toBe(true);
  });
});

describe('masspay-js-sdk sees MassPay’s error bodies as ApiError', () => {
  let running: RunningSandbox;
  let sdk: MasspayJsSdk;

  beforeAll(async () => {
    running = await startSandbox();
    sdk = sdkFor(running);
  });
  afterAll(() => running?.close());

  it('a src/api 404 sentence is the SDK’s own Error404 sentence (and likewise 400, 401)', () => {
    expect(MASSPAY_ERRORS[404].message).toBe(sdkSentence(Error404.message));
    expect(MASSPAY_ERRORS[400].message).toBe(sdkSentence(Error400.message));
    expect(MASSPAY_ERRORS[401].message).toBe(sdkSentence(Error401.message));
  });

  it('an unknown user is a 404 ApiError carrying MassPay’s fixed 404 body', async () => {
    const error = await apiErrorOf(sdk.UserService.getUserByToken(UNKNOWN_USER));
    expect(error.status).toBe(404);
    expect(error.message).toBe('Not found.'); // the SDK's own text for a declared 404
    expect(error.body.message).toBe(MASSPAY_ERRORS[404].message);
    expect(error.body).toMatchObject({ code: 404, title: 'Not found.' });

    const wallets = await apiErrorOf(sdk.WalletService.getWallet(UNKNOWN_USER));
    expect(wallets.status).toBe(404);
    expect(wallets.body.message).toBe(MASSPAY_ERRORS[404].message);
  });

  it('an unknown wallet, an unmatched lookup and an unknown rule token are 404s too', async () => {
    const wallet = await apiErrorOf(sdk.WalletService.getAutopayoutRules(ada.userToken, UNKNOWN_WALLET));
    expect(wallet.status).toBe(404);
    // Another user's wallet is not this user's.
    const foreign = await apiErrorOf(sdk.WalletService.getAutopayoutRules(alan.userToken, ada.usdWallet));
    expect(foreign.status).toBe(404);
    const lookup = await apiErrorOf(sdk.UserService.userLookup('nobody@example.com', 'Nobody', ''));
    expect(lookup.status).toBe(404);
    expect(lookup.body.message).toBe(MASSPAY_ERRORS[404].message);
    const rule = await apiErrorOf(sdk.WalletService.deleteAutopayoutRule(ada.userToken, ada.usdWallet, UNKNOWN_RULE));
    expect(rule.status).toBe(404);
  });

  it('a rule over 100 % is a 400 ApiError with error.reason naming the percentage', async () => {
    const single = await apiErrorOf(sdk.WalletService.createAutopayoutRule(ada.userToken, ada.cardWallet, { destination_token: D.quickCash, percentage: 150 }));
    expect(single.status).toBe(400);
    expect(single.body.message).toBe(MASSPAY_ERRORS[400].message);
    expect(single.body.code).toBe(400);
    expect(single.body.error.reason).toMatch(/percentage/i);
    expect(single.body.error.details).toContain('percentage: Percentage must be at most 100');

    // 85 % is allocated on Ada's USD wallet: 20 % more would make 105 %.
    const total = await apiErrorOf(sdk.WalletService.createAutopayoutRule(ada.userToken, ada.usdWallet, { destination_token: D.quickCash, percentage: 20 }));
    expect(total.status).toBe(400);
    expect(total.body.message).toBe(MASSPAY_ERRORS[400].message);
    expect(total.body.error.reason).toContain('more than 100 %');
    expect(total.body.error.reason).toContain('at most 15 %');
    expect(total.body.error.details).toEqual([expect.stringMatching(/^percentage: /)]);

    // Refused means nothing was created.
    const rules = autopayRuleListSchema.parse(await sdk.WalletService.getAutopayoutRules(ada.userToken, ada.usdWallet));
    expect(rules.map((r) => r.percentage)).toEqual([60, 25]);
  });

  it('a destination in another currency is a 400 ApiError naming destination_token', async () => {
    const error = await apiErrorOf(sdk.WalletService.createAutopayoutRule(ada.userToken, ada.usdWallet, { destination_token: D.bancoEjemplo, percentage: 5 }));
    expect(error.status).toBe(400);
    expect(error.body.error.reason).toMatch(/MXN.*USD/);
    expect(error.body.error.details).toEqual([expect.stringMatching(/^destination_token: /)]);
  });

  it('a wrong key or no key is a 401 ApiError; the key with a Bearer scheme also works', async () => {
    const wrong = await apiErrorOf(sdkFor(running, { key: 'sbx_not-the-key-at-all' }).WalletService.getWallet(ada.userToken));
    expect(wrong.status).toBe(401);
    expect(wrong.body.message).toBe(MASSPAY_ERRORS[401].message);
    expect(wrong.body.code).toBe(401);

    const none = await apiErrorOf(sdkFor(running, { key: undefined }).WalletService.getWallet(ada.userToken));
    expect(none.status).toBe(401);

    const bearer = walletListSchema.parse(await sdkFor(running, { key: `Bearer ${running.apiKey}` }).WalletService.getWallet(ada.userToken));
    expect(bearer).toHaveLength(3);
  });
});

describe('masspay-js-sdk manages autopay rules', () => {
  let running: RunningSandbox;
  let sdk: MasspayJsSdk;

  beforeAll(async () => {
    running = await startSandbox();
    sdk = sdkFor(running);
  });
  afterAll(() => running?.close());

  it('a rule created through the SDK is listed by the SDK, and deleting it removes it', async () => {
    const created = autopayRuleSchema.parse(
      await sdk.WalletService.createAutopayoutRule(ada.userToken, ada.usdWallet, { destination_token: D.quickCash, percentage: 15 }),
    );
    expect(created).toMatchObject({ destination_token: D.quickCash, percentage: 15 });
    expect(created.token).toMatch(/^autopayout_[0-9a-f-]{36}$/);

    const listed = autopayRuleListSchema.parse(await sdk.WalletService.getAutopayoutRules(ada.userToken, ada.usdWallet));
    expect(listed).toHaveLength(3);
    expect(listed).toContainEqual(created);
    expect(listed.map((r) => r.percentage).reduce((a, b) => a + b, 0)).toBe(100);

    // The SDK types delete as void; the sandbox answers 200 with a JSON body, which the SDK passes through.
    const deleted = deleteAutopayRuleResultSchema.parse(await sdk.WalletService.deleteAutopayoutRule(ada.userToken, ada.usdWallet, created.token));
    expect(deleted).toEqual({ success: true, token: created.token });

    const after = autopayRuleListSchema.parse(await sdk.WalletService.getAutopayoutRules(ada.userToken, ada.usdWallet));
    expect(after.map((r) => r.token)).not.toContain(created.token);
    expect(after.map((r) => r.destination_token)).toEqual([D.evergreen, D.lakeside]);

    const again = await apiErrorOf(sdk.WalletService.deleteAutopayoutRule(ada.userToken, ada.usdWallet, created.token));
    expect(again.status).toBe(404);
  });

  it('a rule with two decimals is kept exactly', async () => {
    const created = autopayRuleSchema.parse(
      await sdk.WalletService.createAutopayoutRule(ada.userToken, ada.usdWallet, { destination_token: D.quickCash, percentage: 14.99 }),
    );
    expect(created.percentage).toBe(14.99);
    const listed = autopayRuleListSchema.parse(await sdk.WalletService.getAutopayoutRules(ada.userToken, ada.usdWallet));
    expect(listed.find((r) => r.token === created.token)?.percentage).toBe(14.99);
  });
});

/** A load through the SDK, then the payout rows it produced (their `source_token` is the load token). */
const loadAndCollect = async (sdk: MasspayJsSdk, userToken: string, body: Parameters<MasspayJsSdk['LoadService']['loadUser']>[1], walletToken: string) => {
  const result = loadResultSchema.parse(await sdk.LoadService.loadUser(userToken, body));
  const payouts = (await historyOf(sdk, userToken, { type: 'payout', wallet: walletToken })).filter((r) => r.source_token === result.load_token);
  return { result, payouts };
};

describe('masspay-js-sdk loads apply the wallet’s rules (Ada, seeded rules)', () => {
  let running: RunningSandbox;
  let sdk: MasspayJsSdk;

  beforeAll(async () => {
    running = await startSandbox();
    sdk = sdkFor(running);
  });
  afterAll(() => running?.close());

  it('a USD load lands in Ada’s USD wallet, pays 60 % to Evergreen and 25 % to Lakeside, and keeps the rest', async () => {
    const amount = 1000.33;
    const before = await walletOf(sdk, ada.userToken, ada.usdWallet);
    const { result, payouts } = await loadAndCollect(
      sdk,
      ada.userToken,
      { client_load_id: 'sdk-compat-1', source_token: 'src_sdk_compat', amount, notes: 'SDK load' },
      ada.usdWallet,
    );

    expect(result).toMatchObject({ status: 'COMPLETED', wallet_token: ada.usdWallet });
    expect(result.load_token).toMatch(/^ld_/);

    const loadCents = cents(amount);
    const evergreen = shareCents(loadCents, 60);
    const lakeside = shareCents(loadCents, 25);
    expect([evergreen, lakeside]).toEqual([60_019, 25_008]);
    expect(payouts).toHaveLength(2);
    const byDestination = new Map(payouts.map((r) => [r.destination_token, r]));
    expect(byDestination.get(D.evergreen)).toMatchObject({
      type: 'payout',
      status: 'COMPLETED',
      source_currency_code: 'USD',
      destination_currency_code: 'USD',
      payer_name: 'Evergreen Bank',
      delivery_type: 'BANK_DEPOSIT',
    });
    expect(cents(byDestination.get(D.evergreen)!.source_amount)).toBe(evergreen);
    expect(cents(byDestination.get(D.lakeside)!.source_amount)).toBe(lakeside);
    expect(byDestination.get(D.lakeside)).toMatchObject({ type: 'payout', payer_name: 'Lakeside Credit Union' });

    const loadRows = (await historyOf(sdk, ada.userToken, { type: 'load', wallet: ada.usdWallet })).filter((r) => r.token === result.load_token);
    expect(loadRows).toHaveLength(1);
    expect(loadRows[0]).toMatchObject({
      type: 'load',
      source_amount: amount,
      client_transfer_id: 'sdk-compat-1',
      source_token: 'src_sdk_compat',
      notes: 'SDK load',
    });

    const after = await walletOf(sdk, ada.userToken, ada.usdWallet);
    expect(cents(after.balance)).toBe(cents(before.balance) + loadCents - evergreen - lakeside);
    expect(after.balance).toBe(1400.81);
    // The other wallets are untouched.
    expect((await walletOf(sdk, ada.userToken, ada.cardWallet)).balance).toBe(310);
    expect((await walletOf(sdk, ada.userToken, ada.inactiveWallet)).balance).toBe(0);
  });

  it('the same client_load_id twice is refused with a 400 naming client_load_id', async () => {
    const error = await apiErrorOf(sdk.LoadService.loadUser(ada.userToken, { client_load_id: 'sdk-compat-1', source_token: 'src_sdk_compat', amount: 5 }));
    expect(error.status).toBe(400);
    expect(error.body.error.details).toEqual([expect.stringMatching(/^client_load_id: /)]);
  });

  it('a load to an unknown user is a 404, and to a user with no wallet in that currency a 400', async () => {
    const unknown = await apiErrorOf(sdk.LoadService.loadUser(UNKNOWN_USER, { client_load_id: 'x-1', source_token: 'src', amount: 1 }));
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toBe(MASSPAY_ERRORS[404].message);
    const noWallet = await apiErrorOf(sdk.LoadService.loadUser(alan.userToken, { client_load_id: 'x-2', source_token: 'src', amount: 1 }));
    expect(noWallet.status).toBe(400);
    expect(noWallet.body.error.reason).toContain('no active USER_FUNDS wallet in USD');
  });
});

describe('masspay-js-sdk: a rule added through the SDK takes part in the next load', () => {
  let running: RunningSandbox;
  let sdk: MasspayJsSdk;

  beforeAll(async () => {
    running = await startSandbox();
    sdk = sdkFor(running);
  });
  afterAll(() => running?.close());

  it('with Evergreen 60 %, Lakeside 25 % and a new QuickCash 15 %, only the rounding remainder stays in the wallet', async () => {
    autopayRuleSchema.parse(await sdk.WalletService.createAutopayoutRule(ada.userToken, ada.usdWallet, { destination_token: D.quickCash, percentage: 15 }));
    const amount = 333.33;
    const before = await walletOf(sdk, ada.userToken, ada.usdWallet);
    const { result, payouts } = await loadAndCollect(
      sdk,
      ada.userToken,
      { client_load_id: 'sdk-compat-2', source_token: 'src_sdk_compat', amount },
      ada.usdWallet,
    );
    expect(result.status).toBe('COMPLETED');

    const loadCents = cents(amount);
    const expected = new Map([
      [D.evergreen, shareCents(loadCents, 60)],
      [D.lakeside, shareCents(loadCents, 25)],
      [D.quickCash, shareCents(loadCents, 15)],
    ]);
    expect([...expected.values()]).toEqual([19_999, 8_333, 4_999]);
    expect(payouts).toHaveLength(3);
    expect(new Map(payouts.map((r) => [r.destination_token, cents(r.source_amount)]))).toEqual(expected);
    expect(payouts.find((r) => r.destination_token === D.quickCash)).toMatchObject({
      payer_name: 'QuickCash Wallet',
      fee: 0.5,
      delivery_type: 'MOBILE_WALLET',
    });

    const paid = [...expected.values()].reduce((a, b) => a + b, 0);
    const after = await walletOf(sdk, ada.userToken, ada.usdWallet);
    expect(cents(after.balance)).toBe(cents(before.balance) + loadCents - paid);
    expect(after.balance).toBe(1250.77);
  });
});

describe('masspay-js-sdk loads: currencies, full allocation and Idempotency-Key (Grace)', () => {
  let running: RunningSandbox;
  let sdk: MasspayJsSdk;

  beforeAll(async () => {
    running = await startSandbox();
    sdk = sdkFor(running);
  });
  afterAll(() => running?.close());

  it('a USD load to Grace is paid out in full to Example Card Services (100 % rule); the balance stays 0', async () => {
    const { result, payouts } = await loadAndCollect(
      sdk,
      grace.userToken,
      { client_load_id: 'grace-usd-1', source_token: 'src_sdk_compat', amount: 80.05 },
      grace.usdWallet,
    );
    expect(result).toMatchObject({ status: 'COMPLETED', wallet_token: grace.usdWallet });
    expect(payouts).toHaveLength(1);
    expect(payouts[0]).toMatchObject({
      destination_token: D.exampleCard,
      source_amount: 80.05,
      payer_name: 'Example Card Services',
      delivery_type: 'MASSPAY_CARD',
    });
    expect((await walletOf(sdk, grace.userToken, grace.usdWallet)).balance).toBe(0);
  });

  it('a EUR load lands in Grace’s EUR wallet, which has no rules, so all of it stays', async () => {
    const { result, payouts } = await loadAndCollect(
      sdk,
      grace.userToken,
      { client_load_id: 'grace-eur-1', source_token: 'src_sdk_compat', amount: 57.9, source_currency_code: 'EUR' },
      grace.eurWallet,
    );
    expect(result).toMatchObject({ status: 'COMPLETED', wallet_token: grace.eurWallet });
    expect(payouts).toEqual([]);
    expect(cents((await walletOf(sdk, grace.userToken, grace.eurWallet)).balance)).toBe(cents(842.1) + cents(57.9));
  });

  it('the SDK’s idempotencyKey replays the first load instead of loading twice', async () => {
    const body = { client_load_id: 'grace-idem-1', source_token: 'src_sdk_compat', amount: 12.5, source_currency_code: 'EUR' };
    const before = await walletOf(sdk, grace.userToken, grace.eurWallet);
    const first = loadResultSchema.parse(await sdk.LoadService.loadUser(grace.userToken, body, 'sdk-compat-idem-1'));
    const second = loadResultSchema.parse(await sdk.LoadService.loadUser(grace.userToken, body, 'sdk-compat-idem-1'));
    expect(second).toEqual(first);
    const loads = (await historyOf(sdk, grace.userToken, { type: 'load', wallet: grace.eurWallet })).filter((r) => r.client_transfer_id === 'grace-idem-1');
    expect(loads).toHaveLength(1);
    expect(cents((await walletOf(sdk, grace.userToken, grace.eurWallet)).balance)).toBe(cents(before.balance) + cents(12.5));

    const reused = await apiErrorOf(sdk.LoadService.loadUser(grace.userToken, { ...body, amount: 13 }, 'sdk-compat-idem-1'));
    expect(reused.status).toBe(400);
    expect(reused.body.error.reason).toContain('Idempotency-Key');
  });
});
