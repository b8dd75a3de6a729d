import { queryOptions, useQuery } from '@tanstack/react-query';
import { listWallets } from '../../../../api';
import { apiCall } from '../../../lib/api-client';
import { STALE } from '../../../lib/query-client';
import { queryKeys } from '../../../lib/query-keys';

export const walletsQueryOptions = (userToken: string) =>
  queryOptions({
    queryKey: queryKeys.wallets(userToken),
    queryFn: ({ signal }) => apiCall(listWallets, { params: { user_token: userToken }, signal }),
    staleTime: STALE.wallets,
  });

export const useWallets = (userToken: string) => useQuery(walletsQueryOptions(userToken));
