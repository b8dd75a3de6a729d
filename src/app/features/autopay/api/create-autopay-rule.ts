import { useMutation, useQueryClient } from '@tanstack/react-query';
import { createAutopayRule, type AutopayRule, type AutopayRuleInput } from '../../../../api';
import { isChangeRequest, orChangeRequest, refreshAfterRequest, refreshHistory } from '../../approvals/held-change';
import { apiCall } from '../../../lib/api-client';
import { staleRulesBehind } from '../../../lib/api-error';
import { queryKeys } from '../../../lib/query-keys';
import { reasonHeaders } from '../change-reason';

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
      // With approvals on, the answer may be a change request (202): the rule waits for a second person.
      apiCall(
        { ...createAutopayRule, response: orChangeRequest(createAutopayRule.response) },
        {
          params: { user_token: userToken, wallet_token: walletToken },
          body: input,
          idempotencyKey,
          headers: reasonHeaders(reason),
        },
      ),
    onSuccess: async (rule) => {
      if (isChangeRequest(rule)) return refreshAfterRequest(queryClient, userToken, walletToken);
      queryClient.setQueryData<AutopayRule[]>(key, (rules = []) => (rules.some((r) => r.token === rule.token) ? rules : [...rules, rule]));
      await queryClient.invalidateQueries({ queryKey: key, exact: true });
    },
    onError: async (error) => {
      if (staleRulesBehind(error)) await queryClient.invalidateQueries({ queryKey: key, exact: true });
    },
    // Tried, made or refused: the wallet's change history has a new entry.
    onSettled: () => refreshHistory(queryClient, userToken, walletToken),
  });
};
