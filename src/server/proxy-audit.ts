import type { FastifyRequest } from 'fastify';
import { autopayRuleListSchema, autopayRuleSchema, idempotencyKeySchema, matchRoute, ROUTE_PARAMS, ruleTokenSchema, type AuditAction, type AuditOutcome, type RouteId, type StaffMember } from '../api';
import { splitApiTarget } from './api-target';
import type { AuditStore, NewAuditEntry } from './audit/store';

/** The proxied routes that change money's path, and what the audit log calls them. */
const AUDITED: Partial<Record<RouteId, AuditAction>> = { createAutopayRule: 'add_rule', deleteAutopayRule: 'delete_rule' };

export const auditedAction = (routeId: RouteId) => AUDITED[routeId];

/** MassPay's status → how the attempt ended. */
export const outcomeOf = (status: number): AuditOutcome => (status < 300 ? 'succeeded' : status < 500 ? 'refused' : 'failed');

export interface ChangeDetails {
  action: AuditAction;
  userToken: string;
  walletToken: string;
  destinationToken: string | null;
  percentage: number | null;
  ruleToken: string | null;
  idempotencyKey: string | null;
}

const entryFor = (request: FastifyRequest, staff: StaffMember, details: ChangeDetails, outcome: AuditOutcome, masspayStatus: number | null): NewAuditEntry => ({
  ...details,
  staffEmail: staff.email,
  staffRole: staff.role,
  outcome,
  masspayStatus,
  requestId: request.id,
});

/**
 * One change's two entries: `requested` before MassPay is asked (if that cannot be written, MassPay is
 * not asked: no change goes unrecorded), then its outcome before the client hears it (so an answer the
 * client saw is always in the log).
 */
export const auditChange = async (store: AuditStore, request: FastifyRequest, details: ChangeDetails) => {
  const staff = request.staff!;
  await store.append(entryFor(request, staff, details, 'requested', null));
  return {
    finish: async (outcome: AuditOutcome, masspayStatus: number | null, ruleToken = details.ruleToken) => {
      try {
        await store.append(entryFor(request, staff, { ...details, ruleToken }, outcome, masspayStatus));
      } catch (error) {
        // MassPay has already acted: the client must still hear how. The `requested` entry stands.
        request.log.error({ err: error, audit: { ...details, outcome } }, 'audit log: the outcome could not be recorded');
      }
    },
  };
};

/** The rule token from MassPay's answer to an add, if it is one. */
export const createdRuleToken = (body: Buffer): string | null => {
  try {
    const rule = autopayRuleSchema.safeParse(JSON.parse(body.toString('utf8')));
    return rule.success ? rule.data.token : null;
  } catch {
    return null;
  }
};

/** The destination and percentage of the rule about to be deleted, from MassPay's list (null if unknown). */
export const ruleFromList = (body: Buffer, token: string) => {
  try {
    const rules = autopayRuleListSchema.safeParse(JSON.parse(body.toString('utf8')));
    const rule = rules.success ? rules.data.find((candidate) => candidate.token === token) : undefined;
    return { destinationToken: rule?.destination_token ?? null, percentage: rule?.percentage ?? null };
  } catch {
    return { destinationToken: null, percentage: null };
  }
};

/** A change refused by role is recorded too (MassPay is never asked), with what the URL tells. */
export const recordForbidden = async (store: AuditStore, request: FastifyRequest, staff: StaffMember) => {
  const target = splitApiTarget(request.raw.url!);
  if (!target) return;
  const match = matchRoute(request.method, target.path);
  if (match.kind !== 'route') return;
  const action = auditedAction(match.id);
  const params = ROUTE_PARAMS[match.id].safeParse(match.params);
  // Only well-formed attempts are recorded: the log holds tokens, never whatever a URL carried.
  if (!action || !params.success) return;
  const ruleToken = ruleTokenSchema.safeParse(new URLSearchParams(target.rawQuery).get('token'));
  const idempotencyKey = idempotencyKeySchema.safeParse(request.headers['idempotency-key']);
  const details: ChangeDetails = {
    action,
    userToken: params.data.user_token!,
    walletToken: params.data.wallet_token!,
    destinationToken: null,
    percentage: null,
    ruleToken: ruleToken.success ? ruleToken.data : null,
    idempotencyKey: idempotencyKey.success ? idempotencyKey.data : null,
  };
  try {
    await store.append(entryFor(request, staff, details, 'forbidden', null));
  } catch (error) {
    request.log.error({ err: error }, 'audit log: a refused change could not be recorded');
  }
};
