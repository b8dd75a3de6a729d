import { z } from 'zod/mini';
import { calendarDateSchema } from '../dates';

/**
 * Revealing one cash-pickup code (issue 16): history answers carry it masked; an editor or admin asks
 * for one transaction's code on this route, and each reveal is recorded in the audit log
 * (`reveal_pickup_code`). POST, not GET: it is an act that is recorded, never prefetched or cached.
 */
export const REVEAL_PICKUP_CODE_ROUTE = '/api/console/users/{user_token}/wallets/{wallet_token}/transactions/{transaction_token}/pickup-code';

export const revealPickupCodePath = (userToken: string, walletToken: string, transactionToken: string) =>
  REVEAL_PICKUP_CODE_ROUTE.replace('{user_token}', encodeURIComponent(userToken))
    .replace('{wallet_token}', encodeURIComponent(walletToken))
    .replace('{transaction_token}', encodeURIComponent(transactionToken));

/**
 * The body: the transaction's UTC day (the date of its `time_of_txn`). MassPay has no route for one
 * transaction, so the server finds it in that day's history of the wallet.
 */
export const revealPickupCodeInputSchema = z.strictObject({ day: calendarDateSchema('day') });
export type RevealPickupCodeInput = z.infer<typeof revealPickupCodeInputSchema>;

export const revealPickupCodeResultSchema = z.strictObject({ pickup_code: z.string() });
export type RevealPickupCodeResult = z.infer<typeof revealPickupCodeResultSchema>;
