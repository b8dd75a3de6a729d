import { queryOptions, useQuery } from '@tanstack/react-query';
import { getUserHistory, type TXN_TYPE_FILTERS } from '../../../../api';
import { apiCall } from '../../../lib/api-client';
import { STALE } from '../../../lib/query-client';
import { queryKeys } from '../../../lib/query-keys';

export type TransactionType = (typeof TXN_TYPE_FILTERS)[number];

/** One page of a wallet's transactions: filters (all optional) and paging. */
export interface TransactionsView {
  type?: TransactionType;
  /** `YYYY-MM-DD`, inclusive (MassPay compares the UTC date). */
  from?: string;
  to?: string;
  /** From 1. */
  page: number;
  size: number;
}

/** #10 for one wallet: MassPay gives no total, only the page asked for. */
export const fetchTransactions = (userToken: string, walletToken: string, view: TransactionsView, signal?: AbortSignal) =>
  apiCall(getUserHistory, {
    params: { user_token: userToken },
    query: { wallet_token: walletToken, type: view.type, start_date: view.from, end_date: view.to, number_of_records: view.size, page: view.page },
    signal,
  });

export const transactionsQueryOptions = (userToken: string, walletToken: string, view: TransactionsView) =>
  queryOptions({
    queryKey: queryKeys.transactions(userToken, walletToken, view),
    queryFn: ({ signal }) => fetchTransactions(userToken, walletToken, view, signal),
    staleTime: STALE.wallets,
  });

/**
 * A page of transactions; while the next page or filter loads, the previous rows stay (no flash of
 * skeletons). `(previous) => previous` is react-query's `keepPreviousData`, written out so that the
 * first chunk, which holds react-query, does not grow for one page's sake.
 */
export const useTransactions = (userToken: string, walletToken: string, view: TransactionsView, { enabled = true } = {}) =>
  useQuery({ ...transactionsQueryOptions(userToken, walletToken, view), placeholderData: (previous) => previous, enabled });
