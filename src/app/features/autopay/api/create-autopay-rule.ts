import { useMutation, useQueryClient } from '@tanstack/react-query';
import { autopayRuleSchema, type AutopayRule, type AutopayRuleInput } from '../../../../api';
import { apiRequest } from '../../../lib/http';
import { queryKeys } from '../../../lib/query-keys';
import { rulesPath } from './get-autopay-rules';

export interface CreateAutopayRuleVariables {
  input: AutopayRuleInput;
  /** One per submission, reused when the same submission is retried. */
  idempotencyKey: string;
}

/** Adds a rule; the table shows the answer at once, then revalidates. The wallets list is left alone. */
export const useCreateAutopayRule = (userToken: string, walletToken: string) => {
  const queryClient = useQueryClient();
  const key = queryKeys.rules(userToken, walletToken);
  return useMutation({
    mutationFn: ({ input, idempotencyKey }: CreateAutopayRuleVariables) =>
      apiRequest(autopayRuleSchema, rulesPath(userToken, walletToken), { method: 'POST', body: input, idempotencyKey }),
    onSuccess: async (rule) => {
      queryClient.setQueryData<AutopayRule[]>(key, (rules = []) => (rules.some((r) => r.token === rule.token) ? rules : [...rules, rule]));
      await queryClient.invalidateQueries({ queryKey: key, exact: true });
    },
  });
};
