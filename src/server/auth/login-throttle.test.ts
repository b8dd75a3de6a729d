// Issue 16 item 1: sign-in throttling that holds under parallel bursts, on the embedded database and
// on a PostgreSQL shared by two servers. Every password check is counted through `checkPassword`.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPES } from '../../api';
import { openPostgres } from '../audit/postgres';
import { openAuditStore, type AuditStore } from '../audit/store';
import { rawCall, startConsole, TEST_PASSWORD, type RunningConsole } from '../../../test/server-support';
import { createEndedSessions, createEndedSessionStore } from './ended-sessions';
import { addressGroup, createLoginThrottle, resolveLoginLimits } from './login-throttle';
import { verifyPassword, type PasswordCheck } from './passwords';
import { seedConsoleDataDir } from '../../../test/embedded-db-template';

const XHR = { 'x-requested-with': 'XMLHttpRequest' };
const MINUTE = 60_000;
const LIMITS = { perIp: 30, perAccount: 5, windowMs: 15 * MINUTE };

/** The real scrypt check, counted; `hold` makes checks wait until it resolves. */
const countingCheck = () => {
  const counter = {
    checks: 0,
    hold: undefined as Promise<void> | undefined,
    check: (async (password, stored) => {
      counter.checks += 1;
      if (counter.hold) await counter.hold;
      return verifyPassword(password, stored);
    }) as PasswordCheck,
  };
  return counter;
};

const login = (c: RunningConsole, email: string, password: string, from?: string) =>
  rawCall(c.baseUrl, 'POST', '/auth/login', { body: { email, password }, headers: { ...XHR, ...(from ? { 'x-forwarded-for': from } : {}) } });

const tally = (statuses: number[]) => statuses.reduce<Record<number, number>>((all, s) => ({ ...all, [s]: (all[s] ?? 0) + 1 }), {});

const burst = (send: (i: number) => Promise<Awaited<ReturnType<typeof rawCall>>>, n = 40) => Promise.all(Array.from({ length: n }, (_, i) => send(i)));

/** A store of its own on a fresh embedded database, for a test that drives the throttle directly. */
const withOwnStore = async (run: (store: AuditStore) => Promise<void>) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'throttle-store-'));
  await seedConsoleDataDir(dataDir);
  const store = await openAuditStore({ dataDir });
  try {
    await run(store);
  } finally {
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  }
};

describe('which address a client is counted as', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2::1', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:ffff:ffff:ffff:ffff', '2001:db8:1:2::/64'],
    ['2001:db8:1:2:3:4:5.6.7.8', '2001:db8:1:2::/64'],
    ['2001:DB8:1:3::1', '2001:db8:1:3::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
  ])('%s → %s', (address, group) => expect(addressGroup(address)).toBe(group));
});

