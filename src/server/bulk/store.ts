// Bulk jobs, their wallets and rows (migration 10), in the console's database. Rows go in and come back
// in batches (one statement per batch through jsonb_to_recordset), so a 10,000-row file is a handful
// of statements, not 10,000.
import { randomUUID } from 'node:crypto';
import type {
  AutopayRule,
  BulkChange,
  BulkCounts,
  BulkProgress,
  BulkJob,
  BulkJobStatus,
  BulkJobSummary,
  BulkRow,
  BulkRowInput,
  BulkRowQuery,
  BulkWallet,
  StaffRole,
} from '../../api';
import type { SqlDb, SqlRunner } from '../audit/db';

const ISO = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const JOB_COLUMNS = `id, file_name AS "fileName", status, row_count AS "rowCount", requested_by AS "requestedBy",
  requested_by_name AS "requestedByName", ${ISO('created_at')} AS "createdAt", decided_by AS "decidedBy",
  decided_by_name AS "decidedByName", ${ISO('decided_at')} AS "decidedAt", decision_comment AS "decisionComment",
  started_by AS "startedBy", ${ISO('started_at')} AS "startedAt", ${ISO('finished_at')} AS "finishedAt", error`;

const ROW_COLUMNS = `line, input, user_token AS "userToken", wallet_token AS "walletToken", verdict, reason, change,
  outcome, outcome_reason AS "outcomeReason", rule_token AS "ruleToken", ${ISO('done_at')} AS "doneAt"`;

const WALLET_COLUMNS = `wallet_token AS "walletToken", user_token AS "userToken", currency, rules_before AS "rulesBefore",
  rules_after AS "rulesAfter", fingerprint`;

/** Rows per INSERT or UPDATE statement. */
const BATCH = 1_000;

// node-postgres and PGlite parse jsonb; a value read back as text must still work.
const json = <T>(value: T | string): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value);

const rowOf = (row: BulkRow): BulkRow => ({ ...row, input: json(row.input), change: row.change === null ? null : json(row.change) });
const walletOf = (wallet: BulkWallet): BulkWallet => ({ ...wallet, rulesBefore: json(wallet.rulesBefore), rulesAfter: json(wallet.rulesAfter) });

const batches = <T>(items: readonly T[]) =>
  Array.from({ length: Math.ceil(items.length / BATCH) }, (_, index) => items.slice(index * BATCH, (index + 1) * BATCH));

/**
 * Between two batches, lets the event loop answer what waits (the embedded database runs each
 * statement on the main thread: a 10,000-row file's batches back to back froze other staff
 * members' requests for 0.7 s; now each waits one batch at most).
 */
const turnForOthers = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface NewBulkJob {
  fileName: string;
  requestedBy: string;
  requestedByName: string;
  rows: readonly { line: number; input: BulkRowInput }[];
  /** The upload as the job's first event (bulk_job_events, beside the runner's), when staff made it. */
  uploadedBy?: { role: StaffRole; requestId: string };
}

/** A row's verdict from the dry run. */
export interface RowVerdict {
  line: number;
  userToken: string | null;
  walletToken: string | null;
  verdict: 'change' | 'noop' | 'refused';
  reason: string | null;
  change: BulkChange | null;
}

export interface WalletPlan {
  walletToken: string;
  userToken: string;
  currency: string;
  rulesBefore: AutopayRule[];
  rulesAfter: AutopayRule[];
  fingerprint: string;
}

