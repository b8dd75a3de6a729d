import { beforeEach, describe, expect, it } from 'vitest';
import {
  PROBLEM_TYPES,
  createAutopayRule,
  deleteAutopayRule,
  getService,
  getUser,
  getUserHistory,
  listAutopayRules,
  listCountries,
  lookupUser,
} from '../../api';
import { DESTINATIONS, freshSandbox, loadAdaUsd, rulesOf, sent } from '../../../test/app/backend';
import { apiCall, routePath } from './api-client';
import { ApiError } from './api-error';

// The typed client calls MassPay routes by their id in src/api/routes.ts, through the real console and
// sandbox: the path comes from the route's template, the parameters are checked with the route's
// schemas before anything is sent, and the answer is parsed with the route's browserResponse.

const USER = 'usr_0b7f3a52-6a41-4c0e-9f1e-2d3c4b5a6978';
const WALLET = '6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b';
const RULE = 'autopayout_1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';

const refusalOf = async (call: () => Promise<unknown>) => {
  const error = await call().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
};

describe('routePath', () => {
  it('fills the route template with the encoded parameters and adds the query, leaving out what is empty', () => {
    expect(routePath(listAutopayRules, { params: { user_token: USER, wallet_token: WALLET } })).toBe(`/payout/wallet/${USER}/${WALLET}/autopayout`);
    expect(routePath(listCountries)).toBe('/payout/country/list');
    expect(
      routePath(getUserHistory, {
        params: { user_token: USER },
        query: { wallet_token: WALLET, type: undefined, start_date: '2026-03-01', end_date: '', number_of_records: 25, page: 2 },
      }),
    ).toBe(`/payout/user/${USER}/history?wallet_token=${WALLET}&start_date=2026-03-01&number_of_records=25&page=2`);
    expect(routePath(lookupUser, { query: { email: 'ada+x@example.com', first_name: 'Ada Byron' } })).toBe(
      '/payout/user/lookup?email=ada%2Bx%40example.com&first_name=Ada+Byron',
    );
  });

  it('refuses a malformed path parameter as the proxy would: a 400 naming the field', async () => {
    const error = await refusalOf(async () => routePath(getUser, { params: { user_token: '../admin' } }));
    expect(error.status).toBe(400);
    expect(error.problem.type).toBe(PROBLEM_TYPES.validation);
    expect(error.problem.detail).toBe('A token in the path is malformed.');
    expect(Object.keys(error.fieldErrors)).toEqual(['user_token']);
  });

  it('refuses a parameter the template does not name, a query name the proxy does not take and a value that does not fit', async () => {
    expect((await refusalOf(async () => routePath(getUser, { params: { user_token: USER, wallet_token: WALLET } }))).status).toBe(400);
    const unknownName = await refusalOf(async () =>
      routePath(getService, { params: { destination_token: DESTINATIONS.quickCash }, query: { include_payer_logos: true } }),
    );
    expect(unknownName.problem.detail).toBe('The query is not valid for this route.');
    const badDate = await refusalOf(async () => routePath(getUserHistory, { params: { user_token: USER }, query: { start_date: '2026-3-1' } }));
    expect(Object.keys(badDate.fieldErrors)).toEqual(['start_date']);
  });
});

describe('apiCall', () => {
  beforeEach(freshSandbox);

  it('sends the route’s method and path and answers what its browserResponse parses', async () => {
    const { userToken, wallet } = await loadAdaUsd();
    const rules = await apiCall(listAutopayRules, { params: { user_token: userToken, wallet_token: wallet.token } });
    expect(rules.map((r) => r.destination_token)).toContain(DESTINATIONS.evergreen);
    const found = await apiCall(lookupUser, { query: { internal_user_id: 'ext-1001' } });
    expect(found.user_token).toBe(userToken);
    expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining([`GET /api/payout/wallet/${userToken}/${wallet.token}/autopayout`, 'GET /api/payout/user/lookup?internal_user_id=ext-1001']),
    );
  });

  it('sends a change with its body, Idempotency-Key and extra headers, and deletes by the query’s token', async () => {
    const { userToken, wallet } = await loadAdaUsd();
    const params = { user_token: userToken, wallet_token: wallet.token };
    const rule = await apiCall(createAutopayRule, {
      params,
      body: { destination_token: DESTINATIONS.quickCash, percentage: 5 },
      idempotencyKey: 'api-client-test-create',
      headers: { 'X-Change-Reason': 'ticket%201' },
    });
    expect(rule.destination_token).toBe(DESTINATIONS.quickCash);
    const create = sent.find((r) => r.method === 'POST');
    expect(create?.headers.get('idempotency-key')).toBe('api-client-test-create');
    expect(create?.headers.get('x-change-reason')).toBe('ticket%201');
    expect(JSON.parse(create?.body ?? '')).toEqual({ destination_token: DESTINATIONS.quickCash, percentage: 5 });

    await apiCall(deleteAutopayRule, { params, query: { token: rule.token }, idempotencyKey: 'api-client-test-delete' });
    expect(sent.find((r) => r.method === 'DELETE')?.path).toBe(`/api/payout/wallet/${userToken}/${wallet.token}/autopayout?token=${rule.token}`);
    expect((await rulesOf(userToken, wallet.token)).map((r) => r.token)).not.toContain(rule.token);
  });

  it('refuses a body the route’s schema refuses before sending it, with the messages per field', async () => {
    const error = await refusalOf(() =>
      apiCall(createAutopayRule, {
        params: { user_token: USER, wallet_token: WALLET },
        body: { destination_token: DESTINATIONS.quickCash, percentage: 150 },
        idempotencyKey: 'api-client-test-refused',
      }),
    );
    expect(error.problem.detail).toBe('The request body is not valid.');
    expect(error.fieldErrors.percentage).toEqual(['Percentage must be at most 100']);
    expect(sent).toEqual([]);
  });

  it('turns the server’s problem+json into an ApiError', async () => {
    const { userToken, wallet } = await loadAdaUsd();
    const error = await refusalOf(() =>
      apiCall(deleteAutopayRule, {
        params: { user_token: userToken, wallet_token: wallet.token },
        query: { token: RULE },
        idempotencyKey: 'api-client-test-404',
      }),
    );
    expect(error.status).toBe(404);
    const unknownUser = await refusalOf(() => apiCall(getUser, { params: { user_token: USER } }));
    expect(unknownUser.status).toBe(404);
  });
});
