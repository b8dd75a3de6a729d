import { useMutation, useQueryClient } from '@tanstack/react-query';
import { autopayRuleSchema, type AutopayRule, type AutopayRuleInput } from '../../../../api';
import { staleRulesBehind } from '../../../lib/api-error';
import { apiRequest } from '../../../lib/http';
import { queryKeys } from '../../../lib/query-keys';
import { reasonHeaders } from '../change-reason';
import { rulesPath } from './get-autopay-rules';

export interface CreateAutopayRuleVariables {
  input: AutopayRuleInput;
  /** One per submission, reused when the same submission is retried. */
  idempotencyKey: string;
  /** Why (or a ticket reference): sent as `X-Change-Reason`, not in the body. */
  reason?: string;
}

/**
 * Adds a rule; the table shows the answer at once, then revalidates. The wallets list is left alone.
 * A refusal on fresher data (the console's policy) refreshes the rules, so the allocation shown is the
 * one the refusal speaks of.
 */
export const useCreateAutopayRule = (userToken: string, walletToken: string) => {
  const queryClient = useQueryClient();
  const key = queryKeys.rules(userToken, walletToken);
  return useMutation({
    mutationFn: ({ input, idempotencyKey, reason }: CreateAutopayRuleVariables) =>
      apiRequest(autopayRuleSchema, rulesPath(userToken, walletToken), { method: 'POST', body: input, idempotencyKey, headers: reasonHeaders(reason) }),
    onSuccess: async (rule) => {
      queryClient.setQueryData<AutopayRule[]>(key, (rules = []) => (rules.some((r) => r.token === rule.token) ? rules : [...rules, rule]));
      await queryClient.invalidateQueries({ queryKey: key, exact: true });
    },
    onError: async (error) => {
      if (staleRulesBehind(error)) await queryClient.invalidateQueries({ queryKey: key, exact: true });
    },
  });
};
