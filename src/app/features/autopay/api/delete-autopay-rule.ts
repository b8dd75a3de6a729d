import { useMutation, useQueryClient } from '@tanstack/react-query';
import { deleteAutopayRule, type AutopayRule } from '../../../../api';
import { isChangeRequest, orChangeRequest, refreshAfterRequest, refreshHistory } from '../../approvals/held-change';
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
      // With approvals on, the answer may be a change request (202): the deletion waits for a second person.
      apiCall(
        { ...deleteAutopayRule, response: orChangeRequest(deleteAutopayRule.response) },
        {
          params: { user_token: userToken, wallet_token: walletToken },
          query: { token: ruleToken },
          idempotencyKey,
          headers: reasonHeaders(reason),
        },
      ),
    onSuccess: async (result, { ruleToken }) => {
      if (isChangeRequest(result)) return refreshAfterRequest(queryClient, userToken, walletToken);
      queryClient.setQueryData<AutopayRule[]>(key, (rules = []) => rules.filter((r) => r.token !== ruleToken));
      await queryClient.invalidateQueries({ queryKey: key, exact: true });
    },
    onError: async (error) => {
      if (staleRulesBehind(error)) await queryClient.invalidateQueries({ queryKey: key, exact: true });
    },
    // Tried, made or refused: the wallet's change history has a new entry.
    onSettled: () => refreshHistory(queryClient, userToken, walletToken),
  });
};
