// Which replica works on which bulk job: a lease on the job's row (lease_owner until lease_until),
// claimed with `FOR UPDATE SKIP LOCKED` (PGlite and PostgreSQL alike), renewed while the work goes on,
// and given back when it stops. A replica that dies keeps its lease until it lapses; then the next
// claim, on any replica, takes the job over.
import type { BulkJobStatus } from '../../api';
import type { SqlRunner } from '../audit/db';

export interface ClaimedJob {
  id: string;
  status: Extract<BulkJobStatus, 'resolving' | 'running'>;
}

export const createJobLeases = (
  db: SqlRunner,
  { owner, leaseMs, statuses = ['resolving', 'running'] }: { owner: string; leaseMs: number; statuses?: readonly ClaimedJob['status'][] },
) => {
  const lease = `${Math.ceil(leaseMs)} milliseconds`;
  return {
    owner,
    /** The oldest job waiting for work whose lease is free or lapsed, now leased to this replica; undefined when none. */
    claim: async (): Promise<ClaimedJob | undefined> =>
      (
        await db.query<ClaimedJob>(
          `UPDATE bulk_jobs SET lease_owner = $1, lease_until = now() + $2::interval
           WHERE id = (SELECT id FROM bulk_jobs WHERE status = ANY($3::text[]) AND (lease_until IS NULL OR lease_until < now())
                       ORDER BY created_at FOR UPDATE SKIP LOCKED LIMIT 1)
           RETURNING id, status`,
          [owner, lease, [...statuses]],
        )
      )[0],
    /** Extends this replica's lease; the job's status now, or undefined when the lease is no longer this replica's. */
    renew: async (id: string): Promise<BulkJobStatus | undefined> =>
      (
        await db.query<{ status: BulkJobStatus }>(
          `UPDATE bulk_jobs SET lease_until = now() + $3::interval WHERE id = $1 AND lease_owner = $2 RETURNING status`,
          [id, owner, lease],
        )
      )[0]?.status,
    /** Gives the job back at once (paused, finished, or this replica is closing), so no one waits for the lease to lapse. */
    release: async (id: string) => {
      await db.query('UPDATE bulk_jobs SET lease_owner = NULL, lease_until = NULL WHERE id = $1 AND lease_owner = $2', [id, owner]);
    },
    /**
     * The embedded database belongs to one process at a time: a lease found when it starts was held by
     * a process that is gone (killed), so its jobs are free at once rather than when the lease lapses.
     */
    releaseAll: async () => {
      await db.query('UPDATE bulk_jobs SET lease_owner = NULL, lease_until = NULL WHERE lease_owner IS NOT NULL');
    },
  };
};
export type JobLeases = ReturnType<typeof createJobLeases>;
