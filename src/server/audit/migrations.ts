// The console database's schema (the audit log, ended sessions), as numbered SQL migrations run by PGlite and PostgreSQL alike.
// Never edit one that has shipped: databases in the field have it recorded as applied. Add a new one.
import type { SqlDb } from './db';

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
];

// Any constant works; it only has to be the same for every process sharing the database.
const MIGRATION_LOCK = 7_310_042_001;

/**
 * Applies the missing migrations in order, in one transaction, and records each. The advisory lock
 * makes a second process starting at the same time wait, then find nothing left to do.
 * Returns the versions it applied.
 */
export const migrate = (db: SqlDb, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> =>
  db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.exec(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )
    `);
    const done = new Set(
      (await tx.query<{ version: number }>('SELECT version FROM schema_migrations')).map((row) => row.version),
    );
    const applied: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(migration.version)) continue;
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      applied.push(migration.version);
    }
    return applied;
  });
