// The audit log: append-only, embedded (PGlite) by default, PostgreSQL with DATABASE_URL. Both run
// the same SQL below and the same migrations. The database gives each entry its id, time and a hash
// chained to the entry before (migration 5; chain.ts checks it). With PostgreSQL the migrations run as
// an owner role (DATABASE_MIGRATION_URL) and the console's own role may only read and append.
import { join } from 'node:path';
import type { AuditChainStatus, AuditEntry, AuditFilters as AuditQueryFilters } from '../../api';
import { createChainMonitor } from './chain';
import type { SqlDb, SqlRunner } from './db';
import { MIGRATIONS, migrate, roleWarnings } from './migrations';

/** `changeId` and `reason` may be left out: most entries have neither. */
export type NewAuditEntry = Omit<AuditEntry, 'id' | 'at' | 'changeId' | 'reason'> & Partial<Pick<AuditEntry, 'changeId' | 'reason'>>;

/** The audit page's filters, and the server's own: `changesOnly` keeps a wallet's rule changes (its history). */
export type AuditFilters = AuditQueryFilters & { changesOnly?: boolean };

export interface AuditStore {
  kind: 'embedded' | 'postgres';
  /**
   * The console's database itself, for the other tables that live beside the log and their own stores
   * (ended sessions, sign-in counters, changes, idempotency).
   */
  sql: SqlDb;
  /** Durable when it resolves (committed); the server awaits it before answering the client. */
  append(entry: NewAuditEntry): Promise<AuditEntry>;
  /** Newest first (by id desc), paged on the server. `total` counts all matches. */
  list(filters: AuditFilters, page: { page: number; limit: number }): Promise<{ entries: AuditEntry[]; total: number }>;
  /** Every match, newest first, fetched in batches (keyset on id) — for the CSV export. */
  iterate(filters: AuditFilters): AsyncIterable<AuditEntry>;
  /** Whether an entry for `action` under this Idempotency-Key already has `outcome`. */
  hasOutcome(idempotencyKey: string, action: AuditEntry['action'], outcome: AuditEntry['outcome']): Promise<boolean>;
  /** The hash chain checked over every entry (chain.ts): the last check, a new one at most every 30 s. */
  chainStatus(): Promise<AuditChainStatus>;
  close(): Promise<void>;
}

// Conversions happen in SQL so both drivers hand back the same plain values whatever their type
// parsers do: id as text (bigint), `at` as ISO 8601 UTC with milliseconds, percentage as float8.
// ORDER BY must then say `audit_log.id`: a bare `id` would sort by the text alias ('9' after '10').
const COLUMNS = `
  id::text AS id,
  to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at,
  staff_email AS "staffEmail", staff_role AS "staffRole", action,
  user_token AS "userToken", wallet_token AS "walletToken", destination_token AS "destinationToken",
  percentage::float8 AS percentage, rule_token AS "ruleToken", idempotency_key AS "idempotencyKey",
  masspay_status AS "masspayStatus", outcome, request_id AS "requestId",
  change_id AS "changeId", reason`;

const INSERT = `
  INSERT INTO audit_log (staff_email, staff_role, action, user_token, wallet_token, destination_token,
    percentage, rule_token, idempotency_key, masspay_status, outcome, request_id, change_id, reason)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
  RETURNING ${COLUMNS}`;

const EXPORT_BATCH = 500;

const DAY_MS = 86_400_000;

/**
 * Midnight UTC of `day` (YYYY-MM-DD) plus `days`, as ISO. Refuses a day that does not exist: Date.parse
 * rolls 2026-02-30 over to March, PostgreSQL would reject it mid-query.
 */
export const utcMidnight = (day: string, days = 0): string => {
  const ms = Date.parse(`${day}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== day) {
    throw new RangeError(`Not a real date: ${day}`);
  }
  return new Date(ms + days * DAY_MS).toISOString();
};

/** `WHERE …` for the filters, parameters numbered from $1; `params` is extended in place. */
const whereClause = (filters: AuditFilters, params: unknown[]): string[] => {
  const conditions: string[] = [];
  const add = (sql: (placeholder: string) => string, value: unknown) => {
    params.push(value);
    conditions.push(sql(`$${params.length}`));
  };
  if (filters.user !== undefined) add((p) => `user_token = ${p}`, filters.user);
  if (filters.wallet !== undefined) add((p) => `wallet_token = ${p}`, filters.wallet);
  if (filters.destination !== undefined) add((p) => `destination_token = ${p}`, filters.destination);
  if (filters.rule !== undefined) add((p) => `rule_token = ${p}`, filters.rule);
  if (filters.staff !== undefined) add((p) => `staff_email = ${p}`, filters.staff);
  if (filters.action !== undefined) add((p) => `action = ${p}`, filters.action);
  // A wallet's history: the rule changes only (not its card reads).
  if (filters.changesOnly) conditions.push(`action IN ('add_rule', 'delete_rule', 'edit_rule')`);
  // Whole UTC days: from midnight of `from` up to (not including) midnight after `to`.
  if (filters.from !== undefined) add((p) => `at >= ${p}::timestamptz`, utcMidnight(filters.from));
  if (filters.to !== undefined) add((p) => `at < ${p}::timestamptz`, utcMidnight(filters.to, 1));
  return conditions;
};

const where = (conditions: string[]) => (conditions.length ? `WHERE ${conditions.join(' AND ')}` : '');

const listPage = async (db: SqlRunner, filters: AuditFilters, page: { page: number; limit: number }) => {
  const params: unknown[] = [];
  const conditions = where(whereClause(filters, params));
  const [count] = await db.query<{ total: string }>(`SELECT count(*)::text AS total FROM audit_log ${conditions}`, params);
  const entries = await db.query<AuditEntry>(
    `SELECT ${COLUMNS} FROM audit_log ${conditions} ORDER BY audit_log.id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, page.limit, (page.page - 1) * page.limit],
  );
  return { entries, total: Number(count?.total ?? 0) };
};

