import { z } from 'zod';
import { deliveryTypeSchema } from './catalog';

export const TXN_TYPES = ['load', 'payout', 'spend back', 'info'] as const;
/** The history filter spells it `spendback`; the rows spell it `spend back` (open question 11). */
export const TXN_TYPE_FILTERS = ['payout', 'load', 'spendback'] as const;
export const TXN_STATUSES = [
  'PENDING',
  'PROCESSING',
  'COMPLETED',
  'CANCELLED',
  'SCHEDULED',
  'READY_FOR_PICKUP',
  'HOLD',
  'ERROR',
] as const;

/** `TxnHistoryResp` (#10). */
export const txnHistorySchema = z.object({
  token: z.string(),
  type: z.enum(TXN_TYPES),
  time_of_txn: z.string(),
  source_amount: z.number(),
  source_currency_code: z.string(),
  destination_amount: z.number(),
  destination_currency_code: z.string(),
  fee: z.number(),
  status: z.enum(TXN_STATUSES),
  destination_token: z.string(),
  notes: z.string().optional(),
  payer_name: z.string().optional(),
  pickup_code: z.string().optional(),
  source_token: z.string().optional(),
  delivery_type: deliveryTypeSchema.optional(),
  client_transfer_id: z.string().optional(),
  status_reason: z.string().optional(),
  client_id: z.number().optional(),
  user_token: z.string().optional(),
});
export type TxnHistory = z.infer<typeof txnHistorySchema>;
export const txnHistoryListSchema = z.array(txnHistorySchema);
