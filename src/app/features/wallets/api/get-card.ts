import { queryOptions, useQuery } from '@tanstack/react-query';
import { getCard } from '../../../../api';
import { apiCall } from '../../../lib/api-client';
import { STALE } from '../../../lib/query-client';
import { queryKeys } from '../../../lib/query-keys';

/**
 * A card wallet's card (#5) as the proxy passes it on: type, status and balance only (brand and last
 * four are the wallet list's). Its `browserResponse` is strict, so an answer carrying anything more is refused
 * rather than shown.
 */
export const cardQueryOptions = (userToken: string, walletToken: string) =>
  queryOptions({
    queryKey: queryKeys.card(userToken, walletToken),
    queryFn: ({ signal }) => apiCall(getCard, { params: { user_token: userToken, wallet_token: walletToken }, signal }),
    staleTime: STALE.wallets,
  });

export const useCard = (userToken: string, walletToken: string) => useQuery(cardQueryOptions(userToken, walletToken));