/** The job's counts, and its progress: the pace is that of the rows that ended in the last minute (or since it started, if later). */
const countsOf = async (db: SqlRunner, id: string): Promise<{ counts: BulkCounts; progress: BulkProgress }> => {
  const [row] = await db.query<BulkCounts & { changeDone: number; recent: number; windowSeconds: number | null; running: boolean }>(
    `SELECT count(*)::int AS rows,
       count(*) FILTER (WHERE verdict = 'change')::int AS change,
       count(*) FILTER (WHERE verdict = 'noop')::int AS noop,
       count(*) FILTER (WHERE verdict = 'refused')::int AS refused,
       count(*) FILTER (WHERE outcome IS NOT NULL)::int AS done,
       count(*) FILTER (WHERE outcome = 'applied')::int AS applied,
       count(*) FILTER (WHERE outcome = 'noop')::int AS "outcomeNoop",
       count(*) FILTER (WHERE outcome = 'refused')::int AS "outcomeRefused",
       count(*) FILTER (WHERE outcome = 'failed')::int AS failed,
       count(*) FILTER (WHERE outcome = 'unknown')::int AS unknown,
       count(*) FILTER (WHERE outcome = 'skipped')::int AS skipped,
       count(DISTINCT wallet_token) FILTER (WHERE verdict = 'change')::int AS "changeWallets",
       count(*) FILTER (WHERE verdict = 'change' AND outcome IS NOT NULL)::int AS "changeDone",
       count(*) FILTER (WHERE verdict = 'change' AND done_at > now() - interval '60 seconds')::int AS recent,
       (SELECT extract(epoch FROM least(interval '60 seconds', now() - started_at))::float8 FROM bulk_jobs WHERE id = $1) AS "windowSeconds",
       (SELECT status = 'running' FROM bulk_jobs WHERE id = $1) AS running
     FROM bulk_rows WHERE job_id = $1`,
    [id],
  );
  const { changeDone, recent, windowSeconds, running, ...counts } = row!;
  const left = counts.change - changeDone;
  const etaSeconds = running && recent > 0 && windowSeconds !== null && windowSeconds > 0 ? Math.ceil((left * windowSeconds) / recent) : null;
  return { counts, progress: { total: counts.change, done: changeDone, etaSeconds } };
};

