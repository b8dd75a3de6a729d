// The change path (issue 13), against the LENIENT sandbox — which, like the documented MassPay, has no
// cap, allows duplicate destinations and ignores Idempotency-Key — so every refusal and every "never
// twice" below is the console's own. Once on the embedded store (one process), once on two replicas
// sharing PostgreSQL and one sandbox.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { PROBLEM_TYPES, browserCompaniesSchema, changePercentageResultSchema, type AuditEntry, type AutopayRule } from '../../api';
import { openPostgres } from '../audit/postgres';
import { openAuditStore, type AuditStore } from '../audit/store';
import { SEED_DESTINATIONS as D, SEED_PEOPLE } from '../../../test/seed';
import { startConsole, type RunningConsole } from '../../../test/server-support';

const { ada, grace } = SEED_PEOPLE;
const rulesPath = (user: string, wallet: string) => `/api/payout/wallet/${user}/${wallet}/autopayout`;
const adaRules = rulesPath(ada.userToken, ada.usdWallet);
const editPath = (rule: string, user = ada.userToken, wallet = ada.usdWallet) => `/api/console/wallet/${user}/${wallet}/autopayout/${rule}`;

interface Setup {
  /** The replicas; with one, the embedded store. */
  consoles: RunningConsole[];
  audit: AuditStore;
  close(): Promise<void>;
}

interface Timing {
  upstreamTimeoutMs: number;
  changes: { lockWaitMs: number; settleMs: number };
}
/**
 * The lock wait test needs a MassPay slower than the lock wait and quicker than the timeout, with room
 * on a loaded machine (a 3.5 s answer against a 5 s timeout once timed out in a profiled run).
 */
const LOCK_TIMING: Timing = { upstreamTimeoutMs: 10_000, changes: { lockWaitMs: 3_000, settleMs: 1_500 } };
/**
 * The settling tests need a timeout that a slow MassPay outlasts (undici's timers tick coarsely: the
 * 0.6 s timeout fires within about 1 s), and a settle time that outlasts the slow MassPay.
 */
const SETTLE_TIMING: Timing = { upstreamTimeoutMs: 600, changes: { lockWaitMs: 3_000, settleMs: 5_000 } };

const embeddedSetup = async (timing: Timing): Promise<Setup> => {
  const c = await startConsole({ sandbox: { policy: 'lenient' }, ...timing });
  return { consoles: [c], audit: c.audit, close: () => c.close() };
};

/** Two consoles, each with its own PostgreSQL pool on one schema, both in front of the first one's sandbox. */
const postgresSetup = async (timing: Timing): Promise<Setup> => {
  const schema = `changes_${process.pid}_${Date.now()}`;
  const admin = await openPostgres(inject('databaseUrl'));
  await admin.exec(`CREATE SCHEMA ${schema}`);
  await admin.close();
  const url = new URL(inject('databaseUrl'));
  url.searchParams.set('options', `-c search_path=${schema}`);
  const [auditA, auditB] = [
    await openAuditStore({ databaseUrl: url.href, dataDir: '/nonexistent' }),
    await openAuditStore({ databaseUrl: url.href, dataDir: '/nonexistent' }),
  ];
  const a = await startConsole({ sandbox: { policy: 'lenient' }, audit: auditA, ...timing });
  const b = await startConsole({ audit: auditB, upstream: { baseUrl: a.recorder.baseUrl, apiKey: a.embedded.apiKey }, ...timing });
  return {
    consoles: [a, b],
    audit: auditA,
    close: async () => {
      await Promise.all([a.close(), b.close()]);
      await Promise.all([auditA.close(), auditB.close()]);
    },
  };
};

const SETUPS = [
  ['embedded store, one process', embeddedSetup],
  ['PostgreSQL, two replicas', postgresSetup],
] as const;

/** Before each test: the seed wallets, no faults, nothing counted, no wallet waiting for a write to settle. */
const freshStart = async (s: Setup, main: RunningConsole) => {
  main.embedded.sandbox.faults.clear();
  await main.embedded.sandbox.store.reset();
  main.embedded.sandbox.stats.reset();
  for (const c of s.consoles) c.recorder.seen.length = 0;
  await s.audit.sql.query('DELETE FROM unsettled_wallets');
};

