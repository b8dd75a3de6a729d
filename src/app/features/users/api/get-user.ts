import { queryOptions, useQuery } from '@tanstack/react-query';
import { browserUserSchema } from '../../../../api';
import { apiRequest } from '../../../lib/http';
import { STALE } from '../../../lib/query-client';
import { queryKeys } from '../../../lib/query-keys';

export const userQueryOptions = (userToken: string) =>
  queryOptions({
    queryKey: queryKeys.user(userToken),
    queryFn: ({ signal }) => apiRequest(browserUserSchema, `/payout/user/${encodeURIComponent(userToken)}`, { signal }),
    staleTime: STALE.user,
  });

export const useUser = (userToken: string) => useQuery(userQueryOptions(userToken));
