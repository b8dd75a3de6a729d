// Four-eyes approval (issue 14): with APPROVAL_POLICY on, a change that needs a second person is held
// by the change path (202, a change request) and carried out through it once another editor or admin
// approves. Separation of duties, one decision per request and expiry are the server's, whatever the
// UI shows; every transition is in the audit log under the request's id.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  APPROVAL_ROUTES,
  approvalNeeded,
  approveInputSchema,
  changeRequestQuerySchema,
  PROBLEM_CONTENT_TYPE,
  PROBLEM_TYPES,
  rejectInputSchema,
  toRouterPath,
  zodFieldIssues,
  formatApprovalPolicy,
  type ApprovalPolicy,
  type ChangeRequest,
  type ProposedChange,
  type StaffMember,
  type StaffRole,
} from '../../api';
import { underApiPrefix } from '../api-target';
import type { SqlRunner } from '../audit/db';
import type { AuditStore } from '../audit/store';
import type { ApprovalGate, ApprovalHooks, ApprovalKit, HeldChange } from '../changes/approval-gate';
import { recordStep, type ChangeContext } from '../changes/audit';
import { AuditWriteError, backgroundRequest, jsonAnswer, recordBeforeAsking, type ChangeAnswer, type ChangeOrigin } from '../changes/run-change';
import { buildProblem, sendProblem } from '../problem';
import { createChangeRequestStore, rulesFingerprint, type Decision, type StoredChangeRequest } from './store';

export interface ApprovalOptions {
  db: SqlRunner;
  audit: AuditStore;
  policy: ApprovalPolicy;
  ttlHours: number;
  /** How long an approved change may run before another approval may take it up (its replica died). */
  retryLeaseMs: number;
  /** How often each replica looks for approved changes left unfinished by a replica that died (default 30 s). */
  sweepIntervalMs?: number;
  /** The role of a staff member who approved (for the audit log); null once they are out of the directory. */
  staffRole: (email: string) => StaffRole | null;
}

