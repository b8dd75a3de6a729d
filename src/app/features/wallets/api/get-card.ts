import { queryOptions, useQuery } from '@tanstack/react-query';
import { redactedCardSchema } from '../../../../api';
import { apiRequest } from '../../../lib/http';
import { STALE } from '../../../lib/query-client';
import { queryKeys } from '../../../lib/query-keys';

export const cardPath = (userToken: string, walletToken: string) => `/payout/wallet/${encodeURIComponent(userToken)}/${encodeURIComponent(walletToken)}/card`;

/**
 * A card wallet's card (#5) as the proxy passes it on: type, status and balance only (brand and last
 * four are the wallet list's). The schema is strict, so an answer carrying anything more is refused
 * rather than shown.
 */
export const cardQueryOptions = (userToken: string, walletToken: string) =>
  queryOptions({
    queryKey: queryKeys.card(userToken, walletToken),
    queryFn: ({ signal }) => apiRequest(redactedCardSchema, cardPath(userToken, walletToken), { signal }),
    staleTime: STALE.wallets,
  });

export const useCard = (userToken: string, walletToken: string) => useQuery(cardQueryOptions(userToken, walletToken));