async function* iterate(db: SqlRunner, filters: AuditFilters): AsyncIterable<AuditEntry> {
  let before: string | undefined;
  for (;;) {
    const params: unknown[] = [];
    const conditions = whereClause(filters, params);
    if (before !== undefined) {
      params.push(before);
      conditions.push(`id < $${params.length}::bigint`);
    }
    params.push(EXPORT_BATCH);
    const batch = await db.query<AuditEntry>(
      `SELECT ${COLUMNS} FROM audit_log ${where(conditions)} ORDER BY audit_log.id DESC LIMIT $${params.length}`,
      params,
    );
    yield* batch;
    if (batch.length < EXPORT_BATCH) return;
    before = batch[batch.length - 1]!.id;
  }
}

export const createAuditStore = (kind: AuditStore['kind'], db: SqlDb, chain = createChainMonitor(db)): AuditStore => ({
  kind,
  sql: db,
  append: async (entry) => {
    const [row] = await db.query<AuditEntry>(INSERT, [
      entry.staffEmail,
      entry.staffRole,
      entry.action,
      entry.userToken,
      entry.walletToken,
      entry.destinationToken,
      entry.percentage,
      entry.ruleToken,
      entry.idempotencyKey,
      entry.masspayStatus,
      entry.outcome,
      entry.requestId,
      entry.changeId ?? null,
      entry.reason ?? null,
    ]);
    if (!row) throw new Error('audit_log INSERT returned no row');
    return row;
  },
  list: (filters, page) =>
    // One snapshot for the count and the page, so `total` agrees with the entries beside it.
    db.transaction(async (tx) => {
      await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      return listPage(tx, filters, page);
    }),
  iterate: (filters) => iterate(db, filters),
  hasOutcome: async (idempotencyKey, action, outcome) =>
    (await db.query(`SELECT 1 FROM audit_log WHERE idempotency_key = $1 AND action = $2 AND outcome = $3 LIMIT 1`, [idempotencyKey, action, outcome])).length >
    0,
  chainStatus: () => chain.status(),
  close: () => db.close(),
});

/** Where under DATA_DIR the embedded database lives. */
export const EMBEDDED_DB_DIR = 'audit-db';

export interface OpenAuditStoreOptions {
  /** PostgreSQL, as the application's role. Absent: the embedded PGlite under `dataDir`. */
  databaseUrl?: string;
  /**
   * PostgreSQL, as the role that owns the console's tables: the migrations run on it, then it grants
   * the application's role (whoever `databaseUrl` signs in as) exactly what it needs. Absent or the
   * same role: the migrations run on `databaseUrl`, and `onWarning` says the log is not protected.
   */
  migrationUrl?: string;
  dataDir: string;
  /** Told what still lets the application's role rewrite the log (see `roleWarnings`). */
  onWarning?: (message: string) => void;
}

/** Migrates as the owner (its own connection, closed after) and grants the application's role. */
const preparePostgres = async (db: SqlDb, options: OpenAuditStoreOptions) => {
  const [app] = await db.query<{ role: string }>('SELECT current_user AS role');
  const appRole = app!.role;
  if (!options.migrationUrl || options.migrationUrl === options.databaseUrl) {
    await migrate(db);
    return roleWarnings(db, appRole, { migrationUrlSet: Boolean(options.migrationUrl) });
  }
  const owner = await (await import('./postgres')).openPostgres(options.migrationUrl, { locks: false });
  try {
    await migrate(owner, MIGRATIONS, { appRole });
    return await roleWarnings(owner, appRole, { migrationUrlSet: true });
  } finally {
    await owner.close();
  }
};

export const openAuditStore = async (options: OpenAuditStoreOptions): Promise<AuditStore> => {
  // Loaded on demand: a server on PostgreSQL never loads the WebAssembly, and the reverse.
  const db = options.databaseUrl
    ? await (await import('./postgres')).openPostgres(options.databaseUrl)
    : await (await import('./pglite')).openPglite(join(options.dataDir, EMBEDDED_DB_DIR));
  try {
    if (options.databaseUrl) {
      for (const warning of await preparePostgres(db, options)) options.onWarning?.(warning);
    } else {
      await migrate(db);
    }
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
  return createAuditStore(options.databaseUrl ? 'postgres' : 'embedded', db);
};
