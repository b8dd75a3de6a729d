// Adding and deleting a rule, on MassPay's own paths: fresh rules under the wallet's lock, the policy,
// the `requested` entry, then MassPay — asked once, with the change's Idempotency-Key.
import type { FastifyRequest } from 'fastify';
import {
  autopayRuleSchema,
  deleteAutopayRuleResultSchema,
  PROBLEM_TYPES,
  type AutopayRule,
  type AutopayRuleInput,
  type DeleteAutopayRuleResult,
} from '../../api';
import type { AuditStore } from '../audit/store';
import type { ApprovalGate } from './approval-gate';
import type { ChangeContext } from './audit';
import type { MassPayClient } from './masspay';
import { MassPayReadError } from './masspay';
import { judgeAdd, matchingRule } from './policy';
import type { Settling } from './settling';
import {
  failedReadAnswer,
  failedWriteAnswer,
  jsonAnswer,
  outcomeOfSent,
  policyAnswer,
  problemAnswer,
  recordBeforeAsking,
  recordOutcome,
  recordReconciledOutcome,
  unsettledAnswer,
  type Answer,
  type ChangeSpec,
} from './run-change';

export interface ChangeDeps {
  audit: AuditStore;
  masspay: MassPayClient;
  settling: Settling;
  timeoutMs: number;
  /** Four-eyes approval: a change that needs a second person is held (202) instead of sent. */
  holdForApproval: ApprovalGate;
}

/** An add: the wallet, and the body as its schema parsed it (`bodyJson` re-serialized: nothing unchecked goes on). */
export interface AddRuleChange {
  userToken: string;
  walletToken: string;
  input: AutopayRuleInput;
  bodyJson: string;
}

export interface DeleteRuleChange {
  userToken: string;
  walletToken: string;
  ruleToken: string;
}

/** The rule MassPay made, with only its own fields (an answer's other fields never reach the browser). */
const createdRule = (body: Buffer): AutopayRule | null => {
  try {
    const rule = autopayRuleSchema.safeParse(JSON.parse(body.toString('utf8')));
    return rule.success ? rule.data : null;
  } catch {
    return null;
  }
};

const deletedAnswer = (body: Buffer): DeleteAutopayRuleResult | null => {
  try {
    const answer = deleteAutopayRuleResultSchema.safeParse(JSON.parse(body.toString('utf8')));
    return answer.success ? answer.data : null;
  } catch {
    return null;
  }
};

/** MassPay's status when a read before the change failed with one (recorded with the `failed` entry). */
export const readStatus = (error: unknown) => (error instanceof MassPayReadError ? error.response.status : null);

export const noSuchWallet = (request: FastifyRequest) =>
  problemAnswer(request, 404, { type: PROBLEM_TYPES.notFound, detail: 'MassPay knows no such user or wallet.' }, 'release');

/** `POST …/autopayout`: checked on fresh data, then sent once. */
export const addRuleSpec = (deps: ChangeDeps, request: FastifyRequest, { userToken, walletToken, input, bodyJson }: AddRuleChange): ChangeSpec => {
  const step = { action: 'add_rule' as const, destinationToken: input.destination_token, percentage: input.percentage, ruleToken: null };
  return {
    userToken,
    walletToken,
    fingerprint: ['createAutopayRule', { user_token: userToken, wallet_token: walletToken }, input],
    replayStep: step,
    work: async (context: ChangeContext, mode): Promise<Answer> => {
      const { reconcile, unsettledMs } = mode;
      let facts;
      try {
        const rules = await deps.masspay.listRules(userToken, walletToken, request.id);
        const wallet = rules && (await deps.masspay.walletFacts(userToken, walletToken, request.id));
        if (!rules || !wallet) return noSuchWallet(request);
        // An earlier attempt with this key may have made the rule: then that rule is the answer.
        const made = reconcile ? matchingRule(rules, input.destination_token, input.percentage) : undefined;
        if (made) {
          if (unsettledMs > 0) await deps.settling.landed(`${userToken}/${walletToken}`);
          await recordReconciledOutcome(deps.audit, request, context, { ...step, ruleToken: made.token, outcome: 'succeeded', masspayStatus: null });
          return jsonAnswer(200, made);
        }
        if (unsettledMs > 0) return unsettledAnswer(request, unsettledMs, { reconcile });
        const currency = await deps.masspay.destinationCurrency(input.destination_token, request.id);
        facts = { rules, wallet, currency };
      } catch (error) {
        await recordOutcome(deps.audit, request, context, { ...step, outcome: 'failed', masspayStatus: readStatus(error) });
        return failedReadAnswer(request, error, deps.timeoutMs);
      }
      const violation = judgeAdd(facts.wallet, facts.rules, { token: input.destination_token, currency: facts.currency }, input.percentage);
      if (violation) {
        await recordOutcome(deps.audit, request, context, { ...step, outcome: 'blocked', masspayStatus: null });
        return policyAnswer(request, violation);
      }
      const held = await deps.holdForApproval(request, context, mode, facts.rules, {
        action: 'add_rule',
        destinationToken: input.destination_token,
        percentage: input.percentage,
        ruleToken: null,
        previousPercentage: null,
        attrSetToken: input.attr_set_token || null,
      });
      if (held) return held;

      await recordBeforeAsking(deps.audit, context, { ...step, outcome: 'requested', masspayStatus: null });
      const sent = await deps.settling.send(`${userToken}/${walletToken}`, () =>
        deps.masspay.createRule(userToken, walletToken, bodyJson, context.idempotencyKey!, request.id),
      );
      const status = sent.kind === 'answered' ? sent.response.status : null;
      const created = sent.kind === 'answered' && status! < 300 ? createdRule(sent.response.body) : null;
      await recordOutcome(deps.audit, request, context, { ...step, ruleToken: created?.token ?? null, outcome: outcomeOfSent(sent), masspayStatus: status });
      if (created) return jsonAnswer(status!, created);
      if (sent.kind === 'answered' && status! >= 200 && status! < 300) {
        return problemAnswer(
          request,
          502,
          {
            type: PROBLEM_TYPES.upstreamInvalid,
            detail: 'MassPay accepted the add but its answer could not be read, so the rule may have been made. The rules table shows what the wallet holds.',
          },
          'unknown',
        );
      }
      // MassPay refused what the cache allowed (e.g. the wallet was closed since): read it afresh next time.
      deps.masspay.forgetWallet(userToken, walletToken);
      return failedWriteAnswer(request, sent, deps.timeoutMs);
    },
  };
};