const entriesOf = async (audit: AuditStore, filter: (entry: AuditEntry) => boolean) => {
  const all: AuditEntry[] = [];
  for await (const entry of audit.iterate({ user: ada.userToken })) if (filter(entry)) all.push(entry);
  return all.reverse();
};

describe.each(SETUPS)('the change path: %s', (_name, setup) => {
  let s: Setup;
  let main: RunningConsole;
  /** The i-th request goes to replica i mod n. */
  const on = (i: number) => s.consoles[i % s.consoles.length]!;
  let usdDestinations: string[] = [];

  beforeAll(async () => {
    s = await setup(LOCK_TIMING);
    main = s.consoles[0]!;
    const companies = browserCompaniesSchema.parse((await main.call('GET', '/api/payout/country/USA')).body);
    usdDestinations = companies.companies
      .flatMap((company) => company.services.flatMap((service) => service.payers))
      .filter((payer) => payer.exchange_rate[0]?.currency_symbol === 'USD')
      .map((payer) => payer.destination_token);
  }, 60_000);
  afterAll(() => s.close());
  beforeEach(() => freshStart(s, main));

  const rulesNow = () => main.embedded.sandbox.store.state.rules[ada.usdWallet] ?? [];
  const totalOf = (rules: readonly AutopayRule[]) => rules.reduce((sum, rule) => sum + Math.round(rule.percentage * 100), 0) / 100;
  const entries = (filter: (entry: AuditEntry) => boolean) => entriesOf(s.audit, filter);
  const writesSent = () => (main.embedded.sandbox.stats.byRoute.createAutopayRule ?? 0) + (main.embedded.sandbox.stats.byRoute.deleteAutopayRule ?? 0);

  it('the sandbox under test is lenient: it would take the wallet past 100 % and repeat a key', async () => {
    expect(main.embedded.sandbox.policy).toBe('lenient');
  });

  it('40 simultaneous adds of 10 % to a wallet at 85 %: exactly one wins, the wallet ends at 95 %', async () => {
    const free = usdDestinations.filter((token) => token !== D.evergreen && token !== D.lakeside);
    expect(free.length).toBeGreaterThanOrEqual(3);
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        on(i).call('POST', adaRules, { body: { destination_token: free[i % free.length], percentage: 10 }, headers: { 'idempotency-key': randomUUID() } }),
      ),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status !== 200).every((status) => status === 409)).toBe(true);
    expect(answers.filter((answer) => answer.status === 409).every((answer) => answer.body.type === PROBLEM_TYPES.policy)).toBe(true);
    expect(totalOf(rulesNow())).toBe(95);
    expect(main.embedded.sandbox.stats.byRoute.createAutopayRule).toBe(1);
  });

  it('20 simultaneous adds of one destination: one rule', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        on(i).call('POST', adaRules, { body: { destination_token: D.quickCash, percentage: 5 }, headers: { 'idempotency-key': randomUUID() } }),
      ),
    );
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1);
    expect(rulesNow().filter((rule) => rule.destination_token === D.quickCash)).toHaveLength(1);
    expect(main.embedded.sandbox.stats.byRoute.createAutopayRule).toBe(1);
    const refused = answers.find((answer) => answer.status === 409)!;
    expect(refused.body).toMatchObject({ type: PROBLEM_TYPES.policy, errors: { destination_token: [expect.stringMatching(/Already has a rule/)] } });
  });

  it('100 repeats of one key, one after another: one POST reached MassPay; the log has one succeeded and 99 replayed', async () => {
    const key = randomUUID();
    const first = await on(0).call('POST', adaRules, { body: { destination_token: D.quickCash, percentage: 5 }, headers: { 'idempotency-key': key } });
    expect(first.status).toBe(200);
    for (let i = 1; i < 100; i += 1) {
      const again = await on(i).call('POST', adaRules, { body: { destination_token: D.quickCash, percentage: 5 }, headers: { 'idempotency-key': key } });
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
    }
    expect(main.embedded.sandbox.stats.byRoute.createAutopayRule).toBe(1);
    const outcomes = (await entries((entry) => entry.idempotencyKey === key)).map((entry) => entry.outcome);
    expect(outcomes.filter((outcome) => outcome === 'succeeded')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'replayed')).toHaveLength(99);
    expect(outcomes.filter((outcome) => outcome === 'requested')).toHaveLength(1);
  });

  it('the same key with a different request: 422; while its first attempt runs: 409 in flight', async () => {
    const key = randomUUID();
    main.embedded.sandbox.faults.set({ latencyMs: 700, latencyMethods: ['POST'] });
    const slow = on(0).call('POST', adaRules, { body: { destination_token: D.quickCash, percentage: 5 }, headers: { 'idempotency-key': key } });
    await new Promise((resolve) => setTimeout(resolve, 250));
    const meanwhile = await on(1).call('POST', adaRules, { body: { destination_token: D.quickCash, percentage: 5 }, headers: { 'idempotency-key': key } });
    expect(meanwhile.status).toBe(409);
    expect(meanwhile.body.type).toBe(PROBLEM_TYPES.idempotencyInFlight);
    expect((await slow).status).toBe(200);
    const different = await on(1).call('POST', adaRules, { body: { destination_token: D.quickCash, percentage: 6 }, headers: { 'idempotency-key': key } });
    expect(different.status).toBe(422);
    expect(different.body.type).toBe(PROBLEM_TYPES.idempotencyMismatch);
    expect(main.embedded.sandbox.stats.byRoute.createAutopayRule).toBe(1);
  });

  it('an outcome lost on the way is not replayed: the retry re-reads the rules and answers with the rule the first attempt made', async () => {
    const key = randomUUID();
    main.embedded.sandbox.faults.set({ failNext: { count: 1, drop: true, phase: 'after', methods: ['POST'] } });
    const lost = await on(0).call('POST', adaRules, { body: { destination_token: D.quickCash, percentage: 5 }, headers: { 'idempotency-key': key } });
    expect(lost.status).toBe(502);
    expect(lost.body.type).toBe(PROBLEM_TYPES.upstreamInterrupted);
    const retry = await on(1).call('POST', adaRules, { body: { destination_token: D.quickCash, percentage: 5 }, headers: { 'idempotency-key': key } });
    expect(retry.status).toBe(200);
    expect(rulesNow().filter((rule) => rule.destination_token === D.quickCash)).toEqual([retry.body]);
    // The lenient sandbox would have made a second rule: the console never sent a second POST.
    expect(main.embedded.sandbox.stats.byRoute.createAutopayRule).toBe(1);
    expect((await entries((entry) => entry.idempotencyKey === key)).map((entry) => entry.outcome)).toEqual(['requested', 'unknown', 'succeeded']);
  });

  it('a process that died after recording the outcome, before keeping the answer: the retry answers with what was made, and the log has each outcome once', async () => {
    /** As the record stands when its process died between the audit entry and `done`: claimed, its lease run out. */
    const dieBeforeDone = (key: string) =>
      s.audit.sql.query(
        `UPDATE idempotency_records SET state = 'in_flight', status = NULL, body = NULL, lease_until = now() - interval '1 second' WHERE key = $1`,
        [key],
      );
    const [addKey, deleteKey] = [randomUUID(), randomUUID()];
    const body = { destination_token: D.quickCash, percentage: 5 };
    const made = await on(0).call('POST', adaRules, { body, headers: { 'idempotency-key': addKey } });
    expect(made.status).toBe(200);
    await dieBeforeDone(addKey);
    const again = await on(1).call('POST', adaRules, { body, headers: { 'idempotency-key': addKey } });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(made.body);

    const rule = (made.body as AutopayRule).token;
    const deleted = await on(1).call('DELETE', `${adaRules}?token=${rule}`, { headers: { 'idempotency-key': deleteKey } });
    expect(deleted.status).toBe(200);
    await dieBeforeDone(deleteKey);
    const deletedAgain = await on(0).call('DELETE', `${adaRules}?token=${rule}`, { headers: { 'idempotency-key': deleteKey } });
    expect(deletedAgain.status).toBe(200);

    expect(main.embedded.sandbox.stats.byRoute.createAutopayRule).toBe(1);
    expect(main.embedded.sandbox.stats.byRoute.deleteAutopayRule).toBe(1);
    expect((await entries((entry) => entry.idempotencyKey === addKey)).map((entry) => entry.outcome)).toEqual(['requested', 'succeeded']);
    expect((await entries((entry) => entry.idempotencyKey === deleteKey)).map((entry) => entry.outcome)).toEqual(['requested', 'succeeded']);
  });

  it('a change that waits longer than the lock wait: 409 wallet-busy with Retry-After, nothing sent; another wallet does not wait', async () => {
    // Slower than the lock wait (3 s), quicker than the upstream timeout (10 s): it lands before the test ends.
    main.embedded.sandbox.faults.set({ latencyMs: 3_500, latencyMethods: ['POST'] });
    const slow = on(0).call('POST', adaRules, { body: { destination_token: D.quickCash, percentage: 5 }, headers: { 'idempotency-key': randomUUID() } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const busy = await on(1).call('DELETE', `${adaRules}?token=${rulesNow()[0]!.token}`, { headers: { 'idempotency-key': randomUUID() } });
    expect(busy.status).toBe(409);
    expect(busy.body.type).toBe(PROBLEM_TYPES.walletBusy);
    expect(Number(busy.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(main.embedded.sandbox.stats.byRoute.deleteAutopayRule).toBeUndefined();
    main.embedded.sandbox.faults.clear();
    // Grace's EUR wallet has its own lock.
    const other = await on(1).call('POST', rulesPath(grace.userToken, grace.eurWallet), { body: { destination_token: D.rhein, percentage: 5 } });
    expect(other.status).toBe(200);
    expect((await slow).status).toBe(200);
  });

  it('changes a percentage: one delete, then one create, in that order, under one change id', async () => {
    const evergreen = rulesNow().find((rule) => rule.destination_token === D.evergreen)!;
    const res = await on(1).call('PATCH', editPath(evergreen.token), {
      body: { percentage: 70 },
      headers: { 'idempotency-key': randomUUID(), 'x-change-reason': encodeURIComponent('Ticket #88 — payee asked') },
    });
    expect(res.status).toBe(200);
    const result = changePercentageResultSchema.parse(res.body);
    expect(result).toMatchObject({ replacedRuleToken: evergreen.token, rule: { destination_token: D.evergreen, percentage: 70 } });
    expect(rulesNow().map((rule) => [rule.destination_token, rule.percentage])).toEqual([
      [D.lakeside, 25],
      [D.evergreen, 70],
    ]);
    const writes = s.consoles
      .flatMap((c) => c.recorder.seen)
      .filter((seen) => seen.method !== 'GET')
      .map((seen) => seen.method);
    expect(writes).toEqual(['DELETE', 'POST']);
    const steps = await entries((entry) => entry.changeId === result.changeId);
    expect(steps.map((entry) => [entry.action, entry.outcome])).toEqual([
      ['edit_rule', 'requested'],
      ['delete_rule', 'requested'],
      ['delete_rule', 'succeeded'],
      ['add_rule', 'requested'],
      ['add_rule', 'succeeded'],
      ['edit_rule', 'succeeded'],
    ]);
    expect(steps.every((entry) => entry.reason === 'Ticket #88 — payee asked')).toBe(true);
  });

  it('a percentage change whose create fails: the old rule is put back, and the log shows the compensation', async () => {
    const evergreen = rulesNow().find((rule) => rule.destination_token === D.evergreen)!;
    main.embedded.sandbox.faults.set({ failNext: { count: 1, status: 400, methods: ['POST'] } });
    const res = await on(0).call('PATCH', editPath(evergreen.token), { body: { percentage: 70 }, headers: { 'idempotency-key': randomUUID() } });
    expect(res.status).toBe(502);
    expect(res.body.detail).toMatch(/old 60 % rule was put back/);
    const restored = rulesNow().filter((rule) => rule.destination_token === D.evergreen);
    expect(restored.map((rule) => rule.percentage)).toEqual([60]);
    const [edit] = await entries((entry) => entry.action === 'edit_rule' && entry.outcome === 'compensated');
    expect(edit).toMatchObject({ ruleToken: restored[0]!.token });
    const steps = await entries((entry) => entry.changeId === edit!.changeId);
    expect(steps.map((entry) => [entry.action, entry.outcome, entry.percentage])).toEqual([
      ['edit_rule', 'requested', 70],
      ['delete_rule', 'requested', 60],
      ['delete_rule', 'succeeded', 60],
      ['add_rule', 'requested', 70],
      ['add_rule', 'refused', 70],
      ['add_rule', 'requested', 60],
      ['add_rule', 'succeeded', 60],
      ['edit_rule', 'compensated', 70],
    ]);
  });

  it("a percentage change that does not fit: 409 on the field, with the wallet's other rules; nothing sent", async () => {
    const evergreen = rulesNow().find((rule) => rule.destination_token === D.evergreen)!;
    const res = await on(0).call('PATCH', editPath(evergreen.token), { body: { percentage: 80 } });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ type: PROBLEM_TYPES.policy, errors: { percentage: [expect.stringMatching(/At most 75 %/)] } });
    expect(res.body.detail).toMatch(/other rules hold 25 %; 80 % for this one would make 105 %/);
    expect(writesSent()).toBe(0);
  });

  it('bad input at the change routes: 4xx problem+json, nothing sent', async () => {
    const evergreen = rulesNow().find((rule) => rule.destination_token === D.evergreen)!;
    const unknownRule = 'autopayout_00000000-0000-4000-8000-000000000001';
    const cases: [string, string, unknown, Record<string, string>, number][] = [
      ['PATCH', editPath('not-a-token'), { percentage: 5 }, {}, 400],
      ['PATCH', editPath(evergreen.token, 'usr_x'), { percentage: 5 }, {}, 400],
      ['PATCH', `${editPath(evergreen.token)}?x=1`, { percentage: 5 }, {}, 400],
      ['PATCH', editPath(evergreen.token), { percentage: 0 }, {}, 400],
      ['PATCH', editPath(evergreen.token), { percentage: 10.001 }, {}, 400],
      ['PATCH', editPath(evergreen.token), { percentage: '10' }, {}, 400],
      ['PATCH', editPath(evergreen.token), { percentage: 10, destination_token: D.quickCash }, {}, 400],
      ['PATCH', editPath(evergreen.token), { percentage: 60 }, {}, 409],
      ['PATCH', editPath(unknownRule), { percentage: 10 }, {}, 404],
      ['PATCH', editPath(evergreen.token, ada.userToken, '00000000-0000-4000-8000-000000000000'), { percentage: 10 }, {}, 404],
      ['PATCH', editPath(evergreen.token), { percentage: 10 }, { 'x-change-reason': encodeURIComponent('x'.repeat(201)) }, 400],
      ['PATCH', editPath(evergreen.token), { percentage: 10 }, { 'x-change-reason': '%E0%A4%A' }, 400],
      ['PATCH', editPath(evergreen.token), { percentage: 10 }, { 'idempotency-key': 'has space' }, 400],
      ['DELETE', `${adaRules}?token=${unknownRule}`, undefined, {}, 404],
      ['POST', adaRules, { destination_token: D.rhein, percentage: 1 }, {}, 409],
      ['POST', adaRules, { destination_token: 'dest_00000000-0000-4000-8000-000000000000', percentage: 1 }, {}, 409],
      ['POST', rulesPath(ada.userToken, ada.inactiveWallet), { destination_token: D.quickCash, percentage: 1 }, {}, 409],
    ];
    for (const [method, path, body, headers, status] of cases) {
      const res = await on(0).call(method, path, { body, headers });
      expect([method, path, res.status]).toEqual([method, path, status]);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
    expect(writesSent()).toBe(0);
  });
});

// A write MassPay did not answer may still be carried out: the lenient sandbox, like a slow MassPay,
// finishes a request the console gave up on. Until it can no longer land, nothing is decided on the
// wallet's rules but "it landed" — on any replica.
describe.each(SETUPS)('a write MassPay did not answer: %s', (_name, setup) => {
  let s: Setup;
  let main: RunningConsole;
  const on = (i: number) => s.consoles[i % s.consoles.length]!;
  // MassPay takes 3.5 s; the console waits 0.6–1 s, then expects a late write for 5 s more. The margins
  // hold on a loaded machine: the retries "before it lands" must reach the console well before 3.5 s.
  const SLOW = 3_500;
  beforeAll(async () => {
    s = await setup(SETTLE_TIMING);
    main = s.consoles[0]!;
  }, 60_000);
  afterAll(() => s.close());
  beforeEach(() => freshStart(s, main));
  const quickCash = () => (main.embedded.sandbox.store.state.rules[ada.usdWallet] ?? []).filter((rule) => rule.destination_token === D.quickCash);
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const add = (i: number, key: string, percentage = 5, destination: string = D.quickCash) =>
    on(i).call('POST', adaRules, { body: { destination_token: destination, percentage }, headers: { 'idempotency-key': key } });

  it('an add that lands after the timeout: retries wait (409, Retry-After, nothing sent), then get the rule that landed — one rule, one POST', async () => {
    const key = randomUUID();
    main.embedded.sandbox.faults.set({ latencyMs: SLOW, latencyMethods: ['POST'] });
    const sentAt = Date.now();
    const first = await add(0, key);
    expect(first.status).toBe(504);
    expect(first.body.type).toBe(PROBLEM_TYPES.upstreamTimeout);
    main.embedded.sandbox.faults.clear();

    // Before it lands: the same change is told to wait for its first attempt; any other change to the wallet is busy.
    const retry = await add(1, key);
    expect(retry.status).toBe(409);
    expect(retry.body.type).toBe(PROBLEM_TYPES.idempotencyInFlight);
    expect(retry.body.detail).toMatch(/may still carry it out/);
    expect(Number(retry.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const other = await add(0, randomUUID(), 5, D.lakeside);
    expect(other.status).toBe(409);
    expect(other.body.type).toBe(PROBLEM_TYPES.walletBusy);
    expect(Number(other.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const evergreen = main.embedded.sandbox.store.state.rules[ada.usdWallet]!.find((rule) => rule.destination_token === D.evergreen)!;
    const edit = await on(1).call('PATCH', editPath(evergreen.token), { body: { percentage: 50 }, headers: { 'idempotency-key': randomUUID() } });
    expect([edit.status, edit.body.type]).toEqual([409, PROBLEM_TYPES.walletBusy]);
    expect(main.embedded.sandbox.stats.byRoute.createAutopayRule).toBe(1);
    expect(main.embedded.sandbox.stats.byRoute.deleteAutopayRule).toBeUndefined();

    // It lands (the sandbox finishes the abandoned request); the retry answers with that rule.
    await vi.waitFor(() => expect(quickCash()).toHaveLength(1), { timeout: 8_000, interval: 20 });
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(SLOW);
    const after = await add(1, key);
    expect(after.status).toBe(200);
    expect(after.body).toEqual(quickCash()[0]);
    expect(main.embedded.sandbox.stats.byRoute.createAutopayRule).toBe(1);
    expect((await entriesOf(s.audit, (entry) => entry.idempotencyKey === key)).map((entry) => entry.outcome)).toEqual(['requested', 'unknown', 'succeeded']);
  });

  it('an add whose connection broke and that never lands: after the settle time the retry makes it — one rule', async () => {
    const key = randomUUID();
    main.embedded.sandbox.faults.set({ failNext: { count: 1, drop: true, methods: ['POST'] } });
    const first = await add(0, key);
    expect([first.status, first.body.type]).toEqual([502, PROBLEM_TYPES.upstreamInterrupted]);
    const early = await add(1, key);
    expect([early.status, early.body.type]).toEqual([409, PROBLEM_TYPES.idempotencyInFlight]);
    const wait = Number(early.headers.get('retry-after'));
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(5);
    await sleep(wait * 1_000 + 100);
    const later = await add(1, key);
    expect(later.status).toBe(200);
    expect(quickCash()).toEqual([later.body]);
    expect(main.embedded.sandbox.stats.byRoute.createAutopayRule).toBe(2);
    expect((await entriesOf(s.audit, (entry) => entry.idempotencyKey === key)).map((entry) => entry.outcome)).toEqual([
      'requested',
      'unknown',
      'requested',
      'succeeded',
    ]);
  });

  it('a percentage change whose create lands after the timeout: no compensation beside it; the retry finds the new rule', async () => {
    const evergreen = main.embedded.sandbox.store.state.rules[ada.usdWallet]!.find((rule) => rule.destination_token === D.evergreen)!;
    const key = randomUUID();
    main.embedded.sandbox.faults.set({ latencyMs: SLOW, latencyMethods: ['POST'] });
    const sentAt = Date.now();
    const first = await on(0).call('PATCH', editPath(evergreen.token), { body: { percentage: 70 }, headers: { 'idempotency-key': key } });
    expect(first.status).toBe(502);
    expect(first.body.type).toBe(PROBLEM_TYPES.changeIncomplete);
    expect(first.body.detail).toMatch(/did not confirm the new 70 % rule/);
    main.embedded.sandbox.faults.clear();
    const evergreens = () => main.embedded.sandbox.store.state.rules[ada.usdWallet]!.filter((rule) => rule.destination_token === D.evergreen);
    await vi.waitFor(() => expect(evergreens().map((rule) => rule.percentage)).toEqual([70]), { timeout: 8_000, interval: 20 });
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(SLOW);
    const retry = await on(1).call('PATCH', editPath(evergreen.token), { body: { percentage: 70 }, headers: { 'idempotency-key': key } });
    expect(retry.status).toBe(200);
    expect(evergreens().map((rule) => rule.percentage)).toEqual([70]);
    expect(retry.body).toMatchObject({ rule: { token: evergreens()[0]!.token, percentage: 70 }, replacedRuleToken: evergreen.token });
    // One delete and one create: the old rule was never put back beside the late new one.
    expect([main.embedded.sandbox.stats.byRoute.deleteAutopayRule, main.embedded.sandbox.stats.byRoute.createAutopayRule]).toEqual([1, 1]);
  });
});

describe('settings and the reason', () => {
  let c: RunningConsole;
  beforeAll(async () => {
    c = await startConsole({ changes: { reason: 'required' } });
  });
  afterAll(() => c.close());

  it('GET /api/console/settings tells the SPA the policy, to every role', async () => {
    for (const as of ['viewer', 'editor', 'admin'] as const) {
      const res = await c.call('GET', '/api/console/settings', { as });
      expect(res.body).toEqual({ changeReason: 'required', approvalPolicy: 'off' });
    }
    expect((await c.call('GET', '/api/console/settings', { as: 'anonymous' })).status).toBe(401);
  });

  it('with CHANGE_REASON=required a change without a reason is refused on the field; with one it is recorded', async () => {
    const without = await c.call('POST', adaRules, { body: { destination_token: D.quickCash, percentage: 1 } });
    expect(without.status).toBe(400);
    expect(without.body.errors).toEqual({ reason: ['Give a reason or a ticket reference'] });
    expect(c.embedded.sandbox.stats.byRoute.createAutopayRule).toBeUndefined();
    const withReason = await c.call('POST', adaRules, {
      body: { destination_token: D.quickCash, percentage: 1 },
      headers: { 'x-change-reason': encodeURIComponent('Zendesk #4711: «payee request»') },
    });
    expect(withReason.status).toBe(200);
    const [entry] = (await c.audit.list({}, { page: 1, limit: 1 })).entries;
    expect(entry).toMatchObject({ outcome: 'succeeded', reason: 'Zendesk #4711: «payee request»' });
  });

  it('a viewer may not change a percentage: 403, recorded as forbidden, MassPay not asked', async () => {
    const [rule] = c.embedded.sandbox.store.state.rules[ada.usdWallet]!;
    const res = await c.call('PATCH', editPath(rule!.token), { as: 'viewer', body: { percentage: 10 } });
    expect(res.status).toBe(403);
    const [entry] = (await c.audit.list({}, { page: 1, limit: 1 })).entries;
    expect(entry).toMatchObject({ outcome: 'forbidden', action: 'edit_rule', ruleToken: rule!.token, staffEmail: 'viewer@example.com' });
  });
});
