import { queryOptions, useQuery } from '@tanstack/react-query';
import { getUser } from '../../../../api';
import { apiCall } from '../../../lib/api-client';
import { STALE } from '../../../lib/query-client';
import { queryKeys } from '../../../lib/query-keys';

export const userQueryOptions = (userToken: string) =>
  queryOptions({
    queryKey: queryKeys.user(userToken),
    queryFn: ({ signal }) => apiCall(getUser, { params: { user_token: userToken }, signal }),
    staleTime: STALE.user,
  });

export const useUser = (userToken: string) => useQuery(userQueryOptions(userToken));