describe('sign-in throttling on the embedded database', () => {
  let c: RunningConsole;
  let clock = Date.now();
  const counter = countingCheck();
  beforeAll(async () => {
    // Behind a trusted proxy, so each test speaks from addresses of its own (X-Forwarded-For).
    c = await startConsole({ trustProxy: ['127.0.0.1'], auth: { now: () => clock, loginLimits: LIMITS, checkPassword: counter.check } });
  }, 60_000);
  afterAll(() => c.close());

  it('of 40 wrong passwords sent at once for one account, 5 are checked (401); 35 are answered 429 with Retry-After, unchecked', async () => {
    const before = counter.checks;
    const answers = await burst((i) => login(c, 'admin@example.com', `wrong-${i}`, '198.51.100.1'));
    expect(tally(answers.map((a) => a.status))).toEqual({ 401: 5, 429: 35 });
    expect(counter.checks - before).toBe(5);
    for (const refused of answers.filter((a) => a.status === 429)) {
      expect(refused.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
      expect(refused.body.type).toBe(PROBLEM_TYPES.tooManyAttempts);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    const unauthorized = answers.filter((a) => a.status === 401);
    expect(new Set(unauthorized.map((a) => a.body.detail)).size).toBe(1);

    // Now even the right password waits, unchecked; once the wait is over it signs in.
    const waiting = await login(c, 'admin@example.com', TEST_PASSWORD, '198.51.100.1');
    expect(waiting.status).toBe(429);
    expect(counter.checks - before).toBe(5);
    clock += Number(waiting.headers.get('retry-after')) * 1000;
    expect((await login(c, 'admin@example.com', TEST_PASSWORD, '198.51.100.1')).status).toBe(200);

    // A success resets the account's failures: 5 free ones again.
    const again = await burst((i) => login(c, 'admin@example.com', `wrong-again-${i}`, '198.51.100.1'), 8);
    expect(tally(again.map((a) => a.status))).toEqual({ 401: 5, 429: 3 });
  });

  it('after 5 free failures, one attempt per delay that doubles with each failure, up to 15 minutes; forgotten after a quiet window', async () => {
    const from = '198.51.100.2';
    const email = 'viewer@example.com';
    for (let i = 0; i < 5; i++) expect((await login(c, email, `wrong-${i}`, from)).status).toBe(401);
    const waits: number[] = [];
    for (let i = 0; i < 14; i++) {
      const refused = await login(c, email, `early-${i}`, from);
      expect(refused.status).toBe(429);
      const wait = Number(refused.headers.get('retry-after'));
      waits.push(wait);
      clock += wait * 1000 - 1;
      expect((await login(c, email, `still-early-${i}`, from)).status, 'one millisecond early').toBe(429);
      clock += 1;
      const checks = counter.checks;
      expect((await login(c, email, `on-time-${i}`, from)).status).toBe(401);
      expect(counter.checks).toBe(checks + 1);
    }
    // 1 s, 2 s, 4 s … doubling, and never a longer lock-out than 15 minutes.
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900, 900]);

    // The right password, on time: in; and failures start from zero again.
    clock += 900_000;
    expect((await login(c, email, TEST_PASSWORD, from)).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await login(c, email, `fresh-${i}`, from)).status).toBe(401);
    expect((await login(c, email, 'sixth', from)).status).toBe(429);
    // Without any attempt for a window after the next was allowed, the failures are forgotten.
    clock += 1_000 + LIMITS.windowMs;
    for (let i = 0; i < 5; i++) expect((await login(c, email, `later-${i}`, from)).status).toBe(401);
  });

  it('limits each address to 30 checked attempts per window, an IPv6 client per /64; other networks unaffected', async () => {
    const sameNetwork = (i: number) => `2001:db8:aa:bb:${(i + 1).toString(16)}::${i}`;
    // Two rounds of 15: within the 16 password checks allowed at once.
    const answers = [
      ...(await burst((i) => login(c, `person-${i}@example.com`, 'x', sameNetwork(i)), 15)),
      ...(await burst((i) => login(c, `person-${15 + i}@example.com`, 'x', sameNetwork(15 + i)), 15)),
    ];
    expect(tally(answers.map((a) => a.status))).toEqual({ 401: 30 });
    const checks = counter.checks;
    // Any other address of that /64, even with the right password: 429 unchecked.
    const blocked = await login(c, 'editor@example.com', TEST_PASSWORD, '2001:db8:aa:bb:ffff:1:2:3');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(800);
    expect(counter.checks).toBe(checks);
    // The refused attempt was not left counted against the account it named.
    const rows = await c.audit.sql.query<{ attempts: number }>("SELECT attempts FROM sign_in_attempts WHERE key = 'account:editor@example.com'");
    expect(rows).toEqual([{ attempts: 0 }]);
    // The next /64, or an IPv4 client: checked as usual.
    expect((await login(c, 'editor@example.com', TEST_PASSWORD, '2001:db8:aa:bc::1')).status).toBe(200);
    expect((await login(c, 'editor@example.com', TEST_PASSWORD, '192.0.2.10')).status).toBe(200);
  });

  it('beyond 16 password checks at once: 503 problem+json with Retry-After, and the attempt is not counted', async () => {
    let release!: () => void;
    counter.hold = new Promise<void>((resolve) => (release = resolve));
    const checks = counter.checks;
    try {
      const held = Array.from({ length: 16 }, (_, i) => login(c, `held-${i}@example.com`, 'x', `192.0.2.${100 + i}`));
      await expect.poll(() => counter.checks - checks, { timeout: 10_000, interval: 10 }).toBe(16);
      const over = await login(c, 'over@example.com', 'x', '192.0.2.200');
      expect(over.status).toBe(503);
      expect(over.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
      expect(over.body.type).toBe(PROBLEM_TYPES.tooManyAttempts);
      expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(counter.checks - checks).toBe(16);
      const counted = await c.audit.sql.query(
        "SELECT key FROM sign_in_attempts WHERE key IN ('account:over@example.com', 'address:192.0.2.200') AND attempts > 0",
      );
      expect(counted).toEqual([]);
      release();
      expect(tally((await Promise.all(held)).map((a) => a.status))).toEqual({ 401: 16 });
    } finally {
      release();
      counter.hold = undefined;
    }
    // Room again.
    expect((await login(c, 'over@example.com', 'x', '192.0.2.200')).status).toBe(401);
  });

  it('when the attempt cannot be counted (database down): 503 with Retry-After, and no password is checked', async () => {
    const sql = c.audit.sql;
    const failing = {
      ...sql,
      query: <Row>(text: string, params?: unknown[]) =>
        text.includes('sign_in_attempts') ? Promise.reject(new Error('database down')) : sql.query<Row>(text, params),
    };
    const down = await startConsole({ audit: { ...c.audit, sql: failing }, auth: { loginLimits: LIMITS, checkPassword: counter.check } });
    try {
      const checks = counter.checks;
      const res = await login(down, 'editor@example.com', TEST_PASSWORD);
      expect(res.status).toBe(503);
      expect(res.body.type).toBe(PROBLEM_TYPES.tooManyAttempts);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(counter.checks).toBe(checks);
      expect(down.logs.join('')).toMatch(/sign-in refused: the attempt could not be counted/);
    } finally {
      await down.close();
    }
  }, 60_000);

  it('attempts out of time order (two at once, or replicas whose clocks differ): a free one is still counted', async () => {
    await withOwnStore(async (store) => {
      let at = Date.parse('2026-12-05T10:00:00.050Z');
      const throttle = createLoginThrottle({ sql: store.sql, limits: resolveLoginLimits(LIMITS), now: () => at });
      expect((await throttle.count('192.0.2.7', 'x@example.com')).counted).toBe(true);
      // Stamped 50 ms earlier but written after: no failure to wait for yet, so no 429.
      at -= 50;
      expect(await throttle.count('192.0.2.8', 'x@example.com')).toMatchObject({ counted: true });
      const [row] = await store.sql.query<{ attempts: number; last_at: string }>(
        "SELECT attempts, to_char(last_at AT TIME ZONE 'UTC', 'HH24:MI:SS.MS') AS last_at FROM sign_in_attempts WHERE key = 'account:x@example.com'",
      );
      expect(row).toEqual({ attempts: 2, last_at: '10:00:00.050' });
      // Past the free failures the wait still holds, whatever the order.
      for (let i = 0; i < 3; i += 1) expect((await throttle.count('192.0.2.9', 'x@example.com')).counted).toBe(true);
      // Its wait runs from the latest attempt, 50 ms after this one's stamp: 1.05 s, rounded up.
      expect(await throttle.count('192.0.2.9', 'x@example.com')).toEqual({ counted: false, retryAfterSeconds: 2 });
    });
  }, 60_000);

  it('an attempt counted but then not checked (no room left by the time it was counted) is taken back', async () => {
    await withOwnStore(async (store) => {
      // The same throttle the route uses, with the gate's check raced the way concurrent requests race it.
      const throttle = createLoginThrottle({ sql: store.sql, limits: resolveLoginLimits({ ...LIMITS, maxChecksInFlight: 2 }), now: () => clock });
      const verdicts = await Promise.all(['a', 'b', 'c'].map((who) => throttle.count('192.0.2.1', `${who}@example.com`)));
      expect(verdicts.every((v) => v.counted)).toBe(true);
      const last = verdicts[2]!;
      if (last.counted) await last.attempt.cancel();
      const rows = await store.sql.query<{ key: string; attempts: number }>('SELECT key, attempts FROM sign_in_attempts ORDER BY key');
      expect(rows).toEqual([
        { key: 'account:a@example.com', attempts: 1 },
        { key: 'account:b@example.com', attempts: 1 },
        { key: 'account:c@example.com', attempts: 0 },
        { key: 'address:192.0.2.1', attempts: 2 },
      ]);
    });
  }, 60_000);
});

