import { useMutation, useQueryClient } from '@tanstack/react-query';
import { deleteAutopayRuleResultSchema, type AutopayRule } from '../../../../api';
import { apiRequest } from '../../../lib/http';
import { queryKeys } from '../../../lib/query-keys';
import { rulesPath } from './get-autopay-rules';

export interface DeleteAutopayRuleVariables {
  ruleToken: string;
  idempotencyKey: string;
}

/** Deletes a rule; it leaves the table at once, then the rules revalidate. */
export const useDeleteAutopayRule = (userToken: string, walletToken: string) => {
  const queryClient = useQueryClient();
  const key = queryKeys.rules(userToken, walletToken);
  return useMutation({
    mutationFn: ({ ruleToken, idempotencyKey }: DeleteAutopayRuleVariables) =>
      apiRequest(deleteAutopayRuleResultSchema, `${rulesPath(userToken, walletToken)}?token=${encodeURIComponent(ruleToken)}`, {
        method: 'DELETE',
        idempotencyKey,
      }),
    onSuccess: async (_result, { ruleToken }) => {
      queryClient.setQueryData<AutopayRule[]>(key, (rules = []) => rules.filter((r) => r.token !== ruleToken));
      await queryClient.invalidateQueries({ queryKey: key, exact: true });
    },
  });
};
