// The claim loop each replica runs: every `pollMs` (or at once when this replica just created or
// started a job) it claims the oldest job waiting for work whose lease is free or lapsed (leases.ts),
// runs it — a `resolving` job's dry run, a `running` job's rows — renewing the lease meanwhile, and
// gives the lease back when it stops. Closing the server aborts the work between rows and gives every
// lease back, so another replica takes the jobs over at once rather than when the leases lapse.
import type { FastifyBaseLogger } from 'fastify';
import type { ClaimedJob, JobLeases } from './leases';

export interface RunnerOptions {
  leases: JobLeases;
  log: FastifyBaseLogger;
  pollMs: number;
  leaseMs: number;
  /** Jobs this replica works on at once (a dry run need not wait for another job's run to end). */
  maxJobs: number;
  /** The embedded database is this process's alone: leases found at start are a dead process's. */
  takeOverAtStart: boolean;
  /** A `resolving` job's dry run. */
  resolve: (jobId: string, signal: AbortSignal) => Promise<void>;
  /** A `running` job's rows; returns when they are done, the job stopped, or `signal` aborted. */
  apply: (jobId: string, signal: AbortSignal) => Promise<void>;
  /** After `apply`: the job ends `completed` if every row has an outcome. */
  complete: (jobId: string) => Promise<boolean>;
  /** The dry run itself failed (not a row's reading): the job ends `failed`. */
  fail: (jobId: string, from: ClaimedJob['status'], error: string) => Promise<boolean>;
}

export const createBulkRunner = (options: RunnerOptions) => {
  const { leases, log } = options;
  const active = new Map<string, { done: Promise<void>; controller: AbortController }>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let filling: Promise<void> | undefined;
  let again = false;

  const work = async (job: ClaimedJob, controller: AbortController) => {
    const { signal } = controller;
    let lost = false;
    let keep = false;
    const renewal = setInterval(
      () => {
        leases.renew(job.id).then(
          (status) => {
            // Cancelled or paused meanwhile (a dry run has no rows between which to see it): stop now.
            if (status !== undefined && status !== job.status) controller.abort();
            if (status !== undefined) return;
            // Another replica holds the job now (this one stalled past its lease): stop between rows.
            lost = true;
            controller.abort();
          },
          (error: unknown) => log.warn({ err: error, bulkJob: job.id }, 'bulk job: the lease could not be renewed; trying again'),
        );
      },
      Math.max(100, Math.floor(options.leaseMs / 3)),
    );
    try {
      log.info({ bulkJob: job.id, status: job.status, owner: leases.owner }, 'bulk job: claimed');
      if (job.status === 'resolving') await options.resolve(job.id, signal);
      else {
        await options.apply(job.id, signal);
        if (!signal.aborted && (await options.complete(job.id))) log.info({ bulkJob: job.id }, 'bulk job: completed');
      }
    } catch (error) {
      // Stopped on purpose (closing, cancelled, paused, the lease lost): whatever the work threw on its way out is no failure.
      if (signal.aborted) log.info({ bulkJob: job.id }, 'bulk job: the work stopped');
      // A dry run that fails is ended (the file can be uploaded again). A run is half done: it keeps its
      // lease until that lapses, then any replica takes it up again (the database may just have been away).
      else if (job.status === 'resolving') {
        log.error({ err: error, bulkJob: job.id }, 'bulk job: the dry run failed');
        await options.fail(job.id, job.status, `The dry run failed in the console; quote job ${job.id}.`).catch(() => {});
      } else {
        log.error({ err: error, bulkJob: job.id }, 'bulk job: the run stopped on an error; it is taken up again when its lease lapses');
        keep = true;
      }
    } finally {
      clearInterval(renewal);
      if (!lost && !keep)
        await leases.release(job.id).catch((error: unknown) => log.warn({ err: error, bulkJob: job.id }, 'bulk job: the lease could not be given back'));
    }
  };

  /** Claims jobs while this replica has room for them. */
  const fill = async () => {
    while (!stopped && active.size < options.maxJobs) {
      const job = await leases.claim();
      if (!job || stopped) {
        if (job) await leases.release(job.id);
        return;
      }
      // This replica's own work on it outlasted a renewal (a stalled event loop): the claim renewed it, the work goes on.
      if (active.has(job.id)) continue;
      const controller = new AbortController();
      const done = work(job, controller).finally(() => {
        active.delete(job.id);
        void tick();
      });
      active.set(job.id, { done, controller });
    }
  };

  const schedule = () => {
    clearTimeout(timer);
    if (stopped) return;
    timer = setTimeout(() => void tick(), options.pollMs);
    timer.unref();
  };

  const tick = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    if (filling) {
      // A job was made or started while a claim ran: claim once more after it.
      again = true;
      return filling;
    }
    filling = (async () => {
      do {
        again = false;
        await fill();
      } while (again && !stopped);
    })()
      .catch((error: unknown) => log.error({ err: error }, 'bulk jobs: claiming failed; trying again'))
      .finally(() => {
        filling = undefined;
        schedule();
      });
    return filling;
  };

  return {
    start: async () => {
      if (options.takeOverAtStart) await leases.releaseAll();
      void tick();
    },
    /** A job was just created or started here: claim now rather than at the next poll. */
    wake: () => void tick(),
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      for (const { controller } of active.values()) controller.abort();
      await filling;
      await Promise.all([...active.values()].map(({ done }) => done));
    },
  };
};
export type BulkRunner = ReturnType<typeof createBulkRunner>;
