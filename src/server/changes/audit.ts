// What the audit log records of the change path: every step of every change, attributed, with its
// reason and change id — and the changes refused by role (MassPay never asked).
import type { FastifyRequest } from 'fastify';
import { idempotencyKeySchema, ROUTE_PARAMS, ruleTokenSchema, type AuditAction, type AuditOutcome, type StaffMember } from '../../api';
import type { ParsedTarget } from '../api-request';
import type { AuditStore } from '../audit/store';

/** MassPay's status → how the attempt ended. */
export const outcomeOf = (status: number): AuditOutcome => (status < 300 ? 'succeeded' : status < 500 ? 'refused' : 'failed');

/** Who asks, why, and which change and wallet: the same on every entry of one change. */
export interface ChangeContext {
  staffEmail: string;
  staffRole: StaffMember['role'];
  requestId: string;
  reason: string | null;
  changeId: string | null;
  idempotencyKey: string | null;
  userToken: string;
  walletToken: string;
}

export interface ChangeStep {
  action: AuditAction;
  destinationToken: string | null;
  percentage: number | null;
  ruleToken: string | null;
  outcome: AuditOutcome;
  masspayStatus: number | null;
  /** The step's own MassPay Idempotency-Key, when it is not the request's (a percentage change's steps). */
  idempotencyKey?: string | null;
}

export const recordStep = (store: AuditStore, context: ChangeContext, step: ChangeStep) =>
  store.append({
    staffEmail: context.staffEmail,
    staffRole: context.staffRole,
    userToken: context.userToken,
    walletToken: context.walletToken,
    requestId: context.requestId,
    reason: context.reason,
    changeId: context.changeId,
    ...step,
    idempotencyKey: step.idempotencyKey === undefined ? context.idempotencyKey : step.idempotencyKey,
  });

const CHANGE_PERCENTAGE = /^\/api\/console\/wallet\/([^/?]+)\/([^/?]+)\/autopayout\/([^/?]+)$/;

type RefusedChange = { action: AuditAction; userToken: string; walletToken: string; ruleToken: string | null };

/** A change refused by role is recorded too (MassPay is never asked): only a well-formed attempt, by its tokens. */
const recordRefused = async (store: AuditStore, request: FastifyRequest, staff: StaffMember, tokens: RefusedChange | undefined) => {
  // Only well-formed attempts are recorded: the log holds tokens, never whatever a URL carried.
  if (!tokens) return;
  const idempotencyKey = idempotencyKeySchema.safeParse(request.headers['idempotency-key']);
  try {
    await store.append({
      staffEmail: staff.email,
      staffRole: staff.role,
      action: tokens.action,
      userToken: tokens.userToken,
      walletToken: tokens.walletToken,
      destinationToken: null,
      percentage: null,
      ruleToken: tokens.ruleToken,
      idempotencyKey: idempotencyKey.success ? idempotencyKey.data : null,
      masspayStatus: null,
      outcome: 'forbidden',
      requestId: request.id,
    });
  } catch (error) {
    request.log.error({ err: error }, 'audit log: a refused change could not be recorded');
  }
};

/** A percentage change refused by role, with the tokens of its path. */
export const recordForbiddenPercentageChange = (store: AuditStore, request: FastifyRequest, staff: StaffMember) => {
  const edit = CHANGE_PERCENTAGE.exec(request.raw.url!.split('?', 1)[0]!);
  const params = edit && ROUTE_PARAMS.deleteAutopayRule.safeParse({ user_token: edit[1], wallet_token: edit[2] });
  const rule = edit && ruleTokenSchema.safeParse(edit[3]);
  const tokens =
    params?.success && rule?.success
      ? { action: 'edit_rule' as const, userToken: params.data.user_token!, walletToken: params.data.wallet_token!, ruleToken: rule.data }
      : undefined;
  return recordRefused(store, request, staff, tokens);
};

/** An add or a delete refused by role, with the tokens of its target as the proxy parsed it (api-request.ts). */
export const recordForbiddenRuleChange = (store: AuditStore, request: FastifyRequest, staff: StaffMember, target: ParsedTarget) => {
  const ruleToken = ruleTokenSchema.safeParse(target.queryValues.token);
  return recordRefused(store, request, staff, {
    action: target.id === 'createAutopayRule' ? 'add_rule' : 'delete_rule',
    userToken: target.params.user_token!,
    walletToken: target.params.wallet_token!,
    ruleToken: ruleToken.success ? ruleToken.data : null,
  });
};
