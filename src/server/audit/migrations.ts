// The console database's schema (the audit log and its hash chain, ended sessions, sign-in counters,
// the change path's records), as numbered SQL migrations run by PGlite and PostgreSQL alike, and the
// privileges the application's role gets when an owner role runs them (PostgreSQL).
// Never edit one that has shipped: databases in the field have it recorded as applied. Add a new one.
import type { SqlDb, SqlRunner } from './db';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'audit_log',
    // The allowed values are spelled out rather than built from src/api's lists: a migration must
    // stay what it was when applied. A later value needs a migration (the tests compare the lists).
    sql: `
      CREATE TABLE audit_log (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        staff_email text NOT NULL,
        staff_role text NOT NULL CHECK (staff_role IN ('viewer', 'editor', 'admin')),
        action text NOT NULL CHECK (action IN ('add_rule', 'delete_rule')),
        user_token text NOT NULL,
        wallet_token text NOT NULL,
        destination_token text,
        percentage numeric,
        rule_token text,
        idempotency_key text,
        masspay_status integer,
        outcome text NOT NULL
          CHECK (outcome IN ('requested', 'succeeded', 'refused', 'failed', 'unknown', 'forbidden')),
        request_id text NOT NULL
      );
      -- Newest first (id desc) within each exact-match filter; the date range scans by time.
      CREATE INDEX audit_log_user_token_id ON audit_log (user_token, id DESC);
      CREATE INDEX audit_log_staff_email_id ON audit_log (staff_email, id DESC);
      CREATE INDEX audit_log_at ON audit_log (at);

      -- Append-only in the database itself, so no code path (nor a slip in psql) changes history.
      -- Statement-level, so even an UPDATE or DELETE that matches no row is refused.
      CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END
      $$;
      CREATE TRIGGER audit_log_append_only
        BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
    `,
  },
  {
    version: 2,
    name: 'ended_sessions',
    // Sessions are cookies, so signing out ends one only where it is listed here: every replica
    // refuses a listed session until it would have expired anyway, then the row may go.
    sql: `
      CREATE TABLE ended_sessions (
        sid text PRIMARY KEY,
        ended_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX ended_sessions_expires_at ON ended_sessions (expires_at);
    `,
  },
  {
    version: 3,
    name: 'change_path',
    // The change path (src/server/changes): each entry may name its change and reason; percentage
    // changes are `edit_rule`; new outcomes. The idempotency record and the plans of percentage
    // changes live beside the log, so every replica sees them.
    sql: `
      ALTER TABLE audit_log ADD COLUMN change_id text, ADD COLUMN reason text;
      ALTER TABLE audit_log DROP CONSTRAINT audit_log_action_check,
        ADD CONSTRAINT audit_log_action_check CHECK (action IN ('add_rule', 'delete_rule', 'edit_rule'));
      ALTER TABLE audit_log DROP CONSTRAINT audit_log_outcome_check,
        ADD CONSTRAINT audit_log_outcome_check CHECK (outcome IN ('requested', 'succeeded', 'refused', 'failed',
          'unknown', 'forbidden', 'replayed', 'blocked', 'compensated'));
      CREATE INDEX audit_log_change_id ON audit_log (change_id) WHERE change_id IS NOT NULL;

      -- Idempotency-Key → the request it was first used for and how that ended. 'in_flight' while an
      -- attempt runs (until lease_until: a replica that died mid-attempt frees it then), 'done' with the
      -- answer to replay, 'unknown' when MassPay may or may not have acted (a retry re-reads and decides).
      CREATE TABLE idempotency_records (
        key text PRIMARY KEY,
        fingerprint text NOT NULL,
        state text NOT NULL CHECK (state IN ('in_flight', 'done', 'unknown')),
        status integer,
        content_type text,
        body text,
        change_id text,
        lease_until timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX idempotency_records_expires_at ON idempotency_records (expires_at);

      -- A percentage change's plan, written before each step runs, so a crash between the delete and
      -- the create is finished or compensated by whichever replica next holds the wallet's lock.
      CREATE TABLE rule_changes (
        id text PRIMARY KEY,
        user_token text NOT NULL,
        wallet_token text NOT NULL,
        destination_token text NOT NULL,
        old_rule_token text NOT NULL,
        old_percentage numeric NOT NULL,
        new_percentage numeric NOT NULL,
        attr_set_token text,
        new_rule_token text,
        state text NOT NULL CHECK (state IN ('deleting', 'creating', 'compensating', 'done', 'compensated', 'abandoned', 'failed')),
        staff_email text NOT NULL,
        staff_role text NOT NULL,
        reason text,
        idempotency_key text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX rule_changes_open ON rule_changes (updated_at) WHERE state IN ('deleting', 'creating', 'compensating');
    `,
  },
  {
    version: 4,
    name: 'sign_in_attempts',
    // Sign-in counters (src/server/auth/login-throttle.ts): one row per account (`account:<email>`)
    // and per client address (`address:<IPv4>` or `address:<IPv6 /64>`), counted by one upsert before
    // each password check, so replicas sharing the database share the limits. Rows past expires_at
    // are of no use and are deleted. Ended sessions get an id, so replicas read only the new ones.
    sql: `
      CREATE TABLE sign_in_attempts (
        key text PRIMARY KEY,
        attempts integer NOT NULL,
        window_start timestamptz NOT NULL,
        last_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX sign_in_attempts_expires_at ON sign_in_attempts (expires_at);

      ALTER TABLE ended_sessions ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY;
      CREATE UNIQUE INDEX ended_sessions_id ON ended_sessions (id);
    `,
  },
  {
    version: 5,
    name: 'audit_chain',
    // Each entry carries a SHA-256 chained to the entry before it (chain.ts checks it), and the
    // database, not the caller, decides an entry's id and time. A BEFORE INSERT trigger takes a
    // transaction-level advisory lock, so appends from every connection and replica take turns; it
    // reads the last entry (committed before the lock was granted), gives the new one the next id and
    // the clock's time — whatever the INSERT said, `OVERRIDING SYSTEM VALUE` included — and its hash.
    // The id comes from the last entry, not the identity sequence, so id order is the chain's order;
    // two appends that somehow read the same last entry would claim the same id, and the primary key
    // refuses the second: the chain cannot fork. Entries written before this migration are chained
    // here, in id order. The hashed content is spelled out field by field (length-prefixed, so no
    // value can pass for two): a column added later needs a new version of it.
    sql: `
      ALTER TABLE audit_log ADD COLUMN hash bytea;

      CREATE FUNCTION audit_log_field(value text) RETURNS text LANGUAGE sql STABLE AS $$
        SELECT CASE WHEN value IS NULL THEN 'N' ELSE 'S' || octet_length(convert_to(value, 'UTF8'))::text || ':' || value END
      $$;

      CREATE FUNCTION audit_log_entry_hash(previous bytea, e audit_log) RETURNS bytea LANGUAGE sql STABLE AS $$
        SELECT sha256(coalesce(previous, ''::bytea) || convert_to('audit_log/v1'
          || audit_log_field(e.id::text)
          || audit_log_field(to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
          || audit_log_field(e.staff_email) || audit_log_field(e.staff_role) || audit_log_field(e.action)
          || audit_log_field(e.user_token) || audit_log_field(e.wallet_token) || audit_log_field(e.destination_token)
          || audit_log_field(e.percentage::text) || audit_log_field(e.rule_token) || audit_log_field(e.idempotency_key)
          || audit_log_field(e.masspay_status::text) || audit_log_field(e.outcome) || audit_log_field(e.request_id)
          || audit_log_field(e.change_id) || audit_log_field(e.reason), 'UTF8'))
      $$;

      -- The entries so far, chained in id order (the append-only trigger is lifted for this only).
      ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;
      DO $$
      DECLARE
        entry audit_log;
        previous bytea;
      BEGIN
        FOR entry IN SELECT * FROM audit_log ORDER BY id LOOP
          previous := audit_log_entry_hash(previous, entry);
          UPDATE audit_log SET hash = previous WHERE id = entry.id;
        END LOOP;
      END
      $$;
      ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only;
      ALTER TABLE audit_log ALTER COLUMN hash SET NOT NULL;

      CREATE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        previous_id bigint;
        previous_hash bytea;
      BEGIN
        -- One append at a time on every connection: released at commit, after the entry is visible.
        PERFORM pg_advisory_xact_lock(7310042, TG_RELID::integer);
        SELECT id, hash INTO previous_id, previous_hash FROM audit_log ORDER BY id DESC LIMIT 1;
        NEW.id := coalesce(previous_id, 0) + 1;
        NEW.at := clock_timestamp();
        NEW.hash := audit_log_entry_hash(previous_hash, NEW);
        RETURN NEW;
      END
      $$;
      -- The trigger resolves names in this schema only, system functions first, so a caller's
      -- search_path (or a temporary table named audit_log) cannot change what it reads or computes.
      DO $$
      BEGIN
        EXECUTE format('ALTER FUNCTION audit_log_chain() SET search_path = pg_catalog, %I, pg_temp', current_schema());
      END
      $$;
      CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_chain();
    `,
  },
  {
    version: 6,
    name: 'read_card',
    // Every read of a card (status and balance from MassPay's card route) is recorded.
    sql: `
      ALTER TABLE audit_log DROP CONSTRAINT audit_log_action_check,
        ADD CONSTRAINT audit_log_action_check CHECK (action IN ('add_rule', 'delete_rule', 'edit_rule', 'read_card'));
    `,
  },
  {
    version: 7,
    name: 'unsettled_wallets',
    // Wallets with a rule write MassPay may still carry out (src/server/changes/settling.ts): no change
    // to them is decided until `until`.
    sql: `
      CREATE TABLE unsettled_wallets (
        wallet text PRIMARY KEY,
        until timestamptz NOT NULL
      );
    `,
  },
  {
    version: 8,
    name: 'payee_secrets',
    // Secrets of a payee the browser no longer gets (issue 16): a caller's date of birth is checked on
    // the server (`verify_caller`, its tries per payee counted here by src/server/verify-caller-limit.ts,
    // so every replica shares the limit), and a pickup code is shown only when staff reveal it
    // (`reveal_pickup_code`). Both are recorded.
    sql: `
      CREATE TABLE caller_verification_attempts (
        payee text PRIMARY KEY,
        attempts integer NOT NULL,
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX caller_verification_attempts_expires_at ON caller_verification_attempts (expires_at);

      ALTER TABLE audit_log DROP CONSTRAINT audit_log_action_check,
        ADD CONSTRAINT audit_log_action_check CHECK (action IN ('add_rule', 'delete_rule', 'edit_rule', 'read_card',
          'verify_caller', 'reveal_pickup_code'));
    `,
  },
  {
    version: 9,
    name: 'change_requests',
    // Four-eyes approval (src/server/approvals): a change that needs a second person waits here. Every
    // decision is one conditional UPDATE (`WHERE status = 'pending'`), so two approvers on two replicas
    // get one decision. Each transition is also in the audit log, under the request's id as change id.
    sql: `
      CREATE TABLE change_requests (
        id text PRIMARY KEY,
        status text NOT NULL CHECK (status IN ('pending', 'approved', 'applied', 'failed', 'rejected', 'withdrawn', 'expired')),
        action text NOT NULL CHECK (action IN ('add_rule', 'edit_rule', 'delete_rule')),
        user_token text NOT NULL,
        wallet_token text NOT NULL,
        destination_token text NOT NULL,
        percentage numeric,
        rule_token text,
        previous_percentage numeric,
        attr_set_token text,
        reason text,
        approval_reason text NOT NULL,
        requested_by text NOT NULL,
        requested_role text NOT NULL,
        requested_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        decided_by text,
        decided_at timestamptz,
        comment text,
        result_rule_token text,
        result_detail text,
        rules_at_request jsonb NOT NULL,
        rules_fingerprint text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX change_requests_status_requested_at ON change_requests (status, requested_at DESC);
      CREATE INDEX change_requests_wallet ON change_requests (user_token, wallet_token, requested_at DESC);
      -- A wallet's history and the audit page's wallet, destination and rule filters, newest first.
      CREATE INDEX audit_log_wallet_token_id ON audit_log (wallet_token, id DESC);
      CREATE INDEX audit_log_destination_token_id ON audit_log (destination_token, id DESC) WHERE destination_token IS NOT NULL;
      CREATE INDEX audit_log_rule_token_id ON audit_log (rule_token, id DESC) WHERE rule_token IS NOT NULL;

      ALTER TABLE audit_log DROP CONSTRAINT audit_log_outcome_check,
        ADD CONSTRAINT audit_log_outcome_check CHECK (outcome IN ('requested', 'succeeded', 'refused', 'failed',
          'unknown', 'forbidden', 'replayed', 'blocked', 'compensated',
          'awaiting_approval', 'approved', 'rejected', 'withdrawn', 'expired'));
    `,
  },
  {
    version: 10,
    name: 'bulk_jobs',
    // Bulk rule changes from a CSV (issue 15, src/server/bulk): a job, its wallets as the dry run saw
    // them, and its rows with their verdicts and outcomes. A job in 'resolving' or 'running' is worked by
    // the replica holding its lease (lease_owner until lease_until); another takes it over once it lapses.
    sql: `
      CREATE TABLE bulk_jobs (
        id text PRIMARY KEY,
        file_name text NOT NULL,
        requested_by text NOT NULL,
        requested_by_name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        -- resolving → ready → (awaiting_approval → approved) → running ⇄ paused → completed | cancelled | failed
        status text NOT NULL,
        row_count integer NOT NULL,
        decided_by text, decided_by_name text, decided_at timestamptz, decision_comment text,
        started_by text, started_at timestamptz, finished_at timestamptz,
        lease_owner text, lease_until timestamptz,
        error text
      );
      CREATE TABLE bulk_wallets (
        job_id text NOT NULL REFERENCES bulk_jobs(id) ON DELETE CASCADE,
        wallet_token text NOT NULL,
        user_token text NOT NULL,
        currency text NOT NULL,
        rules_before jsonb NOT NULL,
        rules_after jsonb NOT NULL,
        fingerprint text NOT NULL,
        PRIMARY KEY (job_id, wallet_token)
      );
      CREATE TABLE bulk_rows (
        job_id text NOT NULL REFERENCES bulk_jobs(id) ON DELETE CASCADE,
        line integer NOT NULL,
        input jsonb NOT NULL,
        user_token text, wallet_token text,
        verdict text,
        reason text,
        change jsonb,
        outcome text,
        outcome_reason text,
        rule_token text,
        done_at timestamptz,
        PRIMARY KEY (job_id, line)
      );
      CREATE INDEX bulk_rows_pending ON bulk_rows (job_id, wallet_token, line) WHERE verdict = 'change' AND outcome IS NULL;
    `,
  },
  {
    version: 11,
    name: 'bulk_job_events',
    // Every transition of a bulk job (approved, rejected, started, paused, resumed, cancelled, completed,
    // failed), by whom and why: the job's own history, insert-only for the application. The rows a job
    // applies are in the audit log, each under the change id `<job id>:<line>`.
    sql: `
      CREATE TABLE bulk_job_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        job_id text NOT NULL REFERENCES bulk_jobs(id),
        at timestamptz NOT NULL DEFAULT now(),
        event text NOT NULL,
        staff_email text,
        staff_role text,
        comment text,
        request_id text
      );
      CREATE INDEX bulk_job_events_job_id ON bulk_job_events (job_id, id);
    `,
  },
  {
    version: 12,
    name: 'audit_log_idempotency_key',
    // A change asked again under its key after its process died looks up what the first attempt
    // already recorded (src/server/changes/run-change.ts), so each outcome is in the log once.
    sql: `CREATE INDEX audit_log_idempotency_key ON audit_log (idempotency_key) WHERE idempotency_key IS NOT NULL;`,
  },
];

