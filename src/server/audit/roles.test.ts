// The audit log on PostgreSQL 15 with two roles, as it is deployed: the migrations run as an owner
// role (DATABASE_MIGRATION_URL), the console connects as an application role (DATABASE_URL) that may
// only read and append. Everything here is a real server and real roles (test/node-global-setup.ts).
import { randomUUID } from 'node:crypto';
import { auditVerify } from '../../../test/audit-verify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { auditPageSchema } from '../../api';
import { SEED_DESTINATIONS as D, SEED_PEOPLE } from '../../../test/seed';
import { rawCall, startConsole, type RunningConsole } from '../../../test/server-support';
import { verifyAuditChain } from './chain';
import type { SqlDb } from './db';
import { APP_PRIVILEGES, MIGRATIONS, migrate } from './migrations';
import { openPostgres } from './postgres';
import { openAuditStore, type AuditStore, type NewAuditEntry } from './store';

const databaseUrl = inject('databaseUrl');
if (!databaseUrl) throw new Error("No 'databaseUrl': the node project's globalSetup (test/node-global-setup.ts) starts PostgreSQL");

const id = process.pid;
const OWNER = `audit_owner_${id}`;
const APP = `audit_app_${id}`;
const DB = `audit_roles_${id}`;
const urlOf = (role: string, database: string) => {
  const url = new URL(databaseUrl);
  url.username = role;
  url.pathname = `/${database}`;
  return url.href;
};
const ownerUrl = urlOf(OWNER, DB);
const appUrl = urlOf(APP, DB);

const entry = (overrides: Partial<NewAuditEntry> = {}): NewAuditEntry => ({
  staffEmail: 'editor@example.com',
  staffRole: 'editor',
  action: 'add_rule',
  userToken: 'usr_ada',
  walletToken: 'wal_usd',
  destinationToken: 'dst_quick',
  percentage: 12.5,
  ruleToken: null,
  idempotencyKey: null,
  masspayStatus: null,
  outcome: 'requested',
  requestId: 'req-1',
  ...overrides,
});

let admin: SqlDb;
/** Raw SQL as the application's role, as a compromised console would have it. */
let asApp: SqlDb;
let store: AuditStore;
const warnings: string[] = [];
const databases: string[] = [];
const roles: string[] = [];

const createRole = async (name: string) => {
  await admin.exec(`CREATE ROLE ${name} LOGIN`);
  roles.push(name);
};
const createDatabase = async (name: string, owner: string) => {
  await admin.exec(`CREATE DATABASE ${name} OWNER ${owner}`);
  databases.push(name);
};

beforeAll(async () => {
  admin = await openPostgres(databaseUrl, { locks: false });
  await createRole(OWNER);
  await createRole(APP);
  // The owner role owns the database, hence (PostgreSQL 15) its `public` schema; the application's role owns nothing.
  await createDatabase(DB, OWNER);
  store = await openAuditStore({ databaseUrl: appUrl, migrationUrl: ownerUrl, dataDir: '/nonexistent', onWarning: (message) => warnings.push(message) });
  asApp = await openPostgres(appUrl, { locks: false });
}, 30_000);

