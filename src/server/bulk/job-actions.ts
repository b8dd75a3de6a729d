// What staff do with a bulk job once its dry run is done: approve or reject it (a second person, when
// APPROVAL_POLICY is on), start it, pause, resume or cancel it. Editors and admins act, viewers may
// not (the API guard: every POST changes rules). Every move is one conditional UPDATE, so of two
// decisions at once one wins and the other gets 409; every move is in the job's history.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BULK_ROUTES, bulkJobIdSchema, PROBLEM_TYPES, rejectInputSchema, toRouterPath, zodFieldIssues, type BulkJob, type BulkJobStatus } from '../../api';
import { underApiPrefix } from '../api-target';
import { sendProblem } from '../problem';
import type { BulkStore } from './store';
import { CANCELLABLE, UNDECIDED, type JobTransitions, type Mover } from './transitions';

export interface JobActionOptions {
  store: BulkStore;
  transitions: JobTransitions;
  /** An approval policy is on: a job starts only once a second person approved its dry run. */
  needsApproval: boolean;
  /** The runner claims at once (this replica just started or resumed a job). */
  wake: () => void;
}

const STATUS_WORDS: Partial<Record<BulkJobStatus, string>> = {
  resolving: 'still in its dry run',
  ready: 'waiting to be started',
  awaiting_approval: 'waiting for approval',
  approved: 'approved and waiting to be started',
  running: 'running',
  paused: 'paused',
  completed: 'completed',
  cancelled: 'cancelled',
  failed: 'failed',
  rejected: 'rejected',
};

export const registerJobActions = (app: FastifyInstance, { store, transitions, needsApproval, wake }: JobActionOptions) => {
  /** The job named by the path, or the answer that says why not (400, 404). */
  const load = async (request: FastifyRequest, reply: FastifyReply): Promise<BulkJob | undefined> => {
    const id = bulkJobIdSchema.safeParse((request.params as { id: string }).id);
    if (!id.success) {
      sendProblem(request, reply, 400, { type: PROBLEM_TYPES.validation, detail: 'Not a job id.', issues: [{ field: 'id', message: 'must be a UUID' }] });
      return undefined;
    }
    const job = await store.get(id.data);
    if (!job) sendProblem(request, reply, 404, { type: PROBLEM_TYPES.notFound, detail: 'There is no bulk job with this id.' });
    return job;
  };

  const wrongState = (request: FastifyRequest, reply: FastifyReply, job: Pick<BulkJob, 'status' | 'decidedBy'>, what: string, decision = false) =>
    sendProblem(request, reply, 409, {
      type: decision ? PROBLEM_TYPES.alreadyDecided : PROBLEM_TYPES.bulkJobState,
      detail: `This job is ${STATUS_WORDS[job.status] ?? job.status}${job.decidedBy && decision ? ` (decided by ${job.decidedBy})` : ''}: it cannot be ${what}.`,
    });

  /** The job as it is after a move; if the move lost to another, 409 with the job as it is now. */
  const answer = async (request: FastifyRequest, reply: FastifyReply, job: BulkJob, moved: boolean, what: string, decision = false) => {
    const now = (await store.get(job.id)) ?? job;
    return moved ? now : wrongState(request, reply, now, what, decision);
  };

  const mover = (request: FastifyRequest, comment: string | null = null) => {
    const { email, name, role } = request.staff!;
    return { staff: { email, name, role }, requestId: request.id, comment } satisfies Mover;
  };

  const post = (route: string, handler: (request: FastifyRequest, reply: FastifyReply, job: BulkJob) => Promise<unknown>) =>
    app.post(underApiPrefix(toRouterPath(route)), { bodyLimit: 1024 }, async (request, reply) => {
      const job = await load(request, reply);
      return job ? handler(request, reply, job) : reply;
    });

  const decide = (verb: 'approve' | 'reject') => async (request: FastifyRequest, reply: FastifyReply, job: BulkJob) => {
    // The body is read first: a malformed one is refused whatever the job's state.
    const body = rejectInputSchema.safeParse(request.body ?? {});
    if (!body.success)
      return sendProblem(request, reply, 400, { type: PROBLEM_TYPES.validation, detail: 'The request body is not valid.', issues: zodFieldIssues(body.error) });
    if (job.requestedBy === request.staff!.email) {
      const detail = `You uploaded this job: another editor or admin must ${verb} it.`;
      return sendProblem(request, reply, 403, { type: PROBLEM_TYPES.forbidden, detail });
    }
    const what = verb === 'approve' ? 'approved' : 'rejected';
    if (!UNDECIDED.includes(job.status)) return wrongState(request, reply, job, what, true);
    const by = mover(request, body.data.comment || null);
    const moved = verb === 'approve' ? await transitions.approve(job.id, by) : await transitions.reject(job.id, by);
    return answer(request, reply, job, moved, what, true);
  };

  post(BULK_ROUTES.approve, decide('approve'));
  post(BULK_ROUTES.reject, decide('reject'));

  post(BULK_ROUTES.start, async (request, reply, job) => {
    if (needsApproval && UNDECIDED.includes(job.status)) {
      return sendProblem(request, reply, 409, {
        type: PROBLEM_TYPES.bulkJobState,
        detail: 'This console requires a second person: another editor or admin must approve the dry run before the job starts.',
      });
    }
    const from: BulkJobStatus[] = needsApproval ? ['approved'] : ['ready', 'awaiting_approval', 'approved'];
    if (!from.includes(job.status)) return wrongState(request, reply, job, 'started');
    const moved = await transitions.start(job.id, from, mover(request));
    if (moved) wake();
    return answer(request, reply, job, moved, 'started');
  });

  post(BULK_ROUTES.pause, async (request, reply, job) => {
    if (job.status !== 'running') return wrongState(request, reply, job, 'paused');
    return answer(request, reply, job, await transitions.pause(job.id, mover(request)), 'paused');
  });

  post(BULK_ROUTES.resume, async (request, reply, job) => {
    if (job.status !== 'paused') return wrongState(request, reply, job, 'resumed');
    const moved = await transitions.resume(job.id, mover(request));
    if (moved) wake();
    return answer(request, reply, job, moved, 'resumed');
  });

  post(BULK_ROUTES.cancel, async (request, reply, job) => {
    if (!CANCELLABLE.includes(job.status)) return wrongState(request, reply, job, 'cancelled');
    return answer(request, reply, job, await transitions.cancel(job.id, mover(request)), 'cancelled');
  });
};
