import { z } from 'zod/mini';
import { positiveIntQuery } from '../query';
import { toBasisPoints } from '../money';
import { userTokenSchema, walletTokenSchema } from '../tokens';
import { autopayRuleSchema, type AutopayRule } from './autopay';

/**
 * Four-eyes approval (DESIGN §8): `APPROVAL_POLICY` is `off`, `all`, or `over:<points>` — then a change
 * needs a second person when it moves more than that many percentage points of a wallet's allocation,
 * points money at a destination the wallet has no rule for now, or deletes the wallet's last rule.
 * The server decides; the SPA uses the same function only to say beforehand that a change will wait.
 */
export type ApprovalPolicy = { kind: 'off' } | { kind: 'all' } | { kind: 'over'; points: number };

const OVER = /^over:(\d{1,3}(?:\.\d{1,2})?)$/;

/** The policy a setting names, or undefined when it names none. */
export const parseApprovalPolicy = (text: string): ApprovalPolicy | undefined => {
  if (text === 'off' || text === 'all') return { kind: text };
  const points = OVER.exec(text)?.[1];
  if (points === undefined || Number(points) > 100) return undefined;
  return { kind: 'over', points: Number(points) };
};

export const formatApprovalPolicy = (policy: ApprovalPolicy) => (policy.kind === 'over' ? `over:${policy.points}` : policy.kind);

/** A change as the policy sees it. */
export type ProposedChange =
  | { action: 'add_rule'; destinationToken: string; percentage: number }
  | { action: 'edit_rule'; ruleToken: string; percentage: number }
  | { action: 'delete_rule'; ruleToken: string };

const percent = (basisPoints: number) => `${basisPoints / 100}`;

/**
 * Why `change` to a wallet holding `rules` needs a second person under `policy`, or null when it does
 * not. A rule the change names but the wallet lacks is the change path's to refuse, not this.
 */
export const approvalNeeded = (policy: ApprovalPolicy, rules: readonly AutopayRule[], change: ProposedChange): string | null => {
  if (policy.kind === 'off') return null;
  if (policy.kind === 'all') return 'Every rule change needs a second person.';
  const limitBp = toBasisPoints(policy.points);
  if (change.action === 'add_rule') {
    const existing = rules.some((rule) => rule.destination_token === change.destinationToken);
    if (!existing) return 'It sends money to a destination this wallet has no rule for.';
    const movedBp = toBasisPoints(change.percentage);
    return movedBp > limitBp ? `It moves ${percent(movedBp)} percentage points (more than ${policy.points}).` : null;
  }
  const rule = rules.find((candidate) => candidate.token === change.ruleToken);
  if (!rule) return null;
  if (change.action === 'delete_rule') {
    if (rules.length === 1) return "It deletes the wallet's last rule.";
    const movedBp = toBasisPoints(rule.percentage);
    return movedBp > limitBp ? `It moves ${percent(movedBp)} percentage points (more than ${policy.points}).` : null;
  }
  const movedBp = Math.abs(toBasisPoints(change.percentage) - toBasisPoints(rule.percentage));
  return movedBp > limitBp ? `It moves ${percent(movedBp)} percentage points (more than ${policy.points}).` : null;
};

export const CHANGE_REQUEST_STATUSES = ['pending', 'approved', 'applied', 'failed', 'rejected', 'withdrawn', 'expired'] as const;
export const changeRequestStatusSchema = z.enum(CHANGE_REQUEST_STATUSES);
export type ChangeRequestStatus = z.infer<typeof changeRequestStatusSchema>;

export const CHANGE_REQUEST_ACTIONS = ['add_rule', 'edit_rule', 'delete_rule'] as const;

/** A change that waits for, or had, a second person's decision. Times are ISO 8601, UTC. */
export const changeRequestSchema = z.object({
  id: z.string(),
  status: changeRequestStatusSchema,
  action: z.enum(CHANGE_REQUEST_ACTIONS),
  userToken: z.string(),
  walletToken: z.string(),
  destinationToken: z.string(),
  /** The share asked for (add, edit); null for a delete. */
  percentage: z.nullable(z.number()),
  /** The rule an edit or delete is about, and its share when asked. */
  ruleToken: z.nullable(z.string()),
  previousPercentage: z.nullable(z.number()),
  /** An add's attribute set, if it named one. */
  attrSetToken: z.nullable(z.string()),
  reason: z.nullable(z.string()),
  /** Why the policy asked for a second person. */
  approvalReason: z.string(),
  requestedBy: z.string(),
  requestedAt: z.string(),
  expiresAt: z.string(),
  decidedBy: z.nullable(z.string()),
  decidedAt: z.nullable(z.string()),
  comment: z.nullable(z.string()),
  /** Applied: the rule now on the wallet; failed: why not. */
  resultRuleToken: z.nullable(z.string()),
  resultDetail: z.nullable(z.string()),
  /** The wallet's rules when the change was asked for, and their fingerprint. */
  rulesAtRequest: z.array(autopayRuleSchema),
  rulesFingerprint: z.string(),
});
export type ChangeRequest = z.infer<typeof changeRequestSchema>;

export const CHANGE_REQUEST_PAGE_SIZE = 25;

export const changeRequestPageSchema = z.object({
  items: z.array(changeRequestSchema),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
  /** Pending requests across the console (the app bar's count), whatever the filters. */
  pendingCount: z.number(),
});
export type ChangeRequestPage = z.infer<typeof changeRequestPageSchema>;

/** `GET /api/console/change-requests` query: all optional; pending first, then newest first. */
export const changeRequestQuerySchema = z.strictObject({
  status: z.optional(changeRequestStatusSchema),
  user: z.optional(userTokenSchema),
  wallet: z.optional(walletTokenSchema),
  page: z.optional(positiveIntQuery()),
});
export type ChangeRequestQuery = z.infer<typeof changeRequestQuerySchema>;

/** A decision's comment (change requests and bulk jobs), at most this many characters once trimmed. */
export const DECISION_COMMENT_MAX = 200;
const commentSchema = z.optional(z.string().check(z.trim(), z.maxLength(DECISION_COMMENT_MAX, `A comment is at most ${DECISION_COMMENT_MAX} characters`)));

/** `POST …/approve`: `confirmRulesFingerprint` confirms an approval after the wallet's rules changed since the request. */
export const approveInputSchema = z.strictObject({ comment: commentSchema, confirmRulesFingerprint: z.optional(z.string().check(z.maxLength(128))) });
export const rejectInputSchema = z.strictObject({ comment: commentSchema });

/** The 409 of an approval whose wallet's rules changed since the request: the approver sees both and confirms again. */
export const staleApprovalSchema = z.object({
  rulesAtRequest: z.array(autopayRuleSchema),
  rulesNow: z.array(autopayRuleSchema),
  rulesFingerprint: z.string(),
});

export const APPROVAL_ROUTES = {
  list: '/api/console/change-requests',
  approve: '/api/console/change-requests/{id}/approve',
  reject: '/api/console/change-requests/{id}/reject',
  withdraw: '/api/console/change-requests/{id}/withdraw',
} as const;