describe('on one PostgreSQL shared by two servers', () => {
  const databaseUrl = inject('databaseUrl');
  let schemaUrl: string;
  let stores: AuditStore[];
  let consoles: RunningConsole[];
  const counter = countingCheck();
  const dataDir = mkdtemp(join(tmpdir(), 'throttle-pg-'));

  beforeAll(async () => {
    const schema = `throttle_${process.pid}`;
    const admin = await openPostgres(databaseUrl);
    await admin.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
    await admin.close();
    const url = new URL(databaseUrl);
    url.searchParams.set('options', `-c search_path=${schema}`);
    schemaUrl = url.href;
    // Two stores (two connection pools), as two replicas have.
    stores = await Promise.all([0, 1].map(async () => openAuditStore({ databaseUrl: schemaUrl, dataDir: await dataDir })));
    consoles = await Promise.all(stores.map((audit) => startConsole({ audit, auth: { loginLimits: LIMITS, checkPassword: counter.check } })));
  }, 60_000);
  afterAll(async () => {
    await Promise.all((consoles ?? []).map((c) => c.close()));
    await Promise.all((stores ?? []).map((s) => s.close()));
    await rm(await dataDir, { recursive: true, force: true });
  });

  it('40 wrong passwords for one account spread over both servers: 5 checked, 35 answered 429', async () => {
    const answers = await burst((i) => login(consoles[i % 2]!, 'editor@example.com', `wrong-${i}`));
    expect(tally(answers.map((a) => a.status))).toEqual({ 401: 5, 429: 35 });
    expect(counter.checks).toBe(5);
    // Both servers answered some of each.
    expect(new Set(answers.flatMap((a, i) => (a.status === 429 ? [i % 2] : []))).size).toBe(2);
  });

  it('the ended-sessions list is read by id: a sign-out that commits after a later one is still seen', async () => {
    const [store] = stores;
    const log = { info: () => {}, error: () => {} } as never;
    const ended = await createEndedSessions({ store: createEndedSessionStore(store!.sql), refreshMs: 20, log });
    const late = `late-${Date.now()}`;
    const early = `early-${Date.now()}`;
    const expires = new Date(Date.now() + 60 * MINUTE);
    try {
      let commit!: () => void;
      const committed = new Promise<void>((resolve) => (commit = resolve));
      // Takes its id first, commits last.
      const slow = store!.sql.transaction(async (tx) => {
        await tx.query('INSERT INTO ended_sessions (sid, expires_at) VALUES ($1, $2)', [late, expires.toISOString()]);
        await committed;
      });
      await createEndedSessionStore(stores[1]!.sql).endSession(early, expires);
      await expect.poll(() => ended.has(early), { timeout: 5_000, interval: 10 }).toBe(true);
      expect(ended.has(late)).toBe(false);
      commit();
      await slow;
      await expect.poll(() => ended.has(late), { timeout: 5_000, interval: 10 }).toBe(true);
    } finally {
      ended.close();
    }
  });
});