/**
 * With PostgreSQL the migrations run as an owner role and the application connects as another one
 * (DATABASE_MIGRATION_URL and DATABASE_URL), which gets exactly these privileges, given again by every
 * migration run. The log is insert-and-read only: the application cannot change, remove, forge the
 * id or time of, or stop the triggers on an entry. Every table of the schema must be listed here (a
 * test checks it): a new one needs its privileges decided.
 */
export const APP_PRIVILEGES: Readonly<Record<string, string>> = {
  audit_log: 'SELECT, INSERT',
  ended_sessions: 'SELECT, INSERT, DELETE',
  sign_in_attempts: 'SELECT, INSERT, UPDATE, DELETE',
  idempotency_records: 'SELECT, INSERT, UPDATE, DELETE',
  rule_changes: 'SELECT, INSERT, UPDATE, DELETE',
  unsettled_wallets: 'SELECT, INSERT, UPDATE, DELETE',
  caller_verification_attempts: 'SELECT, INSERT, UPDATE, DELETE',
  // Decided requests are history: the application updates a request's status, never removes one.
  change_requests: 'SELECT, INSERT, UPDATE',
  // A job is history once done; its wallets and rows are rewritten when a dry run starts again.
  bulk_jobs: 'SELECT, INSERT, UPDATE',
  bulk_wallets: 'SELECT, INSERT, UPDATE, DELETE',
  bulk_rows: 'SELECT, INSERT, UPDATE, DELETE',
  // A job's history: appended, never changed.
  bulk_job_events: 'SELECT, INSERT',
  schema_migrations: 'SELECT',
};