/** `DELETE …/autopayout?token=`: the rule must be on the wallet now; its destination and share go in the log. */
export const deleteRuleSpec = (deps: ChangeDeps, request: FastifyRequest, { userToken, walletToken, ruleToken }: DeleteRuleChange): ChangeSpec => {
  const step = { action: 'delete_rule' as const, destinationToken: null, percentage: null, ruleToken };
  return {
    userToken,
    walletToken,
    fingerprint: ['deleteAutopayRule', { user_token: userToken, wallet_token: walletToken }, { token: ruleToken }],
    replayStep: step,
    work: async (context, mode) => {
      const { reconcile, unsettledMs } = mode;
      let rules;
      try {
        rules = await deps.masspay.listRules(userToken, walletToken, request.id);
      } catch (error) {
        await recordOutcome(deps.audit, request, context, { ...step, outcome: 'failed', masspayStatus: readStatus(error) });
        return failedReadAnswer(request, error, deps.timeoutMs);
      }
      if (!rules) return noSuchWallet(request);
      const rule = rules.find((candidate) => candidate.token === ruleToken);
      if (!rule) {
        // An earlier attempt with this key may have deleted it: then it is done.
        if (reconcile) {
          if (unsettledMs > 0) await deps.settling.landed(`${userToken}/${walletToken}`);
          await recordReconciledOutcome(deps.audit, request, context, { ...step, outcome: 'succeeded', masspayStatus: null });
          return jsonAnswer(200, { success: true, token: ruleToken });
        }
        await recordOutcome(deps.audit, request, context, { ...step, outcome: 'blocked', masspayStatus: null });
        return problemAnswer(
          request,
          404,
          {
            type: PROBLEM_TYPES.notFound,
            detail: 'This wallet has no rule with this token (it may have been deleted already).',
            issues: [{ field: 'token', message: 'No such rule on this wallet' }],
          },
          'release',
        );
      }
      if (unsettledMs > 0) return unsettledAnswer(request, unsettledMs, { reconcile });
      const held = await deps.holdForApproval(request, context, mode, rules, {
        action: 'delete_rule',
        destinationToken: rule.destination_token,
        percentage: null,
        ruleToken,
        previousPercentage: rule.percentage,
        attrSetToken: null,
      });
      if (held) return held;
      const known = { ...step, destinationToken: rule.destination_token, percentage: rule.percentage };
      await recordBeforeAsking(deps.audit, context, { ...known, outcome: 'requested', masspayStatus: null });
      const sent = await deps.settling.send(`${userToken}/${walletToken}`, () =>
        deps.masspay.deleteRule(userToken, walletToken, ruleToken, context.idempotencyKey!, request.id),
      );
      const status = sent.kind === 'answered' ? sent.response.status : null;
      await recordOutcome(deps.audit, request, context, { ...known, outcome: outcomeOfSent(sent), masspayStatus: status });
      if (sent.kind === 'answered' && status! >= 200 && status! < 300) {
        // Only the answer's own two fields; a body MassPay did not send as documented still means deleted.
        return jsonAnswer(200, deletedAnswer(sent.response.body) ?? { success: true, token: ruleToken });
      }
      return failedWriteAnswer(request, sent, deps.timeoutMs);
    },
  };
};
