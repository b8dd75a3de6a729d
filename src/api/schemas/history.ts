import { z } from 'zod/mini';
import { deliveryTypeSchema } from './catalog';

export const TXN_TYPES = ['load', 'payout', 'spend back', 'info'] as const;
/** The history filter spells it `spendback`; the rows spell it `spend back` (open question 11). */
export const TXN_TYPE_FILTERS = ['payout', 'load', 'spendback'] as const;
export const TXN_STATUSES = ['PENDING', 'PROCESSING', 'COMPLETED', 'CANCELLED', 'SCHEDULED', 'READY_FOR_PICKUP', 'HOLD', 'ERROR'] as const;

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
  notes: z.optional(z.string()),
  payer_name: z.optional(z.string()),
  pickup_code: z.optional(z.string()),
  source_token: z.optional(z.string()),
  delivery_type: z.optional(deliveryTypeSchema),
  client_transfer_id: z.optional(z.string()),
  status_reason: z.optional(z.string()),
  client_id: z.optional(z.number()),
  user_token: z.optional(z.string()),
});
export type TxnHistory = z.infer<typeof txnHistorySchema>;
export const txnHistoryListSchema = z.array(txnHistorySchema);

/** What the browser gets in place of a pickup code: that there is one, never the code. */
export const PICKUP_CODE_MASK = '••••••';

/**
 * What the browser gets of a history row (#10): the transactions table's columns and the row's token.
 * A cash pickup's `pickup_code` is masked (the whole code: a part of a short code is most of it);
 * an editor or admin reveals one on its own route, audited (pickup-code.ts). Type and status as any
 * string, so a status MassPay adds later still shows.
 */
export const browserTxnSchema = z.extend(
  z.pick(txnHistorySchema, {
    token: true,
    time_of_txn: true,
    source_amount: true,
    source_currency_code: true,
    destination_amount: true,
    destination_currency_code: true,
    fee: true,
    payer_name: true,
  }),
  {
    type: z.string(),
    status: z.string(),
    pickup_code: z.optional(
      z.pipe(
        z.string(),
        z.transform((): string => PICKUP_CODE_MASK),
      ),
    ),
  },
);
export type BrowserTxn = z.infer<typeof browserTxnSchema>;
export const browserTxnListSchema = z.array(browserTxnSchema);
