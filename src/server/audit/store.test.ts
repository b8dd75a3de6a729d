// The audit store against real databases: the same suite on the embedded PGlite and on the real
// PostgreSQL started by test/node-global-setup.ts. Nothing here stands in for PostgreSQL.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { AUDIT_ACTIONS, AUDIT_OUTCOMES, auditChainSchema, auditEntrySchema, STAFF_ROLES } from '../../api';
import { createEndedSessionStore } from '../auth/ended-sessions';
import { createChainMonitor, verifyAuditChain } from './chain';
import type { SqlDb } from './db';
import { MIGRATIONS, migrate } from './migrations';
import { openPglite } from './pglite';
import { openPostgres } from './postgres';
import { createAuditStore, openAuditStore, type AuditFilters, type AuditStore, type NewAuditEntry } from './store';
import { openFreshPglite, seedConsoleDataDir } from '../../../test/embedded-db-template';

const databaseUrl = inject('databaseUrl');
if (!databaseUrl) throw new Error("No 'databaseUrl': the node project's globalSetup (test/node-global-setup.ts) starts PostgreSQL");

const entry = (overrides: Partial<NewAuditEntry> = {}): NewAuditEntry => ({
  staffEmail: 'editor@example.com',
  staffRole: 'editor',
  action: 'add_rule',
  userToken: 'usr_ada',
  walletToken: 'wal_usd',
  destinationToken: 'dst_quick',
  percentage: 12.34,
  ruleToken: null,
  idempotencyKey: '7d1c2a52-8f0e-4b7e-9a51-0c9d1e2f3a4b',
  masspayStatus: null,
  outcome: 'requested',
  requestId: 'req-1',
  ...overrides,
});

/**
 * Test-only: a row with a chosen `at`. The database sets every entry's time itself, so the row is
 * appended, then its time rewritten as the owner, with the append-only trigger lifted (which breaks
 * the chain: these tests are about dates).
 */
const insertAt = async (sql: SqlDb, at: string, requestId: string) => {
  await sql.query(
    `INSERT INTO audit_log (staff_email, staff_role, action, user_token, wallet_token, outcome, request_id)
     VALUES ('admin@example.com', 'admin', 'delete_rule', 'usr_time', 'wal_time', 'requested', $1)`,
    [requestId],
  );
  await ownerRewrites(sql, 'UPDATE audit_log SET at = $1 WHERE request_id = $2', [at, requestId]);
};