export const createBulkStore = (db: SqlDb, { pageSize }: { pageSize: number }) => ({
  /** A new job in `resolving`, with its rows as given (no verdict yet). */
  create: (job: NewBulkJob, id: string = randomUUID()): Promise<string> =>
    db.transaction(async (tx) => {
      await tx.query(`INSERT INTO bulk_jobs (id, file_name, requested_by, requested_by_name, status, row_count) VALUES ($1, $2, $3, $4, 'resolving', $5)`, [
        id,
        job.fileName,
        job.requestedBy,
        job.requestedByName,
        job.rows.length,
      ]);
      for (const batch of batches(job.rows)) {
        await turnForOthers();
        await tx.query(
          `INSERT INTO bulk_rows (job_id, line, input) SELECT $1, r.line, r.input FROM jsonb_to_recordset($2::jsonb) AS r(line integer, input jsonb)`,
          [id, JSON.stringify(batch)],
        );
      }
      if (job.uploadedBy) {
        await tx.query(`INSERT INTO bulk_job_events (job_id, event, staff_email, staff_role, comment, request_id) VALUES ($1, 'uploaded', $2, $3, $4, $5)`, [
          id,
          job.requestedBy,
          job.uploadedBy.role,
          `${job.fileName}: ${job.rows.length} rows`,
          job.uploadedBy.requestId,
        ]);
      }
      return id;
    }),

  get: async (id: string): Promise<BulkJob | undefined> => {
    const [job] = await db.query<BulkJobSummary>(`SELECT ${JOB_COLUMNS} FROM bulk_jobs WHERE id = $1`, [id]);
    return job && { ...job, ...(await countsOf(db, id)) };
  },

  status: async (id: string): Promise<BulkJobStatus | undefined> =>
    (await db.query<{ status: BulkJobStatus }>('SELECT status FROM bulk_jobs WHERE id = $1', [id]))[0]?.status,

  /** Newest first. */
  list: async (page: number) => {
    const [count] = await db.query<{ total: number }>('SELECT count(*)::int AS total FROM bulk_jobs');
    const items = await db.query<BulkJobSummary>(`SELECT ${JOB_COLUMNS} FROM bulk_jobs ORDER BY created_at DESC, id LIMIT $1 OFFSET $2`, [
      pageSize,
      (page - 1) * pageSize,
    ]);
    return { items, total: count!.total, page, pageSize };
  },

  /** Every row's input, in line order (the dry run's work). */
  inputs: async (id: string) =>
    (await db.query<{ line: number; input: BulkRowInput | string }>('SELECT line, input FROM bulk_rows WHERE job_id = $1 ORDER BY line', [id])).map((row) => ({
      line: row.line,
      input: json(row.input),
    })),

  rows: async (id: string, query: Omit<BulkRowQuery, 'page'>, page: number) => {
    const where = ['job_id = $1'];
    const params: unknown[] = [id];
    if (query.verdict) where.push(`verdict = $${params.push(query.verdict)}`);
    if (query.outcome) where.push(`outcome = $${params.push(query.outcome)}`);
    const filter = where.join(' AND ');
    const [count] = await db.query<{ total: number }>(`SELECT count(*)::int AS total FROM bulk_rows WHERE ${filter}`, params);
    const items = await db.query<BulkRow>(
      `SELECT ${ROW_COLUMNS} FROM bulk_rows WHERE ${filter} ORDER BY line LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
      params,
    );
    return { items: items.map(rowOf), total: count!.total, page, pageSize };
  },

  /** Every row in line order, in batches of `BATCH` (the CSV export). */
  async *allRows(id: string): AsyncGenerator<BulkRow[]> {
    for (let after = 0; ;) {
      const rows = (
        await db.query<BulkRow>(`SELECT ${ROW_COLUMNS} FROM bulk_rows WHERE job_id = $1 AND line > $2 ORDER BY line LIMIT ${BATCH}`, [id, after])
      ).map(rowOf);
      if (rows.length === 0) return;
      yield rows;
      after = rows.at(-1)!.line;
    }
  },

  wallets: async (id: string, page: number) => {
    const [count] = await db.query<{ total: number }>('SELECT count(*)::int AS total FROM bulk_wallets WHERE job_id = $1', [id]);
    const items = await db.query<BulkWallet>(`SELECT ${WALLET_COLUMNS} FROM bulk_wallets WHERE job_id = $1 ORDER BY wallet_token LIMIT $2 OFFSET $3`, [
      id,
      pageSize,
      (page - 1) * pageSize,
    ]);
    return { items: items.map(walletOf), total: count!.total, page, pageSize };
  },

  /**
   * The dry run's result, written whole in one transaction (wallets replaced, every row's verdict
   * rewritten), and the job `ready` (or `awaiting_approval`, when a second person must approve it) —
   * only while it is still `resolving`. False when it no longer was.
   */
  saveResolution: (
    id: string,
    wallets: readonly WalletPlan[],
    verdicts: readonly RowVerdict[],
    next: 'ready' | 'awaiting_approval' = 'ready',
  ): Promise<boolean> =>
    db.transaction(async (tx) => {
      const [job] = await tx.query<{ status: string }>('SELECT status FROM bulk_jobs WHERE id = $1 FOR UPDATE', [id]);
      if (job?.status !== 'resolving') return false;
      await tx.query('DELETE FROM bulk_wallets WHERE job_id = $1', [id]);
      for (const batch of batches(wallets)) {
        await turnForOthers();
        await tx.query(
          `INSERT INTO bulk_wallets (job_id, wallet_token, user_token, currency, rules_before, rules_after, fingerprint)
           SELECT $1, w."walletToken", w."userToken", w.currency, w."rulesBefore", w."rulesAfter", w.fingerprint
           FROM jsonb_to_recordset($2::jsonb) AS w("walletToken" text, "userToken" text, currency text, "rulesBefore" jsonb, "rulesAfter" jsonb, fingerprint text)`,
          [id, JSON.stringify(batch)],
        );
      }
      for (const batch of batches(verdicts)) {
        await turnForOthers();
        await tx.query(
          `UPDATE bulk_rows SET user_token = v."userToken", wallet_token = v."walletToken", verdict = v.verdict, reason = v.reason, change = v.change,
             outcome = NULL, outcome_reason = NULL, rule_token = NULL, done_at = NULL
           FROM jsonb_to_recordset($2::jsonb) AS v(line integer, "userToken" text, "walletToken" text, verdict text, reason text, change jsonb)
           WHERE bulk_rows.job_id = $1 AND bulk_rows.line = v.line`,
          [id, JSON.stringify(batch)],
        );
      }
      await tx.query(`UPDATE bulk_jobs SET status = $2, lease_owner = NULL, lease_until = NULL WHERE id = $1`, [id, next]);
      return true;
    }),

  /** A job that could not be resolved (or run) ends `failed` with why, from `from` only. */
  fail: async (id: string, from: BulkJobStatus, error: string): Promise<boolean> =>
    (
      await db.query(
        `UPDATE bulk_jobs SET status = 'failed', error = $3, finished_at = now(), lease_owner = NULL, lease_until = NULL WHERE id = $1 AND status = $2 RETURNING id`,
        [id, from, error],
      )
    ).length > 0,
});
export type BulkStore = ReturnType<typeof createBulkStore>;
