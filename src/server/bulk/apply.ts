// Running a bulk job: each `change` row through the change path (`executeChange`: the wallet's lock,
// the policy on fresh data, the audit log, the idempotency record), wallet by wallet in line order,
// several wallets at once. A row's key is `bulk:<jobId>:<line>`: asked again after a crash or a lost
// lease, it gets the answer recorded under that key — never a second MassPay write. Pause and cancel
// are seen between rows.
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyBaseLogger } from 'fastify';
import { bulkChangeSchema, type AutopayRule, type BulkChange, type StaffRole } from '../../api';
import type { SqlRunner } from '../audit/db';
import { rulesFingerprint } from '../approvals/store';
import type { ApprovalKit } from '../changes/approval-gate';
import { backgroundRequest } from '../changes/run-change';
import { rowVerdictOf, type RowResult, type RowVerdict } from './row-outcome';
import { driftNote, recheckRow } from './wallet-recheck';

export interface ApplyDeps {
  db: SqlRunner;
  kit: ApprovalKit;
  log: FastifyBaseLogger;
  /** The role of the staff member who started the job, as the audit log records it (null: no longer in the directory). */
  staffRole: (email: string) => StaffRole | null;
  /** Wallets worked at once. */
  concurrency: number;
  /** How long a row that cannot get an outcome yet (busy wallet, MassPay unreachable, unknown outcome) is asked again. */
  giveUpMs: number;
}

interface PendingRow {
  line: number;
  userToken: string;
  walletToken: string;
  change: BulkChange;
}

interface DryRunWallet {
  rulesBefore: AutopayRule[];
  fingerprint: string;
}

/** How stale the job's status may be when a row starts (pause and cancel are seen within this). */
const STATUS_MS = 200;

/** The key of a row: the same on every attempt, on every replica. */
export const rowKeyPrefix = (jobId: string) => `bulk:${jobId}:`;
export const rowKey = (jobId: string, line: number) => `${rowKeyPrefix(jobId)}${line}`;

const json = <T>(value: T | string): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value);

/** Writes a row's outcome. A row the cancel marked `skipped` or `unknown` meanwhile gets what really happened. */
const writeOutcome = (db: SqlRunner, jobId: string, line: number, result: RowResult) =>
  db.query(
    `UPDATE bulk_rows SET outcome = $3, outcome_reason = $4, rule_token = $5, done_at = now()
     WHERE job_id = $1 AND line = $2 AND (outcome IS NULL OR outcome IN ('skipped', 'unknown'))`,
    [jobId, line, result.outcome, result.reason, result.ruleToken],
  );

/** Waits `ms`; false when `signal` ended the wait. */
const waited = async (ms: number, signal: AbortSignal) => {
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
};

/**
 * Applies the job's pending rows while it is `running` and `signal` holds. Returns when every row has
 * an outcome, or when the job was paused or cancelled, or `signal` aborted (the lease was lost or the
 * server is closing): the rows left are taken up again by whoever next claims the job.
 */