afterAll(async () => {
  await asApp?.close();
  await store?.close();
  for (const database of databases) await admin.exec(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  for (const role of roles.reverse()) await admin.exec(`DROP ROLE IF EXISTS ${role}`);
  await admin?.close();
});

describe('the application role', () => {
  it('starts without a warning, and owns nothing', async () => {
    expect(warnings).toEqual([]);
    const [owned] = await asApp.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM pg_class WHERE relowner = r.oid)::int + (SELECT count(*) FROM pg_proc WHERE proowner = r.oid)::int AS n
       FROM pg_roles r WHERE rolname = current_user`,
    );
    expect(owned!.n).toBe(0);
    const tables = await asApp.query<{ tablename: string; tableowner: string }>(
      `SELECT tablename, tableowner FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`,
    );
    expect(tables.every((table) => table.tableowner === OWNER)).toBe(true);
  });

  it('holds exactly APP_PRIVILEGES, and every table of the schema is listed there', async () => {
    const rows = await asApp.query<{ table_name: string; privileges: string }>(
      `SELECT table_name, string_agg(privilege_type, ', ' ORDER BY privilege_type) AS privileges
       FROM information_schema.table_privileges WHERE grantee = current_user GROUP BY table_name`,
    );
    const held = Object.fromEntries(rows.map((row) => [row.table_name, row.privileges]));
    const expected = Object.fromEntries(Object.entries(APP_PRIVILEGES).map(([table, list]) => [table, list.split(', ').sort().join(', ')]));
    expect(held).toEqual(expected);
    const tables = await asApp.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`);
    expect(tables.map((t) => t.tablename).sort()).toEqual(Object.keys(APP_PRIVILEGES).sort());
  });

  it.each([
    ['UPDATE', `UPDATE audit_log SET outcome = 'succeeded'`, /permission denied for table audit_log/],
    ['UPDATE matching no row', `UPDATE audit_log SET outcome = 'succeeded' WHERE false`, /permission denied for table audit_log/],
    ['DELETE', 'DELETE FROM audit_log', /permission denied for table audit_log/],
    ['TRUNCATE', 'TRUNCATE audit_log', /permission denied for table audit_log/],
    ['DISABLE TRIGGER (append-only)', 'ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only', /must be owner of table audit_log/],
    ['DISABLE TRIGGER (chain)', 'ALTER TABLE audit_log DISABLE TRIGGER audit_log_chain', /must be owner of table audit_log/],
    ['DISABLE TRIGGER ALL', 'ALTER TABLE audit_log DISABLE TRIGGER ALL', /must be owner of table audit_log/],
    ['DROP TRIGGER', 'DROP TRIGGER audit_log_chain ON audit_log', /must be owner of (table|relation) audit_log/],
    ['DROP TABLE', 'DROP TABLE audit_log', /must be owner of table audit_log/],
    ['ALTER COLUMN', 'ALTER TABLE audit_log ALTER COLUMN hash DROP NOT NULL', /must be owner of table audit_log/],
    [
      'replace the chain function',
      `CREATE OR REPLACE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$`,
      /must be owner of function|permission denied for schema public/,
    ],
    ['alter the chain function', 'ALTER FUNCTION audit_log_chain() RESET search_path', /must be owner of function audit_log_chain/],
    ['skip triggers by replication role', 'SET session_replication_role = replica', /permission denied to set parameter/],
    ['UPDATE an ended session', `UPDATE ended_sessions SET expires_at = now()`, /permission denied for table ended_sessions/],
    ['write the migrations', `INSERT INTO schema_migrations (version, name) VALUES (99, 'x')`, /permission denied for table schema_migrations/],
  ])('cannot %s', async (_name, sql, error) => {
    const before = (await verifyAuditChain(asApp)).checkedEntries;
    await store.append(entry());
    await expect(asApp.exec(sql)).rejects.toThrow(error);
    expect(await verifyAuditChain(asApp)).toMatchObject({ verified: true, checkedEntries: before + 1 });
  });

  it('cannot choose an entry’s id, time or hash: the database’s are stored, even with OVERRIDING SYSTEM VALUE', async () => {
    const last = await store.append(entry({ requestId: 'before-forgery' }));
    const [forged] = await asApp.query<{ id: string; ms: number; hash: string }>(
      `INSERT INTO audit_log (id, at, hash, staff_email, staff_role, action, user_token, wallet_token, outcome, request_id)
       OVERRIDING SYSTEM VALUE VALUES (9000000000, '2001-01-01T00:00:00Z', '\\x00', 'admin@example.com', 'admin', 'delete_rule', 'usr_x', 'wal_x', 'succeeded', 'forged')
       RETURNING id::text AS id, extract(epoch FROM at)::float8 * 1000 AS ms, encode(hash, 'hex') AS hash`,
    );
    expect(forged!.id).toBe(String(BigInt(last.id) + 1n));
    expect(Math.abs(forged!.ms - Date.now())).toBeLessThan(60_000);
    expect(forged!.hash).toMatch(/^[0-9a-f]{64}$/);
    await expect(
      asApp.query(`INSERT INTO audit_log (at, staff_email, staff_role, action, user_token, wallet_token, outcome, request_id)
        VALUES ('2001-01-01T00:00:00Z', 'a@example.com', 'admin', 'add_rule', 'u', 'w', 'requested', 'r') RETURNING at < now() - interval '1 day' AS backdated`),
    ).resolves.toEqual([{ backdated: false }]);
    await expect(
      asApp.query(
        `INSERT INTO audit_log (id, staff_email, staff_role, action, user_token, wallet_token, outcome, request_id) VALUES (1, 'a', 'admin', 'add_rule', 'u', 'w', 'requested', 'r')`,
      ),
    ).rejects.toThrow(/non-DEFAULT value into column "id"/);
    expect(await verifyAuditChain(asApp)).toMatchObject({ verified: true });
  });

  it('cannot steer the chain with a temporary table or its search_path', async () => {
    const client = await openPostgres(appUrl, { locks: false });
    try {
      await client.transaction(async (tx) => {
        await tx.exec(
          `CREATE TEMP TABLE audit_log (id bigint, hash bytea); INSERT INTO pg_temp.audit_log VALUES (5000000000, '\\x00'); SET LOCAL search_path = pg_temp, public`,
        );
        const [row] = await tx.query<{ id: string }>(
          `INSERT INTO public.audit_log (staff_email, staff_role, action, user_token, wallet_token, outcome, request_id)
           VALUES ('e@example.com', 'editor', 'add_rule', 'u', 'w', 'requested', 'shadowed') RETURNING id::text AS id`,
        );
        expect(BigInt(row!.id)).toBeLessThan(5_000_000_000n);
      });
    } finally {
      await client.close();
    }
    expect(await verifyAuditChain(asApp)).toMatchObject({ verified: true });
  });
});

