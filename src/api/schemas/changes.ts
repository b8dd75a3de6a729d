import { z } from 'zod/mini';
import { percentageSchema } from './autopay-input';
import { autopayRuleSchema } from './autopay';

/**
 * The console's own change path (DESIGN §8): rule changes stay on MassPay's paths (add, delete), and
 * what MassPay has no route for — changing a rule's percentage — lives under `/api/console/`.
 */

/** A change's reason travels as this header: percent-encoded UTF-8, at most 200 characters decoded. */
export const CHANGE_REASON_HEADER = 'x-change-reason';
export const CHANGE_REASON_MAX = 200;

export const changeReasonSchema = z.string().check(z.trim(), z.maxLength(CHANGE_REASON_MAX, `A reason is at most ${CHANGE_REASON_MAX} characters`));

/** The header's value for a reason typed in a dialog (undefined: send no header). */
export const encodeChangeReason = (reason: string | undefined): string | undefined => {
  const trimmed = reason?.trim();
  return trimmed ? encodeURIComponent(trimmed) : undefined;
};

export const CHANGE_REASON_MODES = ['optional', 'required'] as const;
export type ChangeReasonMode = (typeof CHANGE_REASON_MODES)[number];

/** `GET /api/console/settings`: what the SPA must know of the server's policy. */
export const consoleSettingsSchema = z.object({
  changeReason: z.enum(CHANGE_REASON_MODES),
  /** `off` until four-eyes approval exists (a later issue adds `all` and `over:<points>`). */
  approvalPolicy: z.string(),
});
export type ConsoleSettings = z.infer<typeof consoleSettingsSchema>;

/** `PATCH /api/console/wallet/{user_token}/{wallet_token}/autopayout/{rule_token}`: a rule's new share. */
export const changePercentageInputSchema = z.strictObject({ percentage: percentageSchema });
export type ChangePercentageInput = z.infer<typeof changePercentageInputSchema>;

/**
 * The answer to a percentage change: MassPay has no update, so the old rule was deleted and `rule` is
 * the new one (a new token). `changeId` ties the steps together in the audit log.
 */
export const changePercentageResultSchema = z.object({
  changeId: z.string(),
  rule: autopayRuleSchema,
  replacedRuleToken: z.string(),
});
export type ChangePercentageResult = z.infer<typeof changePercentageResultSchema>;

/** Paths of the console's own change routes (Fastify syntax for the server, templates for the SPA). */
export const CHANGE_ROUTES = {
  settings: '/api/console/settings',
  /** PATCH, body `changePercentageInputSchema`. */
  changePercentage: '/api/console/wallet/{user_token}/{wallet_token}/autopayout/{rule_token}',
} as const;

export const changePercentagePath = (userToken: string, walletToken: string, ruleToken: string) =>
  CHANGE_ROUTES.changePercentage
    .replace('{user_token}', encodeURIComponent(userToken))
    .replace('{wallet_token}', encodeURIComponent(walletToken))
    .replace('{rule_token}', encodeURIComponent(ruleToken));

/** An answer replayed from the console's idempotency record carries this header. */
export const IDEMPOTENT_REPLAYED_HEADER = 'idempotent-replayed';