/** The console's functions, taken over with its tables from an application role that once ran the migrations. */
const OWN_FUNCTIONS = ['audit_log_refuse_change', 'audit_log_field', 'audit_log_entry_hash', 'audit_log_chain'];

// Any constant works; it only has to be the same for every process sharing the database.
const MIGRATION_LOCK = 7_310_042_001;

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Tables and functions of the console that `appRole` owns are handed to the role running the
 * migrations — a database whose migrations once ran as the application's role (before
 * DATABASE_MIGRATION_URL) — since an owner may do anything to its table. PostgreSQL allows it when the
 * migration role is a superuser or a member of `appRole` (`GRANT <app> TO <owner>`).
 */
const takeOverFrom = async (tx: SqlRunner, appRole: string, me: string) => {
  const owned = await tx.query<{ kind: 'table' | 'function'; name: string }>(
    `SELECT 'table' AS kind, format('%I', c.relname) AS name FROM pg_class c
       WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) AND c.relkind IN ('r', 'p') AND c.relname = ANY($2::text[])
         AND pg_get_userbyid(c.relowner) = $1
     UNION ALL
     SELECT 'function', p.oid::regprocedure::text FROM pg_proc p
       WHERE p.pronamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) AND p.proname = ANY($3::text[]) AND pg_get_userbyid(p.proowner) = $1`,
    [appRole, Object.keys(APP_PRIVILEGES), OWN_FUNCTIONS],
  );
  for (const { kind, name } of owned) {
    try {
      await tx.exec(`ALTER ${kind === 'table' ? 'TABLE' : 'FUNCTION'} ${name} OWNER TO CURRENT_USER`);
    } catch (error) {
      throw new Error(
        `The console's ${kind} ${name} is owned by the application's role ${appRole}, and the migration role ${me} cannot ` +
          `take it over: make the migration role a member of it (GRANT ${quoteIdent(appRole)} TO ${quoteIdent(me)}), or change ` +
          `the owners as a superuser. (${(error as Error).message})`,
        { cause: error },
      );
    }
  }
};

