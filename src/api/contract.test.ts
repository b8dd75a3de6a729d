import { describe, expect, it } from 'vitest';
import {
  autopayRuleInputSchema,
  BROWSER_RESPONSES,
  browserTxnSchema,
  browserUserSchema,
  auditQuerySchema,
  calendarDateSchema,
  historyQuerySchema,
  isIsoDate,
  PICKUP_CODE_MASK,
  ROUTE_IDS,
  formatFieldIssue,
  lookupQuerySchema,
  matchRoute,
  massPayErrorBody,
  parseFieldIssue,
  percentageSchema,
  PROXY_QUERIES,
  ROUTES,
  splitByBasisPoints,
  TOKEN_PATTERNS,
  toBasisPoints,
} from './index';

describe('percentage', () => {
  it.each([0.01, 1, 15, 33.33, 99.99, 100, 0.1 + 0.2])('accepts %s', (p) => {
    expect(percentageSchema.safeParse(p).success).toBe(true);
  });
  it.each([0, -1, 100.001, 100.01, 12.345, Number.NaN, Number.POSITIVE_INFINITY, '5', null])('refuses %s', (p) => {
    expect(percentageSchema.safeParse(p).success).toBe(false);
  });
});

describe('rule input', () => {
  const destination_token = 'dest_3c8b5e2a-af4d-4e7b-9a93-4b6dac2f8e33';
  it('is strict and checks tokens', () => {
    expect(autopayRuleInputSchema.safeParse({ destination_token, percentage: 5 }).success).toBe(true);
    expect(autopayRuleInputSchema.safeParse({ destination_token, percentage: 5, attr_set_token: '' }).success).toBe(true);
    expect(autopayRuleInputSchema.safeParse({ destination_token, percentage: 5, x: 1 }).success).toBe(false);
    expect(autopayRuleInputSchema.safeParse({ destination_token: 'dest_../x', percentage: 5 }).success).toBe(false);
    expect(autopayRuleInputSchema.safeParse({ destination_token, percentage: 5, attr_set_token: 'attr_set_nope' }).success).toBe(false);
  });
});

describe('tokens', () => {
  it('accept the documented shapes and nothing that could escape a path', () => {
    expect(TOKEN_PATTERNS.user.test('usr_ba4275f2-bae1-488d-9d6f-20af1cd83574')).toBe(true);
    expect(TOKEN_PATTERNS.user.test('ba4275f2-bae1-488d-9d6f-20af1cd83574')).toBe(true);
    expect(TOKEN_PATTERNS.wallet.test('usr_wlt_3ec2d3e7-0aae-47bb-bdb9-d3413c5434d1')).toBe(true);
    expect(TOKEN_PATTERNS.rule.test('autopay_3684cc43-fe3b-4994-8ca1-7dc0db94430f')).toBe(true);
    for (const bad of [
      '..',
      'usr_x/..',
      'usr_%2F',
      'usr_ba4275f2-bae1-488d-9d6f-20af1cd83574\0',
      'usr_ba4275f2-bae1-488d-9d6f-20af1cd83574?x=1',
      `usr_${'a'.repeat(2048)}`,
    ]) {
      expect(TOKEN_PATTERNS.user.test(bad), bad).toBe(false);
    }
  });
});

describe('lookup query', () => {
  it('takes email + first name, or internal user id alone; empty means absent', () => {
    expect(lookupQuerySchema.safeParse({ email: 'a@example.com', first_name: 'A' }).success).toBe(true);
    expect(lookupQuerySchema.safeParse({ internal_user_id: 'ext-1', email: '', first_name: '' }).success).toBe(true);
    expect(lookupQuerySchema.safeParse({ email: 'a@example.com' }).success).toBe(false);
    expect(lookupQuerySchema.safeParse({ internal_user_id: 'ext-1', email: 'a@example.com', first_name: 'A' }).success).toBe(true);
    expect(lookupQuerySchema.safeParse({ internal_user_id: 'ext-1', email: 'a@example.com' }).success).toBe(true);
    expect(lookupQuerySchema.safeParse({}).success).toBe(false);
  });
});

