import { queryOptions, useQuery } from '@tanstack/react-query';
import { listAutopayRules } from '../../../../api';
import { apiCall } from '../../../lib/api-client';
import { STALE } from '../../../lib/query-client';
import { queryKeys } from '../../../lib/query-keys';

export const autopayRulesQueryOptions = (userToken: string, walletToken: string) =>
  queryOptions({
    queryKey: queryKeys.rules(userToken, walletToken),
    queryFn: ({ signal }) => apiCall(listAutopayRules, { params: { user_token: userToken, wallet_token: walletToken }, signal }),
    staleTime: STALE.rules,
  });

export const useAutopayRules = (userToken: string, walletToken: string) => useQuery(autopayRulesQueryOptions(userToken, walletToken));
