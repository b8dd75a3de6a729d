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