describe('two stores appending at once', () => {
  it('form one chain, ids without a gap, in the order the database took them', async () => {
    const other = await openAuditStore({ databaseUrl: appUrl, migrationUrl: ownerUrl, dataDir: '/nonexistent' });
    try {
      const before = await verifyAuditChain(asApp);
      const appended = await Promise.all(
        Array.from({ length: 120 }, (_, i) => (i % 2 === 0 ? store : other).append(entry({ requestId: `race-${i}`, reason: i % 3 === 0 ? `why ${i}` : null }))),
      );
      const ids = appended.map((e) => BigInt(e.id)).sort((a, b) => (a < b ? -1 : 1));
      expect(ids.at(-1)! - ids[0]! + 1n).toBe(120n);
      const after = await verifyAuditChain(asApp, { batchSize: 50, anchor: before.head });
      expect(after).toMatchObject({ verified: true, checkedEntries: before.checkedEntries + 120 });
      // Times follow ids: each entry's time is taken once the one before it is committed.
      const times = await asApp.query<{ ok: boolean }>(
        `SELECT bool_and(at >= lag) AS ok FROM (SELECT at, lag(at) OVER (ORDER BY id) FROM audit_log) t WHERE lag IS NOT NULL`,
      );
      expect(times[0]!.ok).toBe(true);
    } finally {
      await other.close();
    }
  });
});