describe('the query names the proxy takes', () => {
  const user = 'usr_ba4275f2-bae1-488d-9d6f-20af1cd83574';
  const wallet = 'usr_wlt_3ec2d3e7-0aae-47bb-bdb9-d3413c5434d1';
  it.each([
    ['getUserHistory', { wallet_token: wallet, show_all_clients: 'true' }],
    ['getService', { include_payer_logos: 'false' }],
    ['listCountryServices', { amount: '200' }],
    ['listCountryServices', { user_token: user, source_currency: 'USD' }],
  ] as const)('%s: MassPay takes %o, the proxy does not (the SPA never sends it)', (id, query) => {
    expect(ROUTES[id].query.safeParse(query).success).toBe(true);
    expect(PROXY_QUERIES[id].safeParse(query).success).toBe(false);
  });
  it('are all the SPA sends', () => {
    expect(
      PROXY_QUERIES.getUserHistory.safeParse({
        wallet_token: wallet,
        type: 'payout',
        start_date: '2026-01-01',
        end_date: '2026-01-31',
        number_of_records: '25',
        page: '2',
      }).success,
    ).toBe(true);
    expect(PROXY_QUERIES.listCountryServices.safeParse({ wallet_token: wallet }).success).toBe(true);
    expect(PROXY_QUERIES.lookupUser.safeParse({ email: 'a@example.com', first_name: 'A' }).success).toBe(true);
    expect(PROXY_QUERIES.getService.safeParse({}).success).toBe(true);
  });
});

describe('route matching', () => {
  const user = 'usr_ba4275f2-bae1-488d-9d6f-20af1cd83574';
  it('prefers literal segments over parameters', () => {
    expect(matchRoute('GET', '/payout/user/lookup')).toMatchObject({ kind: 'route', id: 'lookupUser' });
    expect(matchRoute('GET', `/payout/user/${user}`)).toMatchObject({ kind: 'route', id: 'getUser', params: { user_token: user } });
    expect(matchRoute('GET', '/payout/country/list')).toMatchObject({ kind: 'route', id: 'listCountries' });
    expect(matchRoute('GET', '/payout/country/USA')).toMatchObject({ kind: 'route', id: 'listCountryServices' });
  });
  it('tells a wrong method from an unknown path', () => {
    expect(matchRoute('PUT', `/payout/wallet/${user}`)).toEqual({ kind: 'method-not-allowed', allowed: ['GET'] });
    expect(matchRoute('GET', `/payout/wallet/${user}/`)).toEqual({ kind: 'not-found' });
    expect(matchRoute('GET', `/payout//wallet/${user}`)).toEqual({ kind: 'not-found' });
    expect(matchRoute('GET', '/payout/user/history')).toMatchObject({ kind: 'route', id: 'getAllUsersHistory' });
  });
  it('returns parameters raw, so encodings stay visible to the token check', () => {
    const match = matchRoute('GET', '/payout/wallet/usr_x%2F..');
    expect(match).toMatchObject({ kind: 'route', params: { user_token: 'usr_x%2F..' } });
  });
});

describe('money', () => {
  it('splits by basis points rounding each share down, never above the amount', () => {
    expect(splitByBasisPoints(10_001, [6_000, 2_500])).toEqual([6_000, 2_500]);
    expect(splitByBasisPoints(1, [3_333, 3_333, 3_334])).toEqual([0, 0, 0]);
    expect(splitByBasisPoints(100, [3_333, 3_333, 3_334])).toEqual([33, 33, 33]);
    expect(toBasisPoints(33.33) + toBasisPoints(33.33) + toBasisPoints(33.34)).toBe(10_000);
  });
});

describe('error bodies', () => {
  it('carry MassPay’s fixed texts and write field issues as `field: message`', () => {
    const body = massPayErrorBody(400, { reason: 'Bad percentage', issues: [{ field: 'percentage', message: 'too big' }] });
    expect(body).toMatchObject({ code: 400, title: 'Bad request.', error: { reason: 'Bad percentage', details: ['percentage: too big'] } });
    expect(parseFieldIssue(body.error!.details![0]!)).toEqual({ field: 'percentage', message: 'too big' });
    expect(parseFieldIssue('no field here')).toEqual({ field: '', message: 'no field here' });
    expect(formatFieldIssue({ field: '', message: 'x' })).toBe('x');
    expect(massPayErrorBody(504).code).toBe(500);
  });
});

