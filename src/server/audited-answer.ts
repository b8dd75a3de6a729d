// Answers that exist only once they are recorded: caller verification and pickup-code reveals write
// their audit entry first; when the log cannot take it, the client gets 503 and nothing of the answer.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_TYPES, type AuditAction, type AuditOutcome } from '../api';
import type { AuditStore } from './audit/store';
import { sendProblem } from './problem';

/** What such an entry says beyond who asked: the rest of the log's columns are empty. */
export interface AuditedAct {
  action: AuditAction;
  userToken: string;
  /** '' when the act concerns no wallet (verify_caller): the column holds no null. */
  walletToken: string;
  destinationToken?: string | null;
  ruleToken?: string | null;
  outcome: AuditOutcome;
  masspayStatus: number | null;
}

export const recordAct = (audit: AuditStore, request: FastifyRequest, act: AuditedAct) => {
  const staff = request.staff!;
  return audit.append({
    staffEmail: staff.email,
    staffRole: staff.role,
    action: act.action,
    userToken: act.userToken,
    walletToken: act.walletToken,
    destinationToken: act.destinationToken ?? null,
    percentage: null,
    ruleToken: act.ruleToken ?? null,
    idempotencyKey: null,
    masspayStatus: act.masspayStatus,
    outcome: act.outcome,
    requestId: request.id,
  });
};

/** Records `act`, then runs `answer`; when the log cannot take it, 503 (`what`: e.g. "Caller checks"). */
export const answerOnceRecorded = async (
  audit: AuditStore,
  request: FastifyRequest,
  reply: FastifyReply,
  act: AuditedAct,
  what: string,
  answer: () => unknown,
) => {
  try {
    await recordAct(audit, request, act);
  } catch (error) {
    request.log.error({ err: error, action: act.action }, 'audit log: an act could not be recorded');
    return sendProblem(request, reply, 503, {
      type: PROBLEM_TYPES.auditUnavailable,
      title: 'Audit log unavailable',
      detail: `${what} are recorded, and this one could not be. Try again in a moment.`,
    });
  }
  return answer();
};
