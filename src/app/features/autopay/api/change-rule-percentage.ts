import { useMutation, useQueryClient } from '@tanstack/react-query';
import { changePercentagePath, changePercentageResultSchema, type AutopayRule, type ChangePercentageInput } from '../../../../api';
import { staleRulesBehind } from '../../../lib/api-error';
import { request } from '../../../lib/http';
import { queryKeys } from '../../../lib/query-keys';
import { isChangeRequest, orChangeRequest, refreshAfterRequest, refreshHistory } from '../../approvals/held-change';
import { reasonHeaders } from '../change-reason';

export interface ChangeRulePercentageVariables {
  ruleToken: string;
  percentage: ChangePercentageInput['percentage'];
  /** One per submission (this rule, this percentage), reused when the same submission is retried. */
  idempotencyKey: string;
  /** Why (or a ticket reference): sent as `X-Change-Reason`. */
  reason?: string;
}

/**
 * Changes a rule's percentage (`PATCH /api/console/wallet/{user}/{wallet}/autopayout/{rule}`). MassPay
 * has no update: the console deletes the old rule and creates a new one, with a new token. The table
 * puts the new rule where the old one was at once, then revalidates; a refusal on fresher data or a
 * change left half way refreshes the rules.
 */
export const useChangeRulePercentage = (userToken: string, walletToken: string) => {
  const queryClient = useQueryClient();
  const key = queryKeys.rules(userToken, walletToken);
  return useMutation({
    mutationFn: ({ ruleToken, percentage, idempotencyKey, reason }: ChangeRulePercentageVariables) =>
      // With approvals on, the answer may be a change request (202): the change waits for a second person.
      request(orChangeRequest(changePercentageResultSchema), changePercentagePath(userToken, walletToken, ruleToken), {
        method: 'PATCH',
        body: { percentage } satisfies ChangePercentageInput,
        idempotencyKey,
        headers: reasonHeaders(reason),
      }),
    onSuccess: async (result) => {
      if (isChangeRequest(result)) return refreshAfterRequest(queryClient, userToken, walletToken);
      const { rule, replacedRuleToken } = result;
      queryClient.setQueryData<AutopayRule[]>(key, (rules = []) => {
        const rest = rules.filter((r) => r.token !== rule.token);
        const at = rest.findIndex((r) => r.token === replacedRuleToken);
        return at === -1 ? [...rest, rule] : rest.toSpliced(at, 1, rule);
      });
      await queryClient.invalidateQueries({ queryKey: key, exact: true });
    },
    onError: async (error) => {
      if (staleRulesBehind(error)) await queryClient.invalidateQueries({ queryKey: key, exact: true });
    },
    // Tried, made or refused: the wallet's change history has a new entry.
    onSettled: () => refreshHistory(queryClient, userToken, walletToken),
  });
};
