import { z } from 'zod/mini';
import { hasAtMostTwoDecimals } from '../money';
import { currencyCodeSchema } from '../tokens';

/** `LoadTxn`, the body of #11. */
export const loadInputSchema = z.strictObject({
  client_load_id: z.string().check(z.minLength(1, 'client_load_id is required'), z.maxLength(50, 'client_load_id is at most 50 characters')),
  source_token: z.string().check(z.minLength(1, 'source_token is required'), z.maxLength(100)),
  amount: z
    .number({ error: 'Amount must be a number' })
    .check(
      z.gt(0, 'Amount must be greater than 0'),
      z.lte(1_000_000_000, 'Amount is too large'),
      z.refine(hasAtMostTwoDecimals, 'Amount may have at most two decimals'),
    ),
  source_currency_code: z.optional(currencyCodeSchema),
  notes: z.optional(z.string().check(z.maxLength(255, 'Notes are at most 255 characters'))),
  notify_user: z.optional(z.boolean()),
  time_to_process: z.optional(z.iso.datetime({ offset: true })),
  metadata: z.optional(z.record(z.string(), z.unknown())),
});
export type LoadInput = z.infer<typeof loadInputSchema>;

export const LOAD_STATUSES = ['COMPLETED', 'CANCELLED', 'SCHEDULED'] as const;

/** `LoadTxnResp`. `wallet_token` names the wallet the load landed in (v1.0.0). */
export const loadResultSchema = z.object({
  load_token: z.string(),
  status: z.enum(LOAD_STATUSES),
  wallet_token: z.optional(z.string()),
});
export type LoadResult = z.infer<typeof loadResultSchema>;
