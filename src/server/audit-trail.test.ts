// The audit log as the proxy writes it (DESIGN §2: "writes the audit log"): every add and delete
// attempted through the console, when it is asked for and when MassPay answers, and what admins read.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { auditPageSchema, PROBLEM_TYPES, type AuditEntry } from '../api';
import { SEED_DESTINATIONS as D, SEED_PEOPLE } from '../../test/seed';
import { startConsole, type RunningConsole } from '../../test/server-support';

const { ada, grace } = SEED_PEOPLE;
const rulesOf = (user: string, wallet: string) => `/api/payout/wallet/${user}/${wallet}/autopayout`;
const adaRules = rulesOf(ada.userToken, ada.usdWallet);
const KEY = '7d1c2a52-8f0e-4b7e-9a51-0c9d1e2f3a4b';

let c: RunningConsole;
beforeAll(async () => {
  c = await startConsole({ upstreamTimeoutMs: 1_000 });
});
afterAll(() => c.close());
beforeEach(() => c.embedded.sandbox.faults.clear());

/** The entries of one request, oldest first. */
const entriesOf = async (requestId: string | null) => {
  const page = await c.audit.list({}, { page: 1, limit: 100 });
  return page.entries.filter((entry) => entry.requestId === requestId).reverse();
};

describe('every attempted change is recorded when asked for and when MassPay answers', () => {
  it('an add that MassPay accepts: requested, then succeeded with the new rule token', async () => {
    const res = await c.call('POST', adaRules, { body: { destination_token: D.quickCash, percentage: 5 }, headers: { 'idempotency-key': KEY } });
    expect(res.status).toBe(200);
    const [requested, answered] = await entriesOf(res.headers.get('x-request-id'));
    const common = {
      staffEmail: 'editor@example.com',
      staffRole: 'editor',
      action: 'add_rule',
      userToken: ada.userToken,
      walletToken: ada.usdWallet,
      destinationToken: D.quickCash,
      percentage: 5,
      idempotencyKey: KEY,
    };
    expect(requested).toMatchObject({ ...common, outcome: 'requested', masspayStatus: null, ruleToken: null });
    expect(answered).toMatchObject({ ...common, outcome: 'succeeded', masspayStatus: 200, ruleToken: res.body.token });
    expect(Date.parse(answered!.at)).toBeGreaterThanOrEqual(Date.parse(requested!.at));

    // The delete records the rule it removes, looked up from MassPay's list.
    const removed = await c.call('DELETE', `${adaRules}?token=${res.body.token}`, { as: 'admin' });
    expect(removed.status).toBe(200);
    const deletion = await entriesOf(removed.headers.get('x-request-id'));
    expect(deletion.map((e) => e.outcome)).toEqual(['requested', 'succeeded']);
    expect(deletion[1]).toMatchObject({ action: 'delete_rule', staffRole: 'admin', ruleToken: res.body.token, destinationToken: D.quickCash, percentage: 5 });
    expect(deletion[0]!.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/); // the proxy's own key
  });

  it('an add that breaks the policy: blocked by the console, MassPay not asked', async () => {
    const posts = c.embedded.sandbox.stats.byRoute.createAutopayRule ?? 0;
    const res = await c.call('POST', adaRules, { body: { destination_token: D.quickCash, percentage: 40 } }); // 85 % + 40 % > 100 %
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ type: PROBLEM_TYPES.policy, detail: expect.stringMatching(/now 85 % allocated; 40 % more would make 125 %/) });
    expect(c.embedded.sandbox.stats.byRoute.createAutopayRule ?? 0).toBe(posts);
    const entries = await entriesOf(res.headers.get('x-request-id'));
    expect(entries.map((e) => [e.outcome, e.masspayStatus, e.percentage])).toEqual([['blocked', null, 40]]);
  });

  it('an add that MassPay refuses: requested, then refused with its status', async () => {
    c.embedded.sandbox.faults.set({ failNext: { count: 1, status: 400, methods: ['POST'] } });
    const res = await c.call('POST', adaRules, { body: { destination_token: D.quickCash, percentage: 4 } });
    expect(res.status).toBe(400);
    const entries = await entriesOf(res.headers.get('x-request-id'));
    expect(entries.map((e) => [e.outcome, e.masspayStatus])).toEqual([
      ['requested', null],
      ['refused', 400],
    ]);
  });

  it('MassPay failing or timing out: failed, or unknown (it may have acted)', async () => {
    c.embedded.sandbox.faults.set({ failNext: { count: 1, status: 500, methods: ['POST'] } });
    const failed = await c.call('POST', adaRules, { body: { destination_token: D.quickCash, percentage: 1 } });
    expect(failed.status).toBe(500);
    expect((await entriesOf(failed.headers.get('x-request-id'))).map((e) => e.outcome)).toEqual(['requested', 'failed']);

    c.embedded.sandbox.faults.set({ latencyMs: 2_500, latencyMethods: ['POST'] });
    const slow = await c.call('POST', rulesOf(grace.userToken, grace.eurWallet), { body: { destination_token: D.rhein, percentage: 1 } });
    expect(slow.status).toBe(504);
    expect((await entriesOf(slow.headers.get('x-request-id'))).map((e) => [e.outcome, e.masspayStatus])).toEqual([
      ['requested', null],
      ['unknown', null],
    ]);
  });

  it('the connection broken after the add was sent: unknown (MassPay made it), and the retry with the same key is replayed', async () => {
    const key = 'c0ffee00-1111-4222-8333-444455556666';
    c.embedded.sandbox.faults.set({ failNext: { count: 1, drop: true, phase: 'after', methods: ['POST'] } });
    const broken = await c.call('POST', adaRules, { body: { destination_token: D.quickCash, percentage: 2 }, headers: { 'idempotency-key': key } });
    expect(broken.status).toBe(502);
    expect(broken.body.type).toBe(PROBLEM_TYPES.upstreamInterrupted);
    expect(broken.body.detail).toMatch(/may or may not have been made\. It is safe to try again/);
    expect((await entriesOf(broken.headers.get('x-request-id'))).map((e) => e.outcome)).toEqual(['requested', 'unknown']);

    const again = await c.call('POST', adaRules, { body: { destination_token: D.quickCash, percentage: 2 }, headers: { 'idempotency-key': key } });
    expect(again.status).toBe(200);
    const rules = (await c.call('GET', adaRules)).body as { token: string; destination_token: string }[];
    expect(rules.filter((r) => r.destination_token === D.quickCash)).toHaveLength(1);
    await c.call('DELETE', `${adaRules}?token=${again.body.token}`);
  });

  it('MassPay refusing connections: failed, and the staff member is told nothing changed', async () => {
    const closed = await startConsole({ upstream: { baseUrl: 'http://127.0.0.1:9', apiKey: 'unused' } });
    try {
      const res = await closed.call('POST', adaRules, { body: { destination_token: D.quickCash, percentage: 1 } });
      expect(res.status).toBe(502);
      expect(res.body).toMatchObject({
        type: PROBLEM_TYPES.upstreamUnavailable,
        detail: 'MassPay could not be reached, so nothing was changed. Try again in a moment.',
      });
      const entries = (await closed.audit.list({}, { page: 1, limit: 10 })).entries.filter((e) => e.requestId === res.headers.get('x-request-id'));
      // The wallet could not even be re-read: nothing was sent, and the attempt is recorded as failed.
      expect(entries.map((e) => e.outcome)).toEqual(['failed']);
    } finally {
      await closed.close();
    }
  });

  it('a change refused by role is recorded alone, and MassPay is not asked', async () => {
    const before = c.embedded.sandbox.stats.requests;
    const res = await c.call('DELETE', `${adaRules}?token=autopayout_00000000-0000-4000-8000-000000000001`, { as: 'viewer' });
    expect(res.status).toBe(403);
    expect(c.embedded.sandbox.stats.requests).toBe(before);
    const [entry, ...more] = await entriesOf(res.headers.get('x-request-id'));
    expect(more).toEqual([]);
    expect(entry).toMatchObject({
      outcome: 'forbidden',
      staffEmail: 'viewer@example.com',
      action: 'delete_rule',
      ruleToken: 'autopayout_00000000-0000-4000-8000-000000000001',
    });
  });

  it('a request refused by validation is not a change and is not recorded', async () => {
    const res = await c.call('POST', adaRules, { body: { destination_token: D.quickCash, percentage: 0 } });
    expect(res.status).toBe(400);
    expect(await entriesOf(res.headers.get('x-request-id'))).toEqual([]);
  });
});

