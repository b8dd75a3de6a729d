import { queryOptions, useQuery } from '@tanstack/react-query';
import { browserWalletListSchema } from '../../../../api';
import { apiRequest } from '../../../lib/http';
import { STALE } from '../../../lib/query-client';
import { queryKeys } from '../../../lib/query-keys';

export const walletsQueryOptions = (userToken: string) =>
  queryOptions({
    queryKey: queryKeys.wallets(userToken),
    queryFn: ({ signal }) => apiRequest(browserWalletListSchema, `/payout/wallet/${encodeURIComponent(userToken)}`, { signal }),
    staleTime: STALE.wallets,
  });

export const useWallets = (userToken: string) => useQuery(walletsQueryOptions(userToken));
