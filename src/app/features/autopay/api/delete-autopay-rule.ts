import { useMutation, useQueryClient } from '@tanstack/react-query';
import { deleteAutopayRule, type AutopayRule } from '../../../../api';
import { apiCall } from '../../../lib/api-client';
import { staleRulesBehind } from '../../../lib/api-error';
import { queryKeys } from '../../../lib/query-keys';
import { reasonHeaders } from '../change-reason';

export interface DeleteAutopayRuleVariables {
  ruleToken: string;
  idempotencyKey: string;
  /** Why (or a ticket reference): sent as `X-Change-Reason`. */
  reason?: string;
}

/** Deletes a rule; it leaves the table at once, then the rules revalidate (also after a refusal on fresher data). */
export const useDeleteAutopayRule = (userToken: string, walletToken: string) => {
  const queryClient = useQueryClient();
  const key = queryKeys.rules(userToken, walletToken);
  return useMutation({
    mutationFn: ({ ruleToken, idempotencyKey, reason }: DeleteAutopayRuleVariables) =>
      apiCall(deleteAutopayRule, {
        params: { user_token: userToken, wallet_token: walletToken },
        query: { token: ruleToken },
        idempotencyKey,
        headers: reasonHeaders(reason),
      }),
    onSuccess: async (_result, { ruleToken }) => {
      queryClient.setQueryData<AutopayRule[]>(key, (rules = []) => rules.filter((r) => r.token !== ruleToken));
      await queryClient.invalidateQueries({ queryKey: key, exact: true });
    },
    onError: async (error) => {
      if (staleRulesBehind(error)) await queryClient.invalidateQueries({ queryKey: key, exact: true });
    },
  });
};