/** What only the table's owner can do: `text` with the append-only trigger lifted. */
const ownerRewrites = async (sql: SqlDb, text: string, params: unknown[] = []) => {
  await sql.exec('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
  try {
    await sql.query(text, params);
  } finally {
    await sql.exec('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
  }
};

const requestIds = async (store: AuditStore, filters: AuditFilters) => (await store.list(filters, { page: 1, limit: 100 })).entries.map((e) => e.requestId);

interface Backend {
  kind: AuditStore['kind'];
  setup(): Promise<void>;
  /** A store on an empty schema of its own, and raw SQL on that same schema. */
  fresh(): Promise<{ store: AuditStore; sql: SqlDb }>;
  teardown(): Promise<void>;
}

// One database per backend; each test gets a schema of its own (a fresh PGlite would cost an
// initdb per test, and the log cannot be emptied: that is the point).
let schemaCount = 0;
const nextSchema = () => `t${process.pid}_${(schemaCount += 1)}`;

const embedded = (): Backend => {
  let dir = '';
  let db: SqlDb;
  return {
    kind: 'embedded',
    setup: async () => {
      dir = await mkdtemp(join(tmpdir(), 'audit-embedded-'));
      db = await openFreshPglite(join(dir, 'audit-db'));
    },
    fresh: async () => {
      // PGlite is one session: switching its search_path moves the store to the new schema.
      const schema = nextSchema();
      await db.exec(`CREATE SCHEMA ${schema}; SET search_path = ${schema}`);
      await migrate(db);
      return { store: createAuditStore('embedded', { ...db, close: async () => {} }), sql: db };
    },
    teardown: async () => {
      await db?.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
};

const postgres = (): Backend => {
  const opened: SqlDb[] = [];
  return {
    kind: 'postgres',
    setup: async () => {},
    fresh: async () => {
      const schema = nextSchema();
      const admin = await openPostgres(databaseUrl);
      await admin.exec(`CREATE SCHEMA ${schema}`);
      await admin.close();
      const url = new URL(databaseUrl);
      url.searchParams.set('options', `-c search_path=${schema}`);
      const db = await openPostgres(url.href);
      opened.push(db);
      await migrate(db);
      return { store: createAuditStore('postgres', db), sql: db };
    },
    teardown: async () => {
      await Promise.all(opened.map((db) => db.close()));
    },
  };
};

describe.each([embedded(), postgres()])('audit store: $kind', (backend) => {
  let store: AuditStore;
  let sql: SqlDb;
  beforeAll(() => backend.setup(), 30_000);
  afterAll(() => backend.teardown());
  const fresh = async () => ({ store, sql } = await backend.fresh());

  it('appends and reads back every field, ids as decimal strings, `at` as ISO UTC', async () => {
    await fresh();
    const before = Date.now();
    const full = entry({
      ruleToken: 'rul_1',
      masspayStatus: 201,
      outcome: 'succeeded',
      percentage: 0.01,
      changeId: 'c0ffee00-1111-4222-8333-444455556666',
      reason: 'Ticket #42 — payee asked, «ü»',
    });
    const sparse = entry({
      destinationToken: null,
      percentage: null,
      idempotencyKey: null,
      action: 'delete_rule',
      staffRole: 'admin',
      staffEmail: 'admin@example.com',
      requestId: 'req-2',
    });
    const a = await store.append(full);
    const b = await store.append(sparse);
    for (const [stored, input] of [
      [a, full],
      [b, sparse],
    ] as const) {
      expect(auditEntrySchema.parse(stored)).toEqual(stored);
      expect(stored).toEqual({
        changeId: null,
        reason: null,
        ...input,
        id: expect.stringMatching(/^[1-9]\d*$/),
        at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      });
      expect(Date.parse(stored.at)).toBeGreaterThanOrEqual(before - 1_000);
      expect(Date.parse(stored.at)).toBeLessThanOrEqual(Date.now() + 1_000);
    }
    expect(BigInt(b.id)).toBeGreaterThan(BigInt(a.id));
    expect((await store.list({}, { page: 1, limit: 10 })).entries).toEqual([b, a]);
  });

  it('keeps percentages exactly as given', async () => {
    await fresh();
    for (const percentage of [100, 99.99, 33.33, 0.1, 5]) {
      expect((await store.append(entry({ percentage }))).percentage).toBe(percentage);
    }
    expect((await store.list({}, { page: 1, limit: 10 })).entries.map((e) => e.percentage)).toEqual([5, 0.1, 33.33, 99.99, 100]);
  });

  it('accepts every role, action and outcome of the contract, and refuses others', async () => {
    await fresh();
    for (const staffRole of STAFF_ROLES) await store.append(entry({ staffRole }));
    for (const action of AUDIT_ACTIONS) await store.append(entry({ action }));
    for (const outcome of AUDIT_OUTCOMES) await store.append(entry({ outcome }));
    await expect(store.append(entry({ staffRole: 'owner' as never }))).rejects.toThrow(/check constraint/);
    await expect(store.append(entry({ action: 'move_rule' as never }))).rejects.toThrow(/check constraint/);
    await expect(store.append(entry({ outcome: 'maybe' as never }))).rejects.toThrow(/check constraint/);
    expect((await store.list({}, { page: 1, limit: 1 })).total).toBe(STAFF_ROLES.length + AUDIT_ACTIONS.length + AUDIT_OUTCOMES.length);
  });

  it('takes the time itself: `append` has no `at`, and one passed anyway is ignored', async () => {
    await fresh();
    // @ts-expect-error -- NewAuditEntry has no `at`
    const stored = await store.append({ ...entry(), at: '2001-01-01T00:00:00.000Z' });
    expect(Math.abs(Date.parse(stored.at) - Date.now())).toBeLessThan(60_000);
  });

  it('lists newest first and pages on the server, with the total of all matches', async () => {
    await fresh();
    for (let i = 1; i <= 7; i += 1) await store.append(entry({ requestId: `req-${i}` }));
    const pages = await Promise.all([1, 2, 3, 4].map((page) => store.list({}, { page, limit: 3 })));
    expect(pages.map((p) => p.entries.map((e) => e.requestId))).toEqual([['req-7', 'req-6', 'req-5'], ['req-4', 'req-3', 'req-2'], ['req-1'], []]);
    expect(pages.map((p) => p.total)).toEqual([7, 7, 7, 7]);
    const filtered = await store.list({ user: 'usr_nobody' }, { page: 1, limit: 3 });
    expect(filtered).toEqual({ entries: [], total: 0 });
  });

  describe('filters', () => {
    beforeAll(async () => {
      await fresh();
      const rows: Array<[string, Partial<NewAuditEntry>]> = [
        ['a1', { userToken: 'usr_ada', staffEmail: 'editor@example.com', action: 'add_rule' }],
        ['a2', { userToken: 'usr_ada', staffEmail: 'admin@example.com', action: 'delete_rule' }],
        ['g1', { userToken: 'usr_grace', staffEmail: 'editor@example.com', action: 'delete_rule' }],
        ['g2', { userToken: 'usr_grace', staffEmail: 'admin@example.com', action: 'add_rule' }],
        ['a3', { userToken: 'usr_ada', staffEmail: 'editor@example.com', action: 'delete_rule' }],
      ];
      for (const [requestId, fields] of rows) await store.append(entry({ requestId, ...fields }));
    });

    it.each<[string, AuditFilters, string[]]>([
      ['none', {}, ['a3', 'g2', 'g1', 'a2', 'a1']],
      ['user', { user: 'usr_ada' }, ['a3', 'a2', 'a1']],
      ['staff', { staff: 'admin@example.com' }, ['g2', 'a2']],
      ['action', { action: 'add_rule' }, ['g2', 'a1']],
      ['user + action', { user: 'usr_ada', action: 'delete_rule' }, ['a3', 'a2']],
      ['user + staff + action', { user: 'usr_grace', staff: 'editor@example.com', action: 'delete_rule' }, ['g1']],
      ['staff is exact, not a prefix or pattern', { staff: 'editor@example' }, []],
      ['staff is not a LIKE pattern', { staff: '%@example.com' }, []],
      ['user is exact', { user: 'usr_' }, []],
      ['no SQL in values', { user: "usr_ada' OR '1'='1" }, []],
    ])('%s', async (_name, filters, expected) => {
      expect(await requestIds(store, filters)).toEqual(expected);
      expect((await store.list(filters, { page: 1, limit: 1 })).total).toBe(expected.length);
    });
  });

  describe('date range: whole UTC days, both ends included', () => {
    beforeAll(async () => {
      await fresh();
      const times = [
        '2026-03-08T12:00:00.000Z',
        '2026-03-09T23:59:59.999Z',
        '2026-03-10T00:00:00.000Z',
        '2026-03-10T23:59:59.000Z',
        '2026-03-10T23:59:59.999Z',
        '2026-03-11T00:00:00.000Z',
        '2026-03-12T08:00:00.000Z',
      ];
      // Inserted in time order, so id order and time order agree.
      for (const at of times) await insertAt(sql, at, at);
    });

    it.each<[string, AuditFilters, string[]]>([
      ['one day', { from: '2026-03-10', to: '2026-03-10' }, ['2026-03-10T23:59:59.999Z', '2026-03-10T23:59:59.000Z', '2026-03-10T00:00:00.000Z']],
      ['from only', { from: '2026-03-11' }, ['2026-03-12T08:00:00.000Z', '2026-03-11T00:00:00.000Z']],
      ['to only', { to: '2026-03-09' }, ['2026-03-09T23:59:59.999Z', '2026-03-08T12:00:00.000Z']],
      [
        'two days',
        { from: '2026-03-09', to: '2026-03-10' },
        ['2026-03-10T23:59:59.999Z', '2026-03-10T23:59:59.000Z', '2026-03-10T00:00:00.000Z', '2026-03-09T23:59:59.999Z'],
      ],
      ['to before from', { from: '2026-03-11', to: '2026-03-10' }, []],
      ['with another filter', { from: '2026-03-10', to: '2026-03-10', user: 'usr_other' }, []],
    ])('%s', async (_name, filters, expected) => {
      const page = await store.list(filters, { page: 1, limit: 100 });
      expect(page.entries.map((e) => e.at)).toEqual(expected);
      expect(page.entries.map((e) => e.requestId)).toEqual(expected);
      expect(page.total).toBe(expected.length);
    });

    it('refuses a day that does not exist rather than rolling it over', async () => {
      await expect(store.list({ from: '2026-02-30' }, { page: 1, limit: 10 })).rejects.toThrow(/Not a real date: 2026-02-30/);
      await expect(store.list({ to: '2026-3-1' }, { page: 1, limit: 10 })).rejects.toThrow(RangeError);
    });
  });

  it('iterates every match newest first across batches, with no gap or repeat', async () => {
    await fresh();
    // 1,234 rows (more than two export batches), every third for usr_third, in one statement.
    await sql.query(
      `INSERT INTO audit_log (staff_email, staff_role, action, user_token, wallet_token, outcome, request_id)
       SELECT 'editor@example.com', 'editor', 'add_rule', CASE WHEN n % 3 = 0 THEN 'usr_third' ELSE 'usr_other' END,
              'wal_1', 'requested', 'req-' || n
       FROM generate_series(1, 1234) AS n`,
    );
    const all: string[] = [];
    for await (const e of store.iterate({})) all.push(e.requestId);
    expect(all).toEqual(Array.from({ length: 1234 }, (_, i) => `req-${1234 - i}`));
    // Paging sorts by the number too (a text sort would put req-999 first).
    const page = await store.list({}, { page: 2, limit: 500 });
    expect(page.entries.map((e) => e.requestId)).toEqual(all.slice(500, 1000));
    expect(page.total).toBe(1234);
    const thirds: string[] = [];
    for await (const e of store.iterate({ user: 'usr_third' })) thirds.push(e.requestId);
    expect(thirds).toEqual(Array.from({ length: 411 }, (_, i) => `req-${1233 - 3 * i}`));
    const none: unknown[] = [];
    for await (const e of store.iterate({ user: 'usr_nobody' })) none.push(e);
    expect(none).toEqual([]);
    // One statement of 1,234 rows chains them one by one, in id order.
    expect(await verifyAuditChain(sql, { batchSize: 500 })).toMatchObject({ verified: true, checkedEntries: 1234, brokenEntries: 0, head: { id: '1234' } });
  });

  describe('the hash chain', () => {
    it('chains every entry to the one before, as Node recomputes it, whatever the values hold', async () => {
      await fresh();
      expect(await verifyAuditChain(sql)).toEqual({ verified: true, checkedEntries: 0, brokenEntries: 0 });
      const odd = [
        entry(),
        entry({ reason: 'Ticket «42» — 😀 𝄞 "quoted" \\ back\nslash, tab\t, nul-free', changeId: 'c0ffee00-1111-4222-8333-444455556666' }),
        entry({ destinationToken: null, percentage: null, idempotencyKey: null, ruleToken: 'rul_S3:x', masspayStatus: 503, outcome: 'failed' }),
        entry({ percentage: 0.1, staffEmail: 'N', userToken: 'S1:a' }),
        entry({ percentage: 100, reason: '' }),
        entry({ percentage: 33.33, action: 'read_card', outcome: 'succeeded', masspayStatus: 200 }),
      ];
      const appended = [];
      for (const e of odd) appended.push(await store.append(e));
      const verdict = await verifyAuditChain(sql, { batchSize: 4 });
      expect(verdict).toMatchObject({ verified: true, checkedEntries: odd.length, head: { id: appended.at(-1)!.id } });
      // The database's hash is exactly Node's: SHA-256 of the previous hash and the canonical content.
      const rows = await sql.query<{ id: string; hash: string }>(`SELECT id::text AS id, encode(hash, 'hex') AS hash FROM audit_log ORDER BY id`);
      expect(rows.map((row) => row.id)).toEqual(appended.map((e) => e.id));
      expect(verdict.head!.hash).toBe(rows.at(-1)!.hash);
      expect(rows.every((row) => /^[0-9a-f]{64}$/.test(row.hash))).toBe(true);
    });

    it('gives ids and times itself: a forged id, time or hash in the INSERT is overridden', async () => {
      await fresh();
      const first = await store.append(entry());
      const [forged] = await sql.query<{ id: string; at: string }>(
        `INSERT INTO audit_log (id, at, hash, staff_email, staff_role, action, user_token, wallet_token, outcome, request_id)
         OVERRIDING SYSTEM VALUE VALUES (999999, '2001-01-01T00:00:00Z', '\\xdeadbeef', 'editor@example.com', 'editor', 'add_rule', 'usr_forged', 'wal_forged', 'requested', 'req-forged')
         RETURNING id::text AS id, extract(epoch FROM at)::float8 * 1000 AS at`,
      );
      expect(forged!.id).toBe(String(BigInt(first.id) + 1n));
      expect(Math.abs(Number(forged!.at) - Date.now())).toBeLessThan(60_000);
      // Without OVERRIDING SYSTEM VALUE an id is refused outright (GENERATED ALWAYS).
      await expect(
        sql.query(`INSERT INTO audit_log (id, staff_email, staff_role, action, user_token, wallet_token, outcome, request_id)
          VALUES (5, 'e@example.com', 'editor', 'add_rule', 'u', 'w', 'requested', 'r')`),
      ).rejects.toThrow(/non-DEFAULT value into column "id"/);
      expect(await verifyAuditChain(sql)).toMatchObject({ verified: true, checkedEntries: 2 });
    });

    it('shows a changed, removed or added entry, and a log rewritten up to an anchor or cut short', async () => {
      await fresh();
      const entries = [];
      for (let i = 1; i <= 6; i += 1) entries.push(await store.append(entry({ requestId: `req-${i}` })));
      const good = await verifyAuditChain(sql);
      expect(good).toMatchObject({ verified: true, checkedEntries: 6 });
      const [, second, third, , fifth] = entries;

      await ownerRewrites(sql, `UPDATE audit_log SET percentage = 99 WHERE id = $1`, [second!.id]);
      expect(await verifyAuditChain(sql)).toMatchObject({
        verified: false,
        checkedEntries: 6,
        brokenAt: second!.id,
        brokenEntries: 1,
        detail: expect.stringMatching(/does not match the chain/),
      });

      await ownerRewrites(sql, `DELETE FROM audit_log WHERE id = $1`, [fifth!.id]);
      expect(await verifyAuditChain(sql)).toMatchObject({ verified: false, checkedEntries: 5, brokenAt: second!.id, brokenEntries: 2 });

      // Whole chain recomputed after the change: only an anchor noted before shows it.
      await ownerRewrites(
        sql,
        `DO $$ DECLARE e audit_log; previous bytea; BEGIN
           FOR e IN SELECT * FROM audit_log ORDER BY id LOOP
             previous := audit_log_entry_hash(previous, e);
             UPDATE audit_log SET hash = previous WHERE id = e.id;
           END LOOP; END $$`,
      );
      expect(await verifyAuditChain(sql)).toMatchObject({ verified: true, checkedEntries: 5 });
      expect(await verifyAuditChain(sql, { anchor: { id: third!.id, hash: '00'.repeat(32) } })).toMatchObject({
        verified: false,
        brokenAt: third!.id,
        detail: expect.stringMatching(/rewritten/),
      });
      expect(await verifyAuditChain(sql, { anchor: good.head })).toMatchObject({ verified: false, brokenAt: good.head!.id });
      await ownerRewrites(sql, `DELETE FROM audit_log WHERE id = $1`, [good.head!.id]);
      expect(await verifyAuditChain(sql, { anchor: good.head })).toMatchObject({
        verified: false,
        brokenAt: good.head!.id,
        detail: expect.stringMatching(/missing/),
      });

      // An entry written with the chain's trigger off has no hash.
      await sql.exec('ALTER TABLE audit_log DISABLE TRIGGER audit_log_chain');
      await expect(store.append(entry())).rejects.toThrow(/null value in column "hash"/);
      await sql.exec('ALTER TABLE audit_log ENABLE TRIGGER audit_log_chain');
    });

    it('the store reports the chain, checked at most every 30 s', async () => {
      await fresh();
      await store.append(entry());
      const status = await store.chainStatus();
      expect(auditChainSchema.parse(status)).toEqual(status);
      expect(status).toMatchObject({ verified: true, checkedEntries: 1, headId: expect.any(String), headHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
      await store.append(entry());
      expect((await store.chainStatus()).checkedEntries).toBe(1);
    });

    it('after 30 s, the last check is answered at once while the next runs behind it', async () => {
      await fresh();
      let now = 1_000_000;
      const monitor = createChainMonitor(sql, { now: () => now });
      const first = await store.append(entry());
      expect(await monitor.status()).toMatchObject({ verified: true, checkedEntries: 1, headId: first.id });
      await store.append(entry());
      now += 30_000;
      expect(await monitor.status()).toMatchObject({ checkedEntries: 1 });
      await vi.waitFor(async () => expect(await monitor.status()).toMatchObject({ verified: true, checkedEntries: 2 }));
      await ownerRewrites(sql, 'UPDATE audit_log SET reason = $1 WHERE id = $2', ['edited', first.id]);
      now += 30_000;
      await vi.waitFor(async () => expect(await monitor.status()).toMatchObject({ verified: false, brokenAt: first.id, checkedEntries: 2 }));
    });
  });

  it('is append-only in the database: UPDATE, DELETE and TRUNCATE are refused', async () => {
    await fresh();
    const kept = await store.append(entry());
    await expect(sql.query(`UPDATE audit_log SET outcome = 'succeeded'`)).rejects.toThrow(/append-only: UPDATE/);
    await expect(sql.query('DELETE FROM audit_log WHERE id = $1', [kept.id])).rejects.toThrow(/append-only: DELETE/);
    // Statement-level: refused even when it would touch no row.
    await expect(sql.query('DELETE FROM audit_log WHERE false')).rejects.toThrow(/append-only: DELETE/);
    await expect(sql.query('TRUNCATE audit_log')).rejects.toThrow(/append-only: TRUNCATE/);
    expect((await store.list({}, { page: 1, limit: 10 })).entries).toEqual([kept]);
  });

  it('lists ended sessions until they expire, once each; an expired one is removed at the next sign-out', async () => {
    await fresh();
    const inAnHour = new Date(Date.now() + 3_600_000);
    // The ended sessions live in the same database as the log (auth/ended-sessions.ts).
    const ended = createEndedSessionStore(store.sql);
    await ended.endSession('sid-a', inAnHour);
    await ended.endSession('sid-a', inAnHour); // signed out twice (two tabs): still one row
    await ended.endSession('sid-gone', new Date(Date.now() - 1_000));
    expect(await ended.current()).toEqual(['sid-a']);
    await ended.endSession('sid-b', inAnHour);
    expect((await ended.current()).sort()).toEqual(['sid-a', 'sid-b']);
    expect((await sql.query<{ sid: string }>('SELECT sid FROM ended_sessions ORDER BY sid')).map((row) => row.sid)).toEqual(['sid-a', 'sid-b']);
  });
});

describe('migrations', () => {
  const applied = async (db: SqlDb) => (await db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).map((r) => r.version);
  const versions = MIGRATIONS.map((m) => m.version);

  it('embedded: applied once on the first open; a reopen keeps the data and applies nothing', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'audit-migrate-'));
    try {
      const first = await openAuditStore({ dataDir });
      expect(first.kind).toBe('embedded');
      const kept = await first.append(entry());
      await first.close();
      const db = await openPglite(join(dataDir, 'audit-db'));
      expect(await applied(db)).toEqual(versions);
      expect(await migrate(db)).toEqual([]);
      await db.close();
      const again = await openAuditStore({ dataDir });
      expect((await again.list({}, { page: 1, limit: 10 })).entries).toEqual([kept]);
      await again.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 30_000);

  it('migration 5 chains the entries written before it, in id order; later appends go on from them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'audit-backfill-'));
    const db = await openFreshPglite(join(dir, 'audit-db'));
    try {
      expect(
        await migrate(
          db,
          MIGRATIONS.filter((m) => m.version <= 4),
        ),
      ).toEqual([1, 2, 3, 4]);
      await db.query(
        `INSERT INTO audit_log (at, staff_email, staff_role, action, user_token, wallet_token, percentage, outcome, request_id, reason)
         SELECT '2026-01-01T00:00:00Z'::timestamptz + n * interval '1 minute', 'editor@example.com', 'editor', 'add_rule', 'usr_old', 'wal_old',
                n / 7.0, 'requested', 'old-' || n, CASE WHEN n % 2 = 0 THEN 'why ' || n END
         FROM generate_series(1, 40) AS n`,
      );
      // A gap in the ids (a rolled-back insert) is kept: the chain follows id order.
      await db.exec(
        'ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only; DELETE FROM audit_log WHERE id = 7; ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only',
      );
      expect(await migrate(db)).toEqual(versions.filter((v) => v > 4));
      expect(await verifyAuditChain(db)).toMatchObject({ verified: true, checkedEntries: 39, head: { id: '40' } });
      const store = createAuditStore('embedded', { ...db, close: async () => {} });
      expect((await store.append(entry())).id).toBe('41');
      expect(await verifyAuditChain(db)).toMatchObject({ verified: true, checkedEntries: 40 });
    } finally {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it('postgres: several servers starting at once on one database apply each migration once', async () => {
    const admin = await openPostgres(databaseUrl);
    const name = `migrate_${process.pid}`;
    await admin.exec(`CREATE DATABASE ${name}`);
    const url = new URL(databaseUrl);
    url.pathname = `/${name}`;
    const stores = await Promise.all([1, 2, 3, 4].map(() => openAuditStore({ databaseUrl: url.href, dataDir: '/nonexistent' })));
    try {
      expect(stores.map((s) => s.kind)).toEqual(['postgres', 'postgres', 'postgres', 'postgres']);
      const db = await openPostgres(url.href);
      expect(await applied(db)).toEqual(versions);
      expect(await migrate(db)).toEqual([]);
      await db.close();
      // They share one log: what one appends, another lists.
      const written = await stores[0]!.append(entry());
      expect((await stores[3]!.list({}, { page: 1, limit: 10 })).entries).toEqual([written]);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
      await admin.exec(`DROP DATABASE ${name}`);
      await admin.close();
    }
  });

  it('postgres: a wrong URL fails at open, not at the first append', async () => {
    const url = new URL(databaseUrl);
    url.pathname = '/no_such_database';
    await expect(openAuditStore({ databaseUrl: url.href, dataDir: '/nonexistent' })).rejects.toThrow(/no_such_database/);
  });
});

describe('embedded durability: what append acknowledged survives SIGKILL', () => {
  const child = fileURLToPath(new URL('./durability-child.ts', import.meta.url));
  let dataDir = '';
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'audit-kill-'));
    await seedConsoleDataDir(dataDir);
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  const spawnChild = (count: number) => spawn(process.execPath, ['--import', 'tsx', child, dataDir, String(count)], { stdio: ['ignore', 'pipe', 'pipe'] });

  /** Runs the child to its end. */
  const runChild = (count: number) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const proc = spawnChild(count);
      let stdout = '';
      let stderr = '';
      proc.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      proc.on('close', (code) => resolve({ code, stdout, stderr }));
    });

  /** Starts the child, SIGKILLs it after `killAfter` acknowledged appends, returns their ids. */
  const burstThenKill = (killAfter: number) =>
    new Promise<{ acked: Map<string, string>; openMs: number }>((resolve, reject) => {
      const proc = spawnChild(100_000);
      const acked = new Map<string, string>();
      let openMs = -1;
      let buffered = '';
      let stderr = '';
      proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      proc.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        for (const line of lines) {
          const [word, id, requestId] = line.split(' ');
          if (word === 'open') openMs = Number(id);
          if (word === 'ack') acked.set(id!, requestId!);
        }
        if (acked.size >= killAfter) proc.kill('SIGKILL');
      });
      // 'close', not 'exit': every line the child printed before dying has been read by then.
      proc.on('close', (code, signal) => (signal === 'SIGKILL' ? resolve({ acked, openMs }) : reject(new Error(`child exited ${code}: ${stderr}`))));
    });

  it('three kills mid-burst: every acknowledged entry is there, whole, and the store reopens each time', async () => {
    const everyAck = new Map<string, string>();
    const openTimes: number[] = [];
    let kills = 0;
    for (const killAfter of [150, 40, 90]) {
      kills += 1;
      const { acked, openMs } = await burstThenKill(killAfter);
      openTimes.push(openMs);
      expect(acked.size).toBeGreaterThanOrEqual(killAfter);
      for (const [id, requestId] of acked) everyAck.set(id, requestId);
      const store = await openAuditStore({ dataDir });
      const stored = new Map<string, string>();
      for await (const e of store.iterate({})) {
        expect(auditEntrySchema.parse(e)).toEqual(e);
        expect(e).toMatchObject({ userToken: 'usr_durable', percentage: 12.5, idempotencyKey: expect.stringMatching(/^key-/) });
        stored.set(e.id, e.requestId);
      }
      await store.close();
      for (const [id, requestId] of everyAck) expect(stored.get(id), `acknowledged id ${id}`).toBe(requestId);
      // Beyond those, at most the one append in flight at each kill (committed, not yet acknowledged).
      expect(stored.size - everyAck.size).toBeGreaterThanOrEqual(0);
      expect(stored.size - everyAck.size).toBeLessThanOrEqual(kills);
    }
    // The first open runs initdb; the others reopen after a SIGKILL.
    console.info(`embedded audit store open (ms): first ${openTimes[0]}, after SIGKILL ${openTimes.slice(1).join(', ')}`);
  }, 90_000);

  it('one server per data dir: a second open is refused while the first holds it, allowed after close', async () => {
    const store = await openAuditStore({ dataDir });
    try {
      await expect(openAuditStore({ dataDir })).rejects.toThrow(/already open in this process/);
      const other = await runChild(1);
      expect(other.code).not.toBe(0);
      expect(other.stderr).toContain(`in use by process ${process.pid}`);
    } finally {
      await store.close();
    }
    const after = await runChild(1);
    expect(after.stdout).toMatch(/^ack \d+ req-\d+-0$/m);
    expect(after.code).toBe(0);
  }, 30_000);
});
