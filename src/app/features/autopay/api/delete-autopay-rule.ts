import { useMutation, useQueryClient } from '@tanstack/react-query';
import { deleteAutopayRuleResultSchema, type AutopayRule } from '../../../../api';
import { staleRulesBehind } from '../../../lib/api-error';
import { apiRequest } from '../../../lib/http';
import { queryKeys } from '../../../lib/query-keys';
import { reasonHeaders } from '../change-reason';
import { rulesPath } from './get-autopay-rules';

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
      apiRequest(deleteAutopayRuleResultSchema, `${rulesPath(userToken, walletToken)}?token=${encodeURIComponent(ruleToken)}`, {
        method: 'DELETE',
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
