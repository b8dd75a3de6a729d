// DESIGN §7, the authorization matrix: anonymous, viewer, editor and admin × every /api route the
// console serves, in one table. A refusal (401/403) must never reach MassPay.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROBLEM_TYPES, revealPickupCodePath, ROUTES, STAFF_ROLES, verifyCallerPath, type RouteId, type StaffRole } from '../api';
import { SEED_DESTINATIONS as D, SEED_PEOPLE } from '../../test/seed';
import { startConsole, type RunningConsole } from '../../test/server-support';

const { ada, grace, alan, rosalind } = SEED_PEOPLE;
const api = '/api/payout';
const rules = `${api}/wallet/${ada.userToken}/${ada.usdWallet}/autopayout`;

let c: RunningConsole;
beforeAll(async () => {
  c = await startConsole();
});
afterAll(() => c.close());

type Who = StaffRole | 'anonymous';
type Need = 'read' | 'changeRules' | 'readAudit' | 'verifyCaller' | 'revealPickupCode';

/** A valid request per route; `prepare` makes whatever it acts on (a rule to delete). */
const REQUESTS: Record<
  Exclude<RouteId, 'getAllUsersHistory' | 'loadUser'>,
  { method: string; path: (ctx: { ruleToken: string }) => string; body?: unknown; need: Need }
> = {
  listWallets: { method: 'GET', path: () => `${api}/wallet/${ada.userToken}`, need: 'read' },
  listAutopayRules: { method: 'GET', path: () => rules, need: 'read' },
  createAutopayRule: { method: 'POST', path: () => rules, body: { destination_token: D.quickCash, percentage: 1 }, need: 'changeRules' },
  deleteAutopayRule: { method: 'DELETE', path: ({ ruleToken }) => `${rules}?token=${ruleToken}`, need: 'changeRules' },
  getCard: { method: 'GET', path: () => `${api}/wallet/${ada.userToken}/${ada.cardWallet}/card`, need: 'read' },
  getUser: { method: 'GET', path: () => `${api}/user/${ada.userToken}`, need: 'read' },
  lookupUser: { method: 'GET', path: () => `${api}/user/lookup?internal_user_id=ext-1002`, need: 'read' },
  getUserHistory: { method: 'GET', path: () => `${api}/user/${grace.userToken}/history?wallet_token=${grace.usdWallet}`, need: 'read' },
  getService: { method: 'GET', path: () => `${api}/service/${D.quickCash}`, need: 'read' },
  listCountries: { method: 'GET', path: () => `${api}/country/list`, need: 'read' },
  listCountryServices: { method: 'GET', path: () => `${api}/country/MEX`, need: 'read' },
};

/** A cash-pickup payout of the seed, read from the sandbox when the row runs. */
const pickupPayout = () => c.embedded.sandbox.store.historyOf(rosalind.userToken).find((row) => row.pickup_code !== undefined)!;

const CONSOLE_ROUTES_MATRIX = {
  audit: { method: 'GET', path: () => '/api/audit', need: 'readAudit' as Need },
  auditExport: { method: 'GET', path: () => '/api/audit/export', need: 'readAudit' as Need },
  verifyCaller: { method: 'POST', path: () => verifyCallerPath(alan.userToken), body: { date_of_birth: '1912-06-23' }, need: 'verifyCaller' as Need },
  revealPickupCode: {
    method: 'POST',
    path: () => revealPickupCodePath(rosalind.userToken, rosalind.mxnWallet, pickupPayout().token),
    // A getter: the payout's day is the sandbox's, known once it runs (JSON.stringify reads it then).
    body: {
      get day() {
        return pickupPayout().time_of_txn.slice(0, 10);
      },
    },
    need: 'revealPickupCode' as Need,
  },
};

const ALLOWED: Record<Who, Need[]> = {
  anonymous: [],
  viewer: ['read', 'verifyCaller'],
  editor: ['read', 'changeRules', 'verifyCaller', 'revealPickupCode'],
  admin: ['read', 'changeRules', 'readAudit', 'verifyCaller', 'revealPickupCode'],
};

const WHO: Who[] = ['anonymous', ...STAFF_ROLES];
type Request = { method: string; path: (ctx: { ruleToken: string }) => string; body?: unknown; need: Need };
const rows = [...Object.entries(REQUESTS), ...Object.entries(CONSOLE_ROUTES_MATRIX)].flatMap(([route, request]: [string, Request]) =>
  WHO.map((who) => ({ route, who, ...request, allowed: ALLOWED[who].includes(request.need) })),
);

describe('the authorization matrix', () => {
  it('covers every proxied route of the route table', () => {
    const proxied = (Object.keys(ROUTES) as RouteId[]).filter((id) => ROUTES[id].proxied);
    expect(Object.keys(REQUESTS).sort()).toEqual(proxied.sort());
  });

  it.each(rows)('$who → $method $route: allowed=$allowed', async ({ who, method, path, body, allowed, route }) => {
    let ruleToken = 'autopayout_00000000-0000-4000-8000-000000000000';
    if (route === 'deleteAutopayRule') {
      const made = await c.call('POST', rules, { body: { destination_token: D.quickCash, percentage: 1 }, as: 'editor' });
      expect(made.status).toBe(200);
      ruleToken = made.body.token;
    }
    const before = c.embedded.sandbox.stats.requests;
    const res = await c.call(method, path({ ruleToken }), { body, as: who });

    if (allowed) {
      expect(res.status, res.text).toBe(200);
      if (route === 'createAutopayRule') await c.call('DELETE', `${rules}?token=${res.body.token}`);
      return;
    }
    expect(res.status).toBe(who === 'anonymous' ? 401 : 403);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body.type).toBe(who === 'anonymous' ? PROBLEM_TYPES.unauthenticated : PROBLEM_TYPES.forbidden);
    expect(c.embedded.sandbox.stats.requests).toBe(before);
    if (route === 'deleteAutopayRule') await c.call('DELETE', `${rules}?token=${ruleToken}`);
  });

  it('the console routes: /auth/me answers who is signed in, or 401', async () => {
    for (const role of STAFF_ROLES) {
      const me = await c.call('GET', '/auth/me', { as: role });
      expect(me.status).toBe(200);
      expect(me.body).toEqual({ email: `${role}@example.com`, name: expect.any(String), role });
    }
    expect((await c.call('GET', '/auth/me', { as: 'anonymous' })).status).toBe(401);
  });

  it('an unknown /api path needs a session too, then is 404', async () => {
    expect((await c.call('GET', '/api/nothing-here', { as: 'anonymous' })).status).toBe(401);
    expect((await c.call('GET', '/api/nothing-here', { as: 'viewer' })).status).toBe(404);
  });
});