describe('browser-facing answers', () => {
  it('every route the proxy forwards has one', () => {
    const proxied = ROUTE_IDS.filter((id) => ROUTES[id].proxied);
    expect(proxied.filter((id) => BROWSER_RESPONSES[id] === undefined)).toEqual([]);
  });

  it('drop what the console does not show, keep an enum value MassPay adds later, mask pickup codes', () => {
    const user = {
      user_token: 'usr_ba4275f2-bae1-488d-9d6f-20af1cd83574',
      status: 'SUSPENDED',
      created_on: '2024-01-01T00:00:00Z',
      internal_user_id: 'ext-1',
      first_name: 'A',
      last_name: 'B',
      email: 'a@example.com',
      timezone: 'UTC',
      date_of_birth: '1815-12-10',
      activation_url: 'https://example.com/activate/x',
      brand_new_field: 1,
    };
    expect(browserUserSchema.parse(user)).toStrictEqual({
      user_token: user.user_token,
      status: 'SUSPENDED',
      internal_user_id: 'ext-1',
      first_name: 'A',
      last_name: 'B',
      email: 'a@example.com',
    });
    const row = {
      token: 'pyt_1',
      type: 'payout',
      time_of_txn: 'x',
      source_amount: 1,
      source_currency_code: 'MXN',
      destination_amount: 1,
      destination_currency_code: 'MXN',
      fee: 0,
      status: 'RETURNED',
      destination_token: 'd',
      pickup_code: '1234567890',
    };
    expect(browserTxnSchema.parse(row)).toMatchObject({ status: 'RETURNED', pickup_code: PICKUP_CODE_MASK });
    expect(browserTxnSchema.parse(row)).not.toHaveProperty('destination_token');
    // A second parse (the SPA's, of the server's answer) keeps the mask.
    expect(browserTxnSchema.parse(browserTxnSchema.parse(row)).pickup_code).toBe(PICKUP_CODE_MASK);
  });

  it('refuse an answer missing a field the console needs', () => {
    const { first_name: _firstName, ...noName } = { user_token: 'u', status: 'ACTIVE', internal_user_id: 'i', first_name: 'A', last_name: 'B', email: 'e' };
    expect(browserUserSchema.safeParse(noName).success).toBe(false);
  });
});

describe('calendar dates', () => {
  // One check everywhere a date is taken: a caller's birth date, a pickup code's day, the history's and the audit log's filters.
  const everywhere = (day: string) => [
    calendarDateSchema('day').safeParse(day).success,
    isIsoDate(day),
    historyQuerySchema.safeParse({ start_date: day }).success,
    PROXY_QUERIES.getUserHistory.safeParse({ end_date: day }).success,
    auditQuerySchema.safeParse({ from: day }).success,
  ];
  it.each(['1815-12-10', '2000-02-29', '2026-12-31'])('accept %s', (day) => expect(everywhere(day)).toEqual([true, true, true, true, true]));
  it.each(['1815-02-30', '2026-02-30', '2001-02-29', '2026-04-31', '10/12/1815', '1815-12-1', '1815-12-10T00:00:00Z', '2026-13-01'])('refuse %s', (day) =>
    expect(everywhere(day)).toEqual([false, false, false, false, false]),
  );
  it('names the field, or speaks as the audit filters do', () => {
    expect(historyQuerySchema.safeParse({ start_date: '2026-02-30' }).error?.issues[0]?.message).toBe('start_date is not a calendar date');
    expect(auditQuerySchema.safeParse({ to: '2026-2-3' }).error?.issues[0]?.message).toBe('Use a date like 2026-11-25');
    expect(auditQuerySchema.safeParse({ to: '2026-02-30' }).error?.issues[0]?.message).toBe('Not a real date');
  });
});