describe('the console on the application role', () => {
  let c: RunningConsole;
  beforeAll(async () => {
    c = await startConsole({ audit: store });
  }, 30_000);
  afterAll(() => c?.close());

  it('signs in and out, changes rules, reads a card and shows the audit log with its chain, with nothing more granted', async () => {
    const { ada } = SEED_PEOPLE;
    const rules = `/api/payout/wallet/${ada.userToken}/${ada.usdWallet}/autopayout`;
    const added = await c.call('POST', rules, { body: { destination_token: D.quickCash, percentage: 5 }, headers: { 'idempotency-key': randomUUID() } });
    expect(added.status).toBe(200);
    const edited = await c.call('PATCH', `/api/console/wallet/${ada.userToken}/${ada.usdWallet}/autopayout/${added.body.token}`, {
      body: { percentage: 6 },
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(edited.status).toBe(200);
    const card = await c.call('GET', `/api/payout/wallet/${ada.userToken}/${ada.cardWallet}/card`, { as: 'viewer' });
    expect(card.status).toBe(200);
    const cookie = await c.sessionCookie('viewer');
    expect((await rawCall(c.baseUrl, 'POST', '/auth/logout', { headers: { cookie, 'x-requested-with': 'XMLHttpRequest' } })).status).toBe(204);
    const page = await c.call('GET', '/api/audit?limit=100', { as: 'admin' });
    expect(page.status).toBe(200);
    const parsed = auditPageSchema.parse(page.body);
    expect(parsed.chain).toMatchObject({ verified: true, checkedEntries: parsed.total });
    expect(parsed.entries.find((e) => e.requestId === card.headers.get('x-request-id'))).toMatchObject({
      action: 'read_card',
      outcome: 'succeeded',
      staffEmail: 'viewer@example.com',
    });
  });
});

describe('an owner who rewrites an entry', () => {
  it('is caught by the check, as a library and as `npm run audit:verify`', async () => {
    const intact = await auditVerify(appUrl);
    expect(intact.code).toBe(0);
    expect(intact.stdout).toMatch(/INTACT: \d+ entries checked/);
    const head = /Last entry: (\d+:[0-9a-f]{64})/.exec(intact.stdout)![1]!;

    const victim = await store.append(entry({ percentage: 10, requestId: 'victim' }));
    await store.append(entry({ requestId: 'after-victim' }));
    const owner = await openPostgres(ownerUrl, { locks: false });
    try {
      await owner.exec('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
      await owner.query('UPDATE audit_log SET percentage = 90 WHERE id = $1', [victim.id]);
      await owner.exec('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
    } finally {
      await owner.close();
    }
    expect(await verifyAuditChain(asApp)).toMatchObject({ verified: false, brokenAt: victim.id, brokenEntries: 1 });
    const fresh = await openAuditStore({ databaseUrl: appUrl, migrationUrl: ownerUrl, dataDir: '/nonexistent' });
    try {
      expect(await fresh.chainStatus()).toMatchObject({ verified: false, brokenAt: victim.id, detail: expect.stringMatching(/does not match/) });
    } finally {
      await fresh.close();
    }

    const broken = await auditVerify(appUrl);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(`BROKEN at entry ${victim.id}`);
    const json = await auditVerify(appUrl, '--json', '--anchor', head);
    expect(JSON.parse(json.stdout)).toMatchObject({ verified: false, brokenAt: victim.id, checkedEntries: expect.any(Number) });
  }, 30_000);

  it('the script says so when it cannot check: 2 and a reason', async () => {
    const missing = await auditVerify(urlOf(APP, 'no_such_database'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no_such_database/);
    const badAnchor = await auditVerify(appUrl, '--anchor', 'x');
    expect(badAnchor.code).toBe(2);
    expect(badAnchor.stderr).toMatch(/--anchor must be/);
  }, 30_000);
});

describe('start-up', () => {
  it('a database whose migrations ran as the application role is taken over by the owner role, when it is a member of it', async () => {
    const [owner, app, database] = [`audit_owner2_${id}`, `audit_app2_${id}`, `audit_legacy_${id}`];
    await createRole(owner);
    await createRole(app);
    await createDatabase(database, 'postgres');
    const asAdmin = await openPostgres(urlOf('postgres', database), { locks: false });
    await asAdmin.exec(`GRANT CREATE ON SCHEMA public TO ${app}, ${owner}`);
    // Before DATABASE_MIGRATION_URL: the application's role ran the migrations and owns everything.
    const legacy = await openPostgres(urlOf(app, database), { locks: false });
    await migrate(
      legacy,
      MIGRATIONS.filter((m) => m.version <= 4),
    );
    await legacy.query(
      `INSERT INTO audit_log (staff_email, staff_role, action, user_token, wallet_token, outcome, request_id) VALUES ('e@example.com', 'editor', 'add_rule', 'u', 'w', 'requested', 'old')`,
    );
    await legacy.close();
    try {
      const open = () => openAuditStore({ databaseUrl: urlOf(app, database), migrationUrl: urlOf(owner, database), dataDir: '/nonexistent' });
      await expect(open()).rejects.toThrow(new RegExp(`owned by the application's role ${app}.*GRANT "${app}" TO "${owner}"`));
      await asAdmin.exec(`GRANT ${app} TO ${owner}`);
      const upgraded = await open();
      try {
        const asLegacyApp = await openPostgres(urlOf(app, database), { locks: false });
        try {
          await expect(asLegacyApp.exec(`UPDATE audit_log SET outcome = 'succeeded'`)).rejects.toThrow(/permission denied/);
          await expect(asLegacyApp.exec('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only')).rejects.toThrow(/must be owner/);
          await upgraded.append(entry());
          expect(await verifyAuditChain(asLegacyApp)).toMatchObject({ verified: true, checkedEntries: 2 });
        } finally {
          await asLegacyApp.close();
        }
        const owners = await asAdmin.query<{ owner: string }>(
          `SELECT DISTINCT pg_get_userbyid(relowner) AS owner FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'
           UNION SELECT DISTINCT pg_get_userbyid(proowner) FROM pg_proc WHERE pronamespace = 'public'::regnamespace`,
        );
        expect(owners).toEqual([{ owner }]);
      } finally {
        await upgraded.close();
      }
    } finally {
      await asAdmin.close();
    }
  }, 30_000);

  it('warns when the log is not protected: one URL, a superuser, or an application role that owns the schema', async () => {
    const said: string[] = [];
    const onWarning = (message: string) => said.push(message);
    const one = await openAuditStore({ databaseUrl: ownerUrl, dataDir: '/nonexistent', onWarning });
    await one.close();
    expect(said).toEqual([expect.stringMatching(/^DATABASE_MIGRATION_URL is not set: the application's role audit_owner_\d+ runs the migrations/)]);

    said.length = 0;
    const superuser = await openAuditStore({ databaseUrl: urlOf('postgres', DB), migrationUrl: ownerUrl, dataDir: '/nonexistent', onWarning });
    await superuser.close();
    expect(said).toEqual([expect.stringMatching(/role postgres is a superuser/)]);

    const [owner, app, database] = [`audit_owner3_${id}`, `audit_app3_${id}`, `audit_appdb_${id}`];
    await createRole(owner);
    await createRole(app);
    await createDatabase(database, app);
    const asAdmin = await openPostgres(urlOf('postgres', database), { locks: false });
    await asAdmin.exec(`GRANT CREATE ON SCHEMA public TO ${owner}`);
    await asAdmin.close();
    said.length = 0;
    const appOwnsDb = await openAuditStore({ databaseUrl: urlOf(app, database), migrationUrl: urlOf(owner, database), dataDir: '/nonexistent', onWarning });
    await appOwnsDb.close();
    expect(said).toEqual([expect.stringMatching(/owns the schema of the audit log.*can drop the log/)]);
  }, 30_000);
});
