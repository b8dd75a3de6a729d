import { z } from 'zod/mini';
import { positiveIntQuery } from '../query';
import { auditEntrySchema } from './audit';
import { autopayRuleSchema } from './autopay';

/**
 * A wallet's own history (issue 14): every rule change made through the console to this wallet, for
 * every signed-in role, newest first — from the audit log, with the staff member's name when known.
 */
export const walletHistoryEntrySchema = z.extend(auditEntrySchema, { staffName: z.nullable(z.string()) });
export type WalletHistoryEntry = z.infer<typeof walletHistoryEntrySchema>;

export const WALLET_HISTORY_PAGE_SIZE = 20;

export const walletHistoryQuerySchema = z.strictObject({
  page: z.optional(positiveIntQuery()),
});

export const walletHistoryPageSchema = z.object({
  entries: z.array(walletHistoryEntrySchema),
  total: z.int(),
  page: z.int(),
  limit: z.int(),
});
export type WalletHistoryPage = z.infer<typeof walletHistoryPageSchema>;

/** `…/rules-at?at=`: an instant, ISO 8601 with its zone (a payout's `time`). */
export const rulesAtQuerySchema = z.strictObject({
  at: z.string().check(
    z.maxLength(40),
    z.refine((value) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value) && !Number.isNaN(Date.parse(value)), 'Must be a date and time, e.g. 2026-11-25T14:00:00Z'),
  ),
});

/**
 * The rules the console knows were in force at `at`: today's rules with every change the console made
 * since undone. `known: false` when the console's records begin after `at` (`recordsSince`): it cannot
 * tell. `uncertain`: a change since then has an unknown outcome, or was not the console's to see.
 */
export const rulesAtSchema = z.object({
  at: z.string(),
  known: z.boolean(),
  rules: z.nullable(z.array(autopayRuleSchema)),
  recordsSince: z.nullable(z.string()),
  uncertain: z.boolean(),
});
export type RulesAt = z.infer<typeof rulesAtSchema>;

export const WALLET_HISTORY_ROUTES = {
  history: '/api/console/wallet/{user_token}/{wallet_token}/history',
  rulesAt: '/api/console/wallet/{user_token}/{wallet_token}/rules-at',
} as const;
