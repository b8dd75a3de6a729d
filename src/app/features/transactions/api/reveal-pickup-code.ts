import { useMutation } from '@tanstack/react-query';
import { revealPickupCodePath, revealPickupCodeResultSchema, type RevealPickupCodeInput } from '../../../../api';
import { request } from '../../../lib/http';

/** The UTC day of MassPay's `time_of_txn` (the day its history filters by), e.g. `2026-03-04`. */
export const utcDayOf = (timeOfTxn: string): string => {
  const date = new Date(timeOfTxn);
  return Number.isNaN(date.getTime()) ? timeOfTxn.slice(0, 10) : date.toISOString().slice(0, 10);
};

/**
 * Reveals one transaction's pickup code (`POST …/transactions/{txn}/pickup-code`; editors and admins,
 * each reveal recorded). The code lives in this mutation's state only: never in the query cache, gone
 * with the page and at sign-out.
 */
export const useRevealPickupCode = (userToken: string, walletToken: string) =>
  useMutation({
    mutationFn: ({ transactionToken, timeOfTxn }: { transactionToken: string; timeOfTxn: string }) =>
      request(revealPickupCodeResultSchema, revealPickupCodePath(userToken, walletToken, transactionToken), {
        method: 'POST',
        body: { day: utcDayOf(timeOfTxn) } satisfies RevealPickupCodeInput,
      }),
  });
