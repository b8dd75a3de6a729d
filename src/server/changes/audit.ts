// What the audit log records of the change path: every step of every change, attributed, with its
// reason and change id — and the changes refused by role (MassPay never asked).
import type { FastifyRequest } from 'fastify';
import {
  CHANGE_ROUTES,
  idempotencyKeySchema,
  matchRoute,
  ROUTE_PARAMS,
  ruleTokenSchema,
  type AuditAction,
  type AuditOutcome,
  type StaffMember,
} from '../../api';
import { splitApiTarget } from '../api-target';
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

/** A change refused by role is recorded too (MassPay is never asked), with what the URL tells. */
export const recordForbidden = async (store: AuditStore, request: FastifyRequest, staff: StaffMember) => {
  const raw = request.raw.url!;
  const [pathname = '', rawQuery = ''] = raw.split('?', 2) as [string, string?];
  const idempotencyKey = idempotencyKeySchema.safeParse(request.headers['idempotency-key']);
  let tokens: { action: AuditAction; userToken: string; walletToken: string; ruleToken: string | null } | undefined;

  const edit = request.routeOptions.url === CHANGE_ROUTES.changePercentage.replace(/\{(\w+)\}/g, ':$1') ? CHANGE_PERCENTAGE.exec(pathname) : null;
  if (edit) {
    const params = ROUTE_PARAMS.deleteAutopayRule.safeParse({ user_token: edit[1], wallet_token: edit[2] });
    const rule = ruleTokenSchema.safeParse(edit[3]);
    if (params.success && rule.success)
      tokens = { action: 'edit_rule', userToken: params.data.user_token!, walletToken: params.data.wallet_token!, ruleToken: rule.data };
  } else {
    const target = splitApiTarget(raw);
    const match = target ? matchRoute(request.method, target.path) : undefined;
    if (match?.kind === 'route' && (match.id === 'createAutopayRule' || match.id === 'deleteAutopayRule')) {
      const params = ROUTE_PARAMS[match.id].safeParse(match.params);
      const ruleToken = ruleTokenSchema.safeParse(new URLSearchParams(rawQuery).get('token'));
      if (params.success) {
        tokens = {
          action: match.id === 'createAutopayRule' ? 'add_rule' : 'delete_rule',
          userToken: params.data.user_token!,
          walletToken: params.data.wallet_token!,
          ruleToken: ruleToken.success ? ruleToken.data : null,
        };
      }
    }
  }
  // Only well-formed attempts are recorded: the log holds tokens, never whatever a URL carried.
  if (!tokens) return;
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
