import { z } from 'zod/mini';
import { positiveIntQuery } from '../query';
import { calendarDateSchema } from '../dates';
import { staffRoleSchema } from './staff';
import { destinationTokenSchema, ruleTokenSchema, userTokenSchema, walletTokenSchema } from '../tokens';

/**
 * `edit_rule` is a percentage change: its steps are a `delete_rule` and an `add_rule` with the same change id.
 * `read_card` is a read of a card wallet's card (status and balance): `succeeded`, `refused` (MassPay's 4xx) or
 * `failed` (5xx, unreachable, timed out, or an answer the console could not read).
 * `verify_caller` is a caller's date of birth checked against MassPay's (no wallet: `walletToken` is ''):
 * `succeeded` it matched, `refused` with MassPay status 200 it did not (with MassPay's 4xx: not asked of a
 * known user), `blocked` the payee's tries were used up (the first refused try of a window only),
 * `failed` MassPay failed or holds no date of birth.
 * `reveal_pickup_code` is one transaction's pickup code shown to staff; `ruleToken` holds the
 * transaction's token and `destinationToken` its destination: `succeeded`, `refused` (no such
 * transaction with a code, or MassPay's 4xx), `failed`, or `forbidden` (a viewer).
 */
export const AUDIT_ACTIONS = ['add_rule', 'delete_rule', 'edit_rule', 'read_card', 'verify_caller', 'reveal_pickup_code'] as const;
export const auditActionSchema = z.enum(AUDIT_ACTIONS);
export type AuditAction = z.infer<typeof auditActionSchema>;

/**
 * One attempt is two entries, both appended, never changed: `requested` when the console asks MassPay,
 * then how it ended — `succeeded` (2xx), `refused` (MassPay's 4xx), `failed` (5xx or unreachable),
 * `unknown` (timed out: MassPay may or may not have done it). `forbidden` is a refusal by the console's
 * role check, recorded alone because MassPay is never asked. The change path adds: `replayed` (the same
 * Idempotency-Key and request again: the first answer repeated, MassPay not asked), `blocked` (the
 * console's own policy refused it on fresh data: MassPay not asked) and `compensated` (a percentage
 * change whose new rule could not be made: the old rule was put back). Four-eyes approval adds, under the
 * change request's id as change id: `awaiting_approval` (the change was asked for and waits for a second
 * person; MassPay not asked), `approved`, `rejected`, `withdrawn` (by its requester) and `expired`.
 */
export const AUDIT_OUTCOMES = [
  'requested',
  'succeeded',
  'refused',
  'failed',
  'unknown',
  'forbidden',
  'replayed',
  'blocked',
  'compensated',
  'awaiting_approval',
  'approved',
  'rejected',
  'withdrawn',
  'expired',
] as const;
export const auditOutcomeSchema = z.enum(AUDIT_OUTCOMES);
export type AuditOutcome = z.infer<typeof auditOutcomeSchema>;

export const auditEntrySchema = z.object({
  /** Store order, as a decimal string (a bigint in PostgreSQL). */
  id: z.string(),
  /** ISO 8601, UTC. */
  at: z.string(),
  staffEmail: z.string(),
  staffRole: staffRoleSchema,
  action: auditActionSchema,
  userToken: z.string(),
  walletToken: z.string(),
  destinationToken: z.nullable(z.string()),
  percentage: z.nullable(z.number()),
  ruleToken: z.nullable(z.string()),
  idempotencyKey: z.nullable(z.string()),
  masspayStatus: z.nullable(z.int()),
  outcome: auditOutcomeSchema,
  requestId: z.string(),
  /** The steps of one change (a percentage change's delete and create) share it; null before the change path. */
  changeId: z.nullable(z.string()),
  /** The staff member's reason or ticket reference (X-Change-Reason), if one was given. */
  reason: z.nullable(z.string()),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const AUDIT_PAGE_SIZES = [25, 50, 100] as const;
const dateSchema = calendarDateSchema('date', { format: 'Use a date like 2026-11-25', calendar: 'Not a real date' });
/**
 * `GET /api/audit` query (all optional): filters, then the page. `from` and `to` are whole UTC days,
 * both included. Newest first, always.
 */
export const auditQuerySchema = z.strictObject({
  user: z.optional(userTokenSchema),
  /** A wallet's entries; a destination's; a rule's (its token, or for a pickup-code reveal the transaction's). */
  wallet: z.optional(walletTokenSchema),
  destination: z.optional(destinationTokenSchema),
  rule: z.optional(ruleTokenSchema),
  staff: z.optional(z.string().check(z.trim(), z.toLowerCase(), z.maxLength(254))),
  action: z.optional(auditActionSchema),
  from: z.optional(dateSchema),
  to: z.optional(dateSchema),
  page: z.optional(positiveIntQuery(100_000)),
  limit: z.optional(positiveIntQuery(100)),
});
export type AuditQueryInput = z.input<typeof auditQuerySchema>;
export type AuditQuery = z.output<typeof auditQuerySchema>;
/** What narrows the log, without the page: `staff` lower-cased, `from`/`to` whole UTC days, both included. */
export type AuditFilters = Omit<AuditQuery, 'page' | 'limit'>;

/**
 * The audit log's hash chain as the server last checked it: every entry, recomputed in the server from
 * the database's rows. A check runs at most every 30 s, in the background once there is a result, so an
 * answer may carry the previous check (see `checkedAt`). `verified: false` means an entry was changed,
 * removed or added behind the console's back: `brokenAt` names the first entry that does not match.
 */
export const auditChainSchema = z.object({
  verified: z.boolean(),
  checkedEntries: z.int(),
  /** The first entry (id) that does not match the chain. */
  brokenAt: z.optional(z.string()),
  /** What was found, in words for staff. */
  detail: z.optional(z.string()),
  /** When the check ran, ISO 8601 UTC. */
  checkedAt: z.string(),
  /** The newest entry checked and its hash (hex): an operator may note them and check them later (`npm run audit:verify -- --anchor id:hash`). */
  headId: z.optional(z.string()),
  headHash: z.optional(z.string()),
});
export type AuditChainStatus = z.infer<typeof auditChainSchema>;

export const auditPageSchema = z.object({
  entries: z.array(auditEntrySchema),
  total: z.int(),
  page: z.int(),
  limit: z.int(),
  /** The hash chain's last check (always sent by the server; optional for older servers). */
  chain: z.optional(auditChainSchema),
});
export type AuditPage = z.infer<typeof auditPageSchema>;

/** The console's own routes beside the proxied MassPay ones (DESIGN §7 and the audit page). */
export const CONSOLE_ROUTES = {
  login: '/auth/login',
  logout: '/auth/logout',
  me: '/auth/me',
  audit: '/api/audit',
  auditExport: '/api/audit/export',
} as const;