export const applyJob = async (deps: ApplyDeps, jobId: string, signal: AbortSignal): Promise<void> => {
  const { db, kit, log } = deps;
  const [job] = await db.query<{ fileName: string; startedBy: string | null }>(
    'SELECT file_name AS "fileName", started_by AS "startedBy" FROM bulk_jobs WHERE id = $1',
    [jobId],
  );
  if (!job?.startedBy) return;
  const staff = { email: job.startedBy, role: deps.staffRole(job.startedBy) ?? ('editor' as const) };
  const reason = (line: number) => `Bulk change ${job.fileName.slice(0, 150)}, line ${line}`;

  const pending = await db.query<{ line: number; userToken: string; walletToken: string; change: BulkChange | string }>(
    `SELECT line, user_token AS "userToken", wallet_token AS "walletToken", change FROM bulk_rows
     WHERE job_id = $1 AND verdict = 'change' AND outcome IS NULL ORDER BY line`,
    [jobId],
  );
  const dryRun = new Map(
    (
      await db.query<{ walletToken: string; rulesBefore: AutopayRule[] | string; fingerprint: string }>(
        'SELECT wallet_token AS "walletToken", rules_before AS "rulesBefore", fingerprint FROM bulk_wallets WHERE job_id = $1',
        [jobId],
      )
    ).map((wallet): [string, DryRunWallet] => [wallet.walletToken, { rulesBefore: json(wallet.rulesBefore), fingerprint: wallet.fingerprint }]),
  );
  // A wallet with a row done, or begun (its key is in the change path's record: a process died before
  // writing the outcome), is past its re-check: its own rows explain how its rules differ now.
  const started = new Set(
    (
      await db.query<{ walletToken: string }>(
        `SELECT DISTINCT wallet_token AS "walletToken" FROM bulk_rows r WHERE job_id = $1 AND verdict = 'change'
           AND (outcome IS NOT NULL OR EXISTS (SELECT 1 FROM idempotency_records k WHERE k.key = $2::text || r.line::text))`,
        [jobId, rowKeyPrefix(jobId)],
      )
    ).map((row) => row.walletToken),
  );
  // Wallets in the order of their first line; each wallet's rows in line order.
  const wallets = new Map<string, PendingRow[]>();
  for (const row of pending) {
    const parsed = bulkChangeSchema.safeParse(json(row.change));
    const rows = wallets.get(row.walletToken) ?? [];
    wallets.set(row.walletToken, rows);
    if (parsed.success) rows.push({ ...row, change: parsed.data });
    else await writeOutcome(db, jobId, row.line, { outcome: 'failed', reason: 'The dry run left this row without a change to make.', ruleToken: null });
  }

  // Whether the job still runs, read at most every STATUS_MS and shared by the wallets at work: a pause
  // or cancel is seen before the next row that starts after it, without a query per row.
  let statusRead: { at: number; running: Promise<boolean> } | undefined;
  const stillRunning = async () => {
    if (signal.aborted) return false;
    if (!statusRead || Date.now() - statusRead.at >= STATUS_MS) {
      const running = db.query<{ status: string }>('SELECT status FROM bulk_jobs WHERE id = $1', [jobId]).then((rows) => rows[0]?.status === 'running');
      statusRead = { at: Date.now(), running };
    }
    return (await statusRead.running) && !signal.aborted;
  };

  /** Asks again (same key) until the row has an outcome, or gives up; undefined when the job stopped meanwhile. */
  const untilAnswered = async (ask: () => Promise<RowVerdict>): Promise<RowResult | undefined> => {
    const deadline = Date.now() + deps.giveUpMs;
    for (let attempt = 0; ; attempt += 1) {
      const verdict = await ask();
      if ('done' in verdict) return verdict.done;
      const waitMs = Math.min(15_000, Math.max(verdict.again.afterSeconds * 1_000, 500 * 2 ** attempt));
      if (Date.now() + waitMs > deadline) return verdict.again.ifGivenUp;
      if (!(await waited(waitMs, signal)) || !(await stillRunning())) return undefined;
    }
  };

  const applyRow = (row: PendingRow) => {
    // The change path reads only a request's id and its logger: a row is a request of its own.
    const request = backgroundRequest(`${rowKey(jobId, row.line)}:${Date.now()}`, log.child({ bulkJob: jobId, line: row.line }));
    const origin = {
      staff,
      reason: reason(row.line),
      key: rowKey(jobId, row.line),
      recorded: true,
      // The job's approval (when APPROVAL_POLICY asks for one) covers its rows; `<jobId>:<line>` is the
      // change id its audit entries carry (and a percentage change's plan id).
      approvalId: `${jobId}:${row.line}`,
    };
    return untilAnswered(async () => {
      try {
        return rowVerdictOf(await kit.execute(request, { ...row.change, userToken: row.userToken, walletToken: row.walletToken }, origin));
      } catch (error) {
        request.log.error({ err: error }, 'bulk job: a row failed in the change path; it is asked again under its key');
        const reasonGivenUp = 'The console failed while applying this row; the audit log has what is known of it.';
        return { again: { afterSeconds: 1, ifGivenUp: { outcome: 'unknown', reason: reasonGivenUp, ruleToken: null } } };
      }
    });
  };

  type Drift = { kind: 'same' } | { kind: 'changed'; now: AutopayRule[]; note: string } | { kind: 'ended'; result: RowResult } | { kind: 'stopped' };
  /** Whether the wallet's rules are still those of the dry run (checked before the first of its rows runs). */
  const drift = async (walletToken: string, rows: PendingRow[]): Promise<Drift> => {
    const then = dryRun.get(walletToken);
    if (!then || started.has(walletToken)) return { kind: 'same' };
    const requestId = `${rowKey(jobId, rows[0]!.line)}:recheck`;
    let now: AutopayRule[] | undefined;
    const read = await untilAnswered(async () => {
      try {
        now = await kit.masspay.listRules(rows[0]!.userToken, walletToken, requestId);
        return { done: { outcome: 'applied', reason: null, ruleToken: null } };
      } catch {
        const ifGivenUp = {
          outcome: 'failed' as const,
          reason: "MassPay could not be read to re-check the wallet's rules, so nothing was sent.",
          ruleToken: null,
        };
        return { again: { afterSeconds: 1, ifGivenUp } };
      }
    });
    if (read === undefined) return { kind: 'stopped' };
    if (read.outcome === 'failed') return { kind: 'ended', result: read };
    if (!now) return { kind: 'ended', result: { outcome: 'refused', reason: 'MassPay no longer knows this wallet.', ruleToken: null } };
    return rulesFingerprint(now) === then.fingerprint ? { kind: 'same' } : { kind: 'changed', now, note: driftNote(then.rulesBefore, now) };
  };

  /** The wallet's rows in line order; false when the job stopped before they were all done. */
  const runWallet = async (walletToken: string, rows: PendingRow[]) => {
    if (!(await stillRunning())) return false;
    const wallet = await drift(walletToken, rows);
    if (wallet.kind === 'stopped') return false;
    for (const row of rows) {
      if (!(await stillRunning())) return false;
      let result: RowResult | undefined;
      if (wallet.kind === 'ended') result = wallet.result;
      else if (wallet.kind === 'same') result = await applyRow(row);
      else {
        const recheck = recheckRow(row.change, wallet.now, wallet.note);
        result = recheck === 'apply' ? await applyRow(row) : recheck;
        if (result && recheck === 'apply') result = { ...result, reason: `${result.reason ?? 'Applied after a re-check.'} ${wallet.note}` };
      }
      if (!result) return false;
      await writeOutcome(db, jobId, row.line, result);
    }
    return true;
  };

  const queue = [...wallets];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      if (!(await runWallet(...next))) return;
    }
  };
  await Promise.all(Array.from({ length: Math.min(deps.concurrency, queue.length) }, worker));
};
