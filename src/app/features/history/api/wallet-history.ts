import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { WALLET_HISTORY_ROUTES, fillPath, rulesAtSchema, walletHistoryPageSchema } from '../../../../api';
import { request } from '../../../lib/http';
import { queryKeys } from '../../../lib/query-keys';

const walletPath = (template: string, userToken: string, walletToken: string) => fillPath(template, { user_token: userToken, wallet_token: walletToken });

/** `GET /api/console/wallet/{user}/{wallet}/history?page=`: the console's changes to this wallet, newest first, 20 a page (every role). */
export const walletHistoryQueryOptions = (userToken: string, walletToken: string, page: number) =>
  queryOptions({
    queryKey: queryKeys.walletHistory(userToken, walletToken, page),
    queryFn: ({ signal }) =>
      request(walletHistoryPageSchema, `${walletPath(WALLET_HISTORY_ROUTES.history, userToken, walletToken)}${page > 1 ? `?page=${page}` : ''}`, { signal }),
    staleTime: 10_000,
  });

export const useWalletHistory = (userToken: string, walletToken: string, page: number) =>
  useQuery({ ...walletHistoryQueryOptions(userToken, walletToken, page), placeholderData: keepPreviousData });

/** `GET …/rules-at?at=`: the rules the console knows were in force at `at`, or that it has no record from before then. */
export const rulesAtQueryOptions = (userToken: string, walletToken: string, at: string) =>
  queryOptions({
    queryKey: queryKeys.rulesAt(userToken, walletToken, at),
    queryFn: ({ signal }) =>
      request(rulesAtSchema, `${walletPath(WALLET_HISTORY_ROUTES.rulesAt, userToken, walletToken)}?${new URLSearchParams({ at }).toString()}`, { signal }),
    staleTime: 60_000,
  });

export const useRulesAt = (userToken: string, walletToken: string, at: string) => useQuery(rulesAtQueryOptions(userToken, walletToken, at));
