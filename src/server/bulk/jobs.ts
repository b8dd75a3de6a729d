// Bulk jobs as the change path sees them (ChangeOptions.bulk): given its kit (fresh reads, carrying
// out a change), the job actions' routes and this replica's runner, started when the server is ready
// and stopped (its leases given back) when it closes.
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ApprovalPolicy, StaffRole } from '../../api';
import type { AuditStore } from '../audit/store';
import type { ApprovalKit } from '../changes/approval-gate';
import type { Upstream } from '../upstream';
import { applyJob } from './apply';
import { resolveJob } from './dry-run';
import { registerJobActions } from './job-actions';
import { createJobLeases } from './leases';
import { createBulkRunner } from './runner';
import { createBulkStore } from './store';
import { createJobTransitions } from './transitions';

export interface BulkJobOptions {
  audit: AuditStore;
  policy: ApprovalPolicy;
  /** The role a staff member has now (the audit log records the starter's), null when unknown. */
  staffRole: (email: string) => StaffRole | null;
  /** How long a replica's claim on a job lasts without renewal: how long a dead replica's job waits (default 30 s). */
  leaseMs?: number;
  /** How often each replica looks for a job to work on (default 1 s). */
  pollMs?: number;
  /** Wallets one job changes at once (default 8). */
  concurrency?: number;
  /** How long a row that cannot get an outcome yet is asked again before it ends failed or unknown (default 5 minutes). */
  giveUpMs?: number;
  /** MassPay, for the dry run of a `resolving` job (dry-run.ts: reads only, at most 8 in flight). */
  upstream: Upstream;
  apiKey: string;
}

export const createBulkJobs = (options: BulkJobOptions) => {
  const db = options.audit.sql;
  const leaseMs = options.leaseMs ?? 30_000;
  const store = createBulkStore(db, { pageSize: 50 });
  const transitions = createJobTransitions(db);
  const leases = createJobLeases(db, {
    owner: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    leaseMs,
  });
  let wake = () => {};
  // One decision for the dry run's end (`awaiting_approval`) and for what may start a job.
  const needsApproval = options.policy.kind !== 'off';

  const register = (app: FastifyInstance, kit: ApprovalKit) => {
    const runner = createBulkRunner({
      leases,
      log: app.log,
      pollMs: options.pollMs ?? 1_000,
      leaseMs,
      maxJobs: 2,
      takeOverAtStart: options.audit.kind === 'embedded',
      resolve: (jobId, signal) => resolveJob({ db, upstream: options.upstream, apiKey: options.apiKey, log: app.log, needsApproval }, jobId, signal),
      apply: (jobId, signal) =>
        applyJob(
          { db, kit, log: app.log, staffRole: options.staffRole, concurrency: options.concurrency ?? 8, giveUpMs: options.giveUpMs ?? 300_000 },
          jobId,
          signal,
        ),
      complete: transitions.complete,
      fail: transitions.fail,
    });
    wake = runner.wake;
    registerJobActions(app, { store, transitions, needsApproval, wake: () => wake() });
    app.addHook('onReady', () => runner.start());
    app.addHook('onClose', () => runner.stop());
  };

  /** Claim now on this replica (a job was just created here). */
  return { register, wake: () => wake() };
};
export type BulkJobs = ReturnType<typeof createBulkJobs>;
