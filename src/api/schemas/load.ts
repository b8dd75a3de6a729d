import { z } from 'zod';
import { hasAtMostTwoDecimals } from '../money';
import { currencyCodeSchema } from '../tokens';

/** `LoadTxn`, the body of #11. */
export const loadInputSchema = z.strictObject({
  client_load_id: z.string().min(1, 'client_load_id is required').max(50, 'client_load_id is at most 50 characters'),
  source_token: z.string().min(1, 'source_token is required').max(100),
  amount: z
    .number({ error: 'Amount must be a number' })
    .gt(0, 'Amount must be greater than 0')
    .lte(1_000_000_000, 'Amount is too large')
    .refine(hasAtMostTwoDecimals, 'Amount may have at most two decimals'),
  source_currency_code: currencyCodeSchema.optional(),
  notes: z.string().max(255, 'Notes are at most 255 characters').optional(),
  notify_user: z.boolean().optional(),
  time_to_process: z.iso.datetime({ offset: true }).optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});
export type LoadInput = z.infer<typeof loadInputSchema>;

export const LOAD_STATUSES = ['COMPLETED', 'CANCELLED', 'SCHEDULED'] as const;

/** `LoadTxnResp`. `wallet_token` names the wallet the load landed in (v1.0.0). */
export const loadResultSchema = z.object({
  load_token: z.string(),
  status: z.enum(LOAD_STATUSES),
  wallet_token: z.string().optional(),
});
export type LoadResult = z.infer<typeof loadResultSchema>;
