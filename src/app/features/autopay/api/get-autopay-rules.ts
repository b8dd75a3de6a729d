import { queryOptions, useQuery } from '@tanstack/react-query';
import { autopayRuleListSchema } from '../../../../api';
import { apiRequest } from '../../../lib/http';
import { STALE } from '../../../lib/query-client';
import { queryKeys } from '../../../lib/query-keys';

export const rulesPath = (userToken: string, walletToken: string) =>
  `/payout/wallet/${encodeURIComponent(userToken)}/${encodeURIComponent(walletToken)}/autopayout`;

export const autopayRulesQueryOptions = (userToken: string, walletToken: string) =>
  queryOptions({
    queryKey: queryKeys.rules(userToken, walletToken),
    queryFn: ({ signal }) => apiRequest(autopayRuleListSchema, rulesPath(userToken, walletToken), { signal }),
    staleTime: STALE.rules,
  });

export const useAutopayRules = (userToken: string, walletToken: string) => useQuery(autopayRulesQueryOptions(userToken, walletToken));
