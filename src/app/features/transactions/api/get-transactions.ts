import { queryOptions, useQuery } from '@tanstack/react-query';
import { browserTxnListSchema, type TXN_TYPE_FILTERS } from '../../../../api';
import { apiRequest } from '../../../lib/http';
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

/** `GET /payout/user/<u>/history?wallet_token=<w>&…` (#10): MassPay gives no total, only the page asked for. */
export const transactionsPath = (userToken: string, walletToken: string, view: TransactionsView) => {
  const query = new URLSearchParams({ wallet_token: walletToken });
  if (view.type) query.set('type', view.type);
  if (view.from) query.set('start_date', view.from);
  if (view.to) query.set('end_date', view.to);
  query.set('number_of_records', String(view.size));
  query.set('page', String(view.page));
  return `/payout/user/${encodeURIComponent(userToken)}/history?${query.toString()}`;
};

export const transactionsQueryOptions = (userToken: string, walletToken: string, view: TransactionsView) =>
  queryOptions({
    queryKey: queryKeys.transactions(userToken, walletToken, view),
    queryFn: ({ signal }) => apiRequest(browserTxnListSchema, transactionsPath(userToken, walletToken, view), { signal }),
    staleTime: STALE.wallets,
  });

/**
 * A page of transactions; while the next page or filter loads, the previous rows stay (no flash of
 * skeletons). `(previous) => previous` is react-query's `keepPreviousData`, written out so that the
 * first chunk, which holds react-query, does not grow for one page's sake.
 */
export const useTransactions = (userToken: string, walletToken: string, view: TransactionsView, { enabled = true } = {}) =>
  useQuery({ ...transactionsQueryOptions(userToken, walletToken, view), placeholderData: (previous) => previous, enabled });
