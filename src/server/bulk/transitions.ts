// A bulk job's moves from one status to the next. Each is one conditional UPDATE (`WHERE status IN
// (…)`), so of two decisions at once, on any replicas, one wins and the other finds the job moved on;
// the move and its entry in the job's history (bulk_job_events) are one transaction.
import type { BulkJobStatus, StaffRole } from '../../api';
import type { SqlDb, SqlRunner } from '../audit/db';
import { rowKeyPrefix } from './apply';

export type JobEvent = 'approved' | 'rejected' | 'started' | 'paused' | 'resumed' | 'cancelled' | 'completed' | 'failed';

/** Who moved the job (null: the runner itself), the request that did, and why. */
export interface Mover {
  staff: { email: string; name: string; role: StaffRole } | null;
  requestId: string | null;
  comment?: string | null;
}

/** The statuses a decision (approve, reject) is taken from. */
export const UNDECIDED: readonly BulkJobStatus[] = ['ready', 'awaiting_approval'];
/** The statuses a job may be cancelled from: any that has not ended. */
export const CANCELLABLE: readonly BulkJobStatus[] = ['resolving', 'ready', 'awaiting_approval', 'approved', 'running', 'paused'];

const record = (tx: SqlRunner, id: string, event: JobEvent, by: Mover) =>
  tx.query('INSERT INTO bulk_job_events (job_id, event, staff_email, staff_role, comment, request_id) VALUES ($1, $2, $3, $4, $5, $6)', [
    id,
    event,
    by.staff?.email ?? null,
    by.staff?.role ?? null,
    by.comment ?? null,
    by.requestId,
  ]);

export const createJobTransitions = (db: SqlDb) => {
  /** Moves the job from one of `from` to `to` (with `set`, SQL assignments over $4…), and records `event`; false when it was not in `from`. */
  const move = (id: string, from: readonly BulkJobStatus[], to: BulkJobStatus, event: JobEvent, by: Mover, set = '', params: unknown[] = []) =>
    db.transaction(async (tx) => {
      const moved = await tx.query(`UPDATE bulk_jobs SET status = $3${set ? `, ${set}` : ''} WHERE id = $1 AND status = ANY($2::text[]) RETURNING id`, [
        id,
        [...from],
        to,
        ...params,
      ]);
      if (moved.length === 0) return false;
      await record(tx, id, event, by);
      return true;
    });

  const decide = (id: string, to: 'approved' | 'rejected', by: Mover & { staff: NonNullable<Mover['staff']> }) =>
    move(id, UNDECIDED, to, to, by, 'decided_by = $4, decided_by_name = $5, decided_at = now(), decision_comment = $6', [
      by.staff.email,
      by.staff.name,
      by.comment ?? null,
    ]);

  return {
    approve: (id: string, by: Mover & { staff: NonNullable<Mover['staff']> }) => decide(id, 'approved', by),
    reject: (id: string, by: Mover & { staff: NonNullable<Mover['staff']> }) => decide(id, 'rejected', by),
    start: (id: string, from: readonly BulkJobStatus[], by: Mover & { staff: NonNullable<Mover['staff']> }) =>
      move(id, from, 'running', 'started', by, 'started_by = $4, started_at = now()', [by.staff.email]),
    pause: (id: string, by: Mover) => move(id, ['running'], 'paused', 'paused', by),
    resume: (id: string, by: Mover) => move(id, ['paused'], 'running', 'resumed', by),
    /**
     * Ends the job; its rows not run yet are `skipped` — or `unknown` when the change path holds a
     * record of their key (the row was being applied: a runner still on it writes what really happened).
     */
    cancel: (id: string, by: Mover) =>
      db.transaction(async (tx) => {
        const moved = await tx.query(`UPDATE bulk_jobs SET status = 'cancelled', finished_at = now() WHERE id = $1 AND status = ANY($2::text[]) RETURNING id`, [
          id,
          [...CANCELLABLE],
        ]);
        if (moved.length === 0) return false;
        await tx.query(
          `UPDATE bulk_rows r SET done_at = now(),
             outcome = CASE WHEN EXISTS (SELECT 1 FROM idempotency_records k WHERE k.key = $2::text || r.line::text) THEN 'unknown' ELSE 'skipped' END,
             outcome_reason = CASE WHEN EXISTS (SELECT 1 FROM idempotency_records k WHERE k.key = $2::text || r.line::text)
               THEN 'It was being applied when the job was cancelled: the audit log has its outcome.'
               ELSE 'The job was cancelled before this row ran.' END
           WHERE r.job_id = $1 AND r.verdict = 'change' AND r.outcome IS NULL`,
          [id, rowKeyPrefix(id)],
        );
        await record(tx, id, 'cancelled', by);
        return true;
      }),
    /** A running job whose every `change` row has an outcome is completed (its lease given back); false when it is not. */
    complete: (id: string) =>
      db.transaction(async (tx) => {
        const moved = await tx.query(
          `UPDATE bulk_jobs SET status = 'completed', finished_at = now(), lease_owner = NULL, lease_until = NULL
           WHERE id = $1 AND status = 'running'
             AND NOT EXISTS (SELECT 1 FROM bulk_rows WHERE job_id = $1 AND verdict = 'change' AND outcome IS NULL)
           RETURNING id`,
          [id],
        );
        if (moved.length === 0) return false;
        await record(tx, id, 'completed', { staff: null, requestId: null });
        return true;
      }),
    /** The runner could not do a job's work (a fault, not a row's outcome): it ends `failed` with why. */
    fail: (id: string, from: BulkJobStatus, error: string) =>
      move(
        id,
        [from],
        'failed',
        'failed',
        { staff: null, requestId: null, comment: error },
        'error = $4, finished_at = now(), lease_owner = NULL, lease_until = NULL',
        [error],
      ),
  };
};
export type JobTransitions = ReturnType<typeof createJobTransitions>;