/** Exactly APP_PRIVILEGES to `appRole`, whatever it held before. */
const grantTo = async (tx: SqlRunner, appRole: string) => {
  const role = quoteIdent(appRole);
  const [schema] = await tx.query<{ name: string; usable: boolean }>(
    "SELECT format('%I', current_schema()) AS name, has_schema_privilege($1, current_schema(), 'USAGE') AS usable",
    [appRole],
  );
  if (schema && !schema.usable) await tx.exec(`GRANT USAGE ON SCHEMA ${schema.name} TO ${role}`);
  for (const [table, privileges] of Object.entries(APP_PRIVILEGES)) {
    await tx.exec(`REVOKE ALL ON TABLE ${table} FROM ${role}; GRANT ${privileges} ON TABLE ${table} TO ${role}`);
  }
};

/**
 * Applies the missing migrations in order, in one transaction, and records each. The advisory lock
 * makes a second process starting at the same time wait, then find nothing left to do.
 * With `appRole` (PostgreSQL, run as the owner role): first takes over the console's objects that
 * role owns, last gives it APP_PRIVILEGES. Returns the versions it applied.
 */
export const migrate = (db: SqlDb, migrations: readonly Migration[] = MIGRATIONS, { appRole }: { appRole?: string } = {}): Promise<number[]> =>
  db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    const [me] = await tx.query<{ role: string }>('SELECT current_user AS role');
    const separateApp = appRole !== undefined && appRole !== me!.role;
    if (separateApp) await takeOverFrom(tx, appRole, me!.role);
    await tx.exec(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )
    `);
    const done = new Set((await tx.query<{ version: number }>('SELECT version FROM schema_migrations')).map((row) => row.version));
    const applied: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(migration.version)) continue;
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      applied.push(migration.version);
    }
    if (separateApp) await grantTo(tx, appRole);
    return applied;
  });

/**
 * What still lets the application's role rewrite the log, said at start (run as the migration role):
 * the same role runs the migrations and owns the tables, or it is a superuser, or a member of the owner.
 */
export const roleWarnings = async (db: SqlRunner, appRole: string, { migrationUrlSet }: { migrationUrlSet: boolean }): Promise<string[]> => {
  const [row] = await db.query<{ owner: string; superuser: boolean | null; member: boolean | null; schemaOwner: boolean | null }>(
    `SELECT current_user AS owner, (SELECT rolsuper FROM pg_roles WHERE rolname = $1) AS superuser,
       CASE WHEN $1 = current_user THEN true ELSE pg_has_role($1, current_user, 'USAGE') END AS member,
       (SELECT pg_has_role($1, nspowner, 'USAGE') FROM pg_namespace WHERE nspname = current_schema()) AS "schemaOwner"`,
    [appRole],
  );
  if (!row) return [];
  const warnings: string[] = [];
  const unprotected =
    `the application's role ${appRole} runs the migrations, so it owns the audit log and could rewrite it (the hash chain still shows ` +
    "a changed entry, unless every hash after it is recomputed too). Set DATABASE_MIGRATION_URL to an owner role: DATABASE_URL's role is " +
    'then granted only what the console needs.';
  if (row.owner === appRole)
    warnings.push(
      migrationUrlSet
        ? `DATABASE_MIGRATION_URL signs in as the same role as DATABASE_URL: ${unprotected}`
        : `DATABASE_MIGRATION_URL is not set: ${unprotected}`,
    );
  if (row.superuser) {
    warnings.push(`the application's role ${appRole} is a superuser: it can rewrite the audit log whatever it is granted. Use a role without SUPERUSER.`);
  } else if (row.owner !== appRole) {
    if (row.member)
      warnings.push(`the application's role ${appRole} is a member of the owner role ${row.owner}, so it can rewrite the audit log: revoke that membership.`);
    if (row.schemaOwner) {
      warnings.push(
        `the application's role ${appRole} owns the schema of the audit log (from PostgreSQL 15 the database's owner owns \`public\`), ` +
          'so it can drop the log: give the schema (or the database) to the owner role.',
      );
    }
  }
  return warnings;
};