const PAGE_SIZE = 25;
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** What the browser sees of a stored request (the requester's role stays on the server). */
const forBrowser = ({ requestedRole: _, ...request }: StoredChangeRequest): ChangeRequest => request;

const proposedOf = (change: HeldChange): ProposedChange =>
  change.action === 'add_rule'
    ? { action: 'add_rule', destinationToken: change.destinationToken, percentage: change.percentage! }
    : change.action === 'edit_rule'
      ? { action: 'edit_rule', ruleToken: change.ruleToken!, percentage: change.percentage! }
      : { action: 'delete_rule', ruleToken: change.ruleToken! };

/** Problems after which an approved change may be tried again (by approving it again): it was not refused. */
const RETRYABLE: readonly string[] = [
  PROBLEM_TYPES.walletBusy,
  PROBLEM_TYPES.idempotencyInFlight,
  PROBLEM_TYPES.auditUnavailable,
  PROBLEM_TYPES.upstreamUnavailable,
  PROBLEM_TYPES.changeIncomplete,
];

/** How the change path's answer leaves the request: applied, failed (with why), or still approved (try again). */
const resultOf = (answer: ChangeAnswer): { status: 'applied' | 'failed' | 'approved'; ruleToken: string | null; detail: string | null } => {
  let body: { token?: unknown; rule?: { token?: unknown }; type?: unknown; detail?: unknown } = {};
  try {
    body = JSON.parse(answer.body) as typeof body;
  } catch {
    // An unreadable body is judged by its status alone.
  }
  if (answer.status >= 200 && answer.status < 300) {
    const token = typeof body.rule?.token === 'string' ? body.rule.token : typeof body.token === 'string' ? body.token : null;
    return { status: 'applied', ruleToken: token, detail: null };
  }
  const detail = typeof body.detail === 'string' ? body.detail : `The change path answered ${answer.status}.`;
  const again = answer.keep === 'unknown' || RETRYABLE.includes(String(body.type));
  return { status: again ? 'approved' : 'failed', ruleToken: null, detail: again ? `${detail} Approve again to finish it.` : detail };
};

export const createApprovals = (options: ApprovalOptions) => {
  const { audit, policy } = options;
  const store = createChangeRequestStore(options.db, { ttlHours: options.ttlHours, pageSize: PAGE_SIZE });

  /** One transition of `request`, by `staff`, in the audit log (the request's id is the change id). */
  const record = (
    actor: { email: string; role: StaffMember['role'] },
    requestId: string,
    request: StoredChangeRequest,
    outcome: 'approved' | 'rejected' | 'withdrawn' | 'expired',
    comment: string | null,
  ) =>
    recordStep(
      audit,
      {
        staffEmail: actor.email,
        staffRole: actor.role,
        requestId,
        reason: comment,
        changeId: request.id,
        idempotencyKey: null,
        userToken: request.userToken,
        walletToken: request.walletToken,
      },
      {
        action: request.action,
        destinationToken: request.destinationToken,
        percentage: request.percentage ?? request.previousPercentage,
        ruleToken: request.ruleToken,
        outcome,
        masspayStatus: null,
      },
    );

  /** Pending requests past their time expire; each expiry recorded once, by the replica that made it. */
  const expire = async (fastifyRequest: FastifyRequest) => {
    for (const expired of await store.expire()) {
      await record({ email: expired.requestedBy, role: expired.requestedRole }, fastifyRequest.id, expired, 'expired', null).catch((error: unknown) =>
        fastifyRequest.log.error({ err: error }, 'audit log: an expired change request could not be recorded'),
      );
    }
  };

  /** Under the wallet's lock, once the change fits the wallet: held when it needs a second person. */
  const gate: ApprovalGate = async (request, context: ChangeContext, mode, rules, change) => {
    if (mode.approvalId || policy.kind === 'off') return undefined;
    const why = approvalNeeded(policy, rules, proposedOf(change));
    if (!why) return undefined;
    const id = randomUUID();
    await recordBeforeAsking(
      audit,
      { ...context, changeId: id },
      {
        action: change.action,
        destinationToken: change.destinationToken,
        percentage: change.percentage ?? change.previousPercentage,
        ruleToken: change.ruleToken,
        outcome: 'awaiting_approval',
        masspayStatus: null,
      },
    );
    let held: StoredChangeRequest;
    try {
      held = await store.create(
        {
          ...change,
          reason: context.reason,
          approvalReason: why,
          requestedBy: context.staffEmail,
          requestedRole: context.staffRole,
          userToken: context.userToken,
          walletToken: context.walletToken,
          rulesAtRequest: [...rules],
        },
        id,
      );
    } catch (error) {
      throw new AuditWriteError('the change request could not be stored', { cause: error });
    }
    request.log.info({ changeRequest: id }, 'a change waits for a second person');
    return jsonAnswer(202, forBrowser(held));
  };

  /**
   * Carries out an approved change as its approver, under the request's own key: a change whose
   * earlier attempt reached MassPay gets that attempt's recorded answer, never a second change.
   */
  const carryOut = async (kit: ApprovalKit, request: FastifyRequest, approved: StoredChangeRequest, staff: ChangeOrigin['staff']) => {
    const answer = await kit.execute(request, approved, {
      staff,
      reason: approved.reason,
      key: `approval:${approved.id}`,
      recorded: true,
      approvalId: approved.id,
    });
    const result = resultOf(answer);
    return (
      (await store.finish(approved.id, result.status, { ruleToken: result.ruleToken, detail: result.detail })) ?? (await store.get(approved.id)) ?? approved
    );
  };

  /**
   * Approved changes whose replica died while carrying them out (running past the lease, no outcome
   * written) are finished by whichever replica sweeps first (claimRetry: one wins), as their approver.
   */
  const startSweep = (app: FastifyInstance, kit: ApprovalKit) => {
    const sweep = async () => {
      for (const id of await store.unfinished(options.retryLeaseMs)) {
        const claimed = await store.claimRetry(id, options.retryLeaseMs);
        if (!claimed?.decidedBy) continue;
        const request = backgroundRequest(`approval-sweep:${id}`, app.log.child({ changeRequest: id }));
        const finished = await carryOut(kit, request, claimed, { email: claimed.decidedBy, role: options.staffRole(claimed.decidedBy) ?? 'editor' });
        request.log.info({ status: finished.status }, 'an approved change left unfinished by another replica was carried out');
      }
    };
    const timer = setInterval(
      () => void sweep().catch((error: unknown) => app.log.error({ err: error }, 'approvals: the sweep for unfinished approved changes failed')),
      options.sweepIntervalMs ?? 30_000,
    );
    timer.unref();
    app.addHook('onClose', async () => clearInterval(timer));
  };

  const register = (app: FastifyInstance, kit: ApprovalKit) => {
    if (policy.kind !== 'off') startSweep(app, kit);
    app.get(underApiPrefix(APPROVAL_ROUTES.list), async (request: FastifyRequest, reply: FastifyReply) => {
      const query = changeRequestQuerySchema.safeParse(request.query);
      if (!query.success)
        return sendProblem(request, reply, 400, { type: PROBLEM_TYPES.validation, detail: 'The filters are not valid.', issues: zodFieldIssues(query.error) });
      await expire(request);
      const page = await store.list(query.data);
      return { ...page, items: page.items.map(forBrowser) };
    });

    /** The request named by the path, its expiry applied; or the answer that says why not. */
    const load = async (request: FastifyRequest, reply: FastifyReply) => {
      const { id } = request.params as { id: string };
      if (!ID.test(id)) {
        sendProblem(request, reply, 400, {
          type: PROBLEM_TYPES.validation,
          detail: 'Not a change request id.',
          issues: [{ field: 'id', message: 'must be a UUID' }],
        });
        return undefined;
      }
      await expire(request);
      const found = await store.get(id);
      if (!found) sendProblem(request, reply, 404, { type: PROBLEM_TYPES.notFound, detail: 'There is no change request with this id.' });
      return found;
    };

    const alreadyDecided = (request: FastifyRequest, reply: FastifyReply, found: StoredChangeRequest) =>
      sendProblem(request, reply, 409, {
        type: PROBLEM_TYPES.alreadyDecided,
        detail: `This change request is ${found.status}${found.decidedBy ? ` (by ${found.decidedBy})` : ''}: it can no longer be decided.`,
      });

    const decide = async (request: FastifyRequest, reply: FastifyReply, found: StoredChangeRequest, decision: Decision, comment: string | null) => {
      const staff = request.staff!;
      const decided = await store.decide(found.id, decision, staff.email, comment);
      if (!decided) return { lost: alreadyDecided(request, reply, (await store.get(found.id)) ?? found) };
      await record(staff, request.id, decided, decision, comment).catch((error: unknown) =>
        request.log.error({ err: error }, 'audit log: a decision on a change request could not be recorded'),
      );
      return { decided };
    };

    const invalidBody = (request: FastifyRequest, reply: FastifyReply, error: Parameters<typeof zodFieldIssues>[0]) =>
      sendProblem(request, reply, 400, { type: PROBLEM_TYPES.validation, detail: 'The request body is not valid.', issues: zodFieldIssues(error) });

    const notYours = (request: FastifyRequest, reply: FastifyReply, detail: string) =>
      sendProblem(request, reply, 403, { type: PROBLEM_TYPES.forbidden, detail });

    app.post(underApiPrefix(toRouterPath(APPROVAL_ROUTES.approve)), { bodyLimit: 1024 }, async (request: FastifyRequest, reply: FastifyReply) => {
      const body = approveInputSchema.safeParse(request.body ?? {});
      if (!body.success) return invalidBody(request, reply, body.error);
      const found = await load(request, reply);
      if (!found) return reply;
      const staff = request.staff!;
      if (found.requestedBy === staff.email) return notYours(request, reply, 'You asked for this change: another editor or admin must approve it.');
      if (found.status !== 'pending' && found.status !== 'approved') return alreadyDecided(request, reply, found);

      let approved: StoredChangeRequest;
      if (found.status === 'approved') {
        // Approved before: carried out again only when its last attempt ended without an outcome.
        const retry = await store.claimRetry(found.id, options.retryLeaseMs);
        if (!retry) return alreadyDecided(request, reply, found);
        approved = retry;
      } else {
        // The approver decides on the wallet as it is now: if its rules changed since the request, they confirm again.
        let rulesNow;
        try {
          rulesNow = await kit.masspay.listRules(found.userToken, found.walletToken, request.id);
        } catch {
          return sendProblem(request, reply, 502, {
            type: PROBLEM_TYPES.upstreamUnavailable,
            detail: "The wallet's rules could not be read from MassPay, so nothing was decided. Try again in a moment.",
          });
        }
        if (!rulesNow) return sendProblem(request, reply, 404, { type: PROBLEM_TYPES.notFound, detail: 'MassPay knows no such user or wallet any more.' });
        const fingerprintNow = rulesFingerprint(rulesNow);
        if (fingerprintNow !== found.rulesFingerprint && body.data.confirmRulesFingerprint !== fingerprintNow) {
          const problem = buildProblem(request, 409, {
            type: PROBLEM_TYPES.staleApproval,
            title: "The wallet's rules changed since the request",
            detail: 'The wallet holds other rules than when this change was asked for. Compare them, then approve again to confirm.',
          });
          return reply
            .code(409)
            .type(PROBLEM_CONTENT_TYPE)
            .send({ ...problem, rulesAtRequest: found.rulesAtRequest, rulesNow, rulesFingerprint: fingerprintNow });
        }
        const outcome = await decide(request, reply, found, 'approved', body.data.comment || null);
        if ('lost' in outcome) return reply;
        approved = outcome.decided;
      }

      // Carried out by the approver: approving again (after an unknown outcome) finishes the same change, never a second one.
      return forBrowser(await carryOut(kit, request, approved, staff));
    });

    app.post(underApiPrefix(toRouterPath(APPROVAL_ROUTES.reject)), { bodyLimit: 1024 }, async (request: FastifyRequest, reply: FastifyReply) => {
      const body = rejectInputSchema.safeParse(request.body ?? {});
      if (!body.success) return invalidBody(request, reply, body.error);
      const found = await load(request, reply);
      if (!found) return reply;
      if (found.requestedBy === request.staff!.email)
        return notYours(request, reply, 'You asked for this change: withdraw it instead, or let another editor or admin reject it.');
      if (found.status !== 'pending') return alreadyDecided(request, reply, found);
      const outcome = await decide(request, reply, found, 'rejected', body.data.comment || null);
      return 'lost' in outcome ? reply : forBrowser(outcome.decided);
    });

    app.post(underApiPrefix(toRouterPath(APPROVAL_ROUTES.withdraw)), { bodyLimit: 1024 }, async (request: FastifyRequest, reply: FastifyReply) => {
      const found = await load(request, reply);
      if (!found) return reply;
      if (found.requestedBy !== request.staff!.email) return notYours(request, reply, 'Only the staff member who asked for a change can withdraw it.');
      if (found.status !== 'pending') return alreadyDecided(request, reply, found);
      const outcome = await decide(request, reply, found, 'withdrawn', null);
      return 'lost' in outcome ? reply : forBrowser(outcome.decided);
    });
  };

  return { policyName: formatApprovalPolicy(policy), gate, register, store } satisfies ApprovalHooks & { store: unknown };
};
export type Approvals = ReturnType<typeof createApprovals>;