describe('when the audit log cannot be written', () => {
  it('the change is not sent to MassPay: 503, nothing changed', async () => {
    const broken = await startConsole();
    const append = broken.audit.append.bind(broken.audit);
    broken.audit.append = () => Promise.reject(new Error('disk full'));
    try {
      const res = await broken.call('POST', adaRules, { body: { destination_token: D.quickCash, percentage: 1 } });
      expect(res.status).toBe(503);
      expect(res.body.type).toBe(PROBLEM_TYPES.auditUnavailable);
      // The wallet was re-read, but no change was sent.
      expect(broken.embedded.sandbox.stats.byRoute.createAutopayRule).toBeUndefined();
      const rules = await broken.call('GET', adaRules);
      expect(rules.body).toHaveLength(2);
    } finally {
      broken.audit.append = append;
      await broken.close();
    }
  });
});

describe('GET /api/audit and /api/audit/export (admins)', () => {
  it('pages newest first and filters by user, staff, action and day', async () => {
    const add = (as: 'editor' | 'admin', user: string, wallet: string, destination: string) =>
      c.call('POST', rulesOf(user, wallet), { body: { destination_token: destination, percentage: 1 }, as });
    expect((await add('admin', ada.userToken, ada.usdWallet, D.quickCash)).status).toBe(200);
    expect((await add('editor', ada.userToken, ada.cardWallet, D.evergreen)).status).toBe(200);

    const all = await c.call('GET', '/api/audit?limit=25', { as: 'admin' });
    expect(all.status).toBe(200);
    const page = auditPageSchema.parse(all.body);
    expect(page.entries.length).toBeGreaterThan(4);
    const ids = page.entries.map((e) => BigInt(e.id));
    expect([...ids].sort((a, b) => (a > b ? -1 : 1))).toEqual(ids); // newest first

    const byAdmin = auditPageSchema.parse(
      (await c.call('GET', `/api/audit?user=${ada.userToken}&staff=ADMIN@example.com&action=add_rule`, { as: 'admin' })).body,
    );
    expect(byAdmin.entries.map((e: AuditEntry) => [e.staffEmail, e.destinationToken, e.outcome])).toEqual([
      ['admin@example.com', D.quickCash, 'succeeded'],
      ['admin@example.com', D.quickCash, 'requested'],
    ]);

    const today = new Date().toISOString().slice(0, 10);
    const inRange = auditPageSchema.parse((await c.call('GET', `/api/audit?from=${today}&to=${today}&limit=100`, { as: 'admin' })).body);
    expect(inRange.total).toBe(page.total);
    const before = auditPageSchema.parse((await c.call('GET', '/api/audit?to=2020-01-01', { as: 'admin' })).body);
    expect(before).toMatchObject({ total: 0, entries: [] });

    const second = auditPageSchema.parse((await c.call('GET', '/api/audit?limit=2&page=2', { as: 'admin' })).body);
    expect(second.entries.map((e) => e.id)).toEqual(page.entries.slice(2, 4).map((e) => e.id));
  });

  it('every page carries the hash chain as last checked: every entry, intact', async () => {
    const page = auditPageSchema.parse((await c.call('GET', `/api/audit?user=${grace.userToken}`, { as: 'admin' })).body);
    const all = await c.audit.list({}, { page: 1, limit: 1 });
    expect(page.chain).toEqual({
      verified: true,
      checkedEntries: expect.any(Number),
      checkedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      headId: expect.stringMatching(/^\d+$/),
      headHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    // The whole log, not the page's filter; a check is reused for 30 s, so it may predate the newest entries.
    expect(page.chain!.checkedEntries).toBeGreaterThan(page.total);
    expect(page.chain!.checkedEntries).toBeLessThanOrEqual(all.total);
  });

  it('refuses bad filters with field errors', async () => {
    const res = await c.call('GET', '/api/audit?user=../../etc&from=2026-02-30&limit=1000&sort=asc', { as: 'admin' });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.errors ?? {})).toEqual(expect.arrayContaining(['user', 'from', 'limit']));
  });

  it('exports every match as CSV', async () => {
    const res = await c.call('GET', `/api/audit/export?user=${grace.userToken}`, { as: 'admin' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="audit-log-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = res.text.trim().split(/\r?\n/);
    expect(lines[0]).toMatch(/^at,staff_email,staff_role,action,outcome,user_token/);
    const total = auditPageSchema.parse((await c.call('GET', `/api/audit?user=${grace.userToken}`, { as: 'admin' })).body).total;
    expect(lines).toHaveLength(total + 1);
    expect(lines.slice(1).every((line) => line.includes(grace.userToken))).toBe(true);
  });

  it('has no route that changes or removes an entry', async () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const res = await c.call(method, '/api/audit', { as: 'admin', body: method === 'DELETE' ? undefined : {} });
      expect([404, 405]).toContain(res.status);
    }
  });
});
