// Changing a rule's percentage. MassPay has no update, so the console deletes the old rule, then
// creates the new one — never the reverse: a load arriving in between keeps that share in the wallet
// rather than paying it twice. If the create fails the old rule is re-created (compensation). Each
// step is written to the plan before it runs, so a crash in between is finished or compensated by
// whichever replica next holds the wallet's lock (recovery.ts), never left half done.
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import { autopayRuleSchema, PROBLEM_TYPES, toBasisPoints, type AutopayRule } from '../../api';
import type { AuditStore } from '../audit/store';
import { problemFromMassPay } from '../problem';
import { recordStep, type ChangeContext, type ChangeStep } from './audit';
import type { MassPayClient } from './masspay';
import { isOpen, type Plan, type PlanStore } from './plans';
import { judgeChange, matchingRule } from './policy';
import type { ApprovalGate } from './approval-gate';
import type { IdempotencyRecord } from './idempotency';
import {
  AuditWriteError,
  failedReadAnswer,
  jsonAnswer,
  outcomeOfSent,
  policyAnswer,
  problemAnswer,
  recordBeforeAsking,
  unsettledAnswer,
  type Answer,
  type ChangeSpec,
  type Sent,
} from './run-change';
import type { Settling } from './settling';
import { noSuchWallet, readStatus } from './add-and-delete';

export interface PlanDeps {
  audit: AuditStore;
  masspay: MassPayClient;
  plans: PlanStore;
  settling: Settling;
  timeoutMs: number;
}

export interface Driver {
  requestId: string;
  log: FastifyBaseLogger;
  context: ChangeContext;
}

const percent = (value: number) => `${toBasisPoints(value) / 100} %`;

const ruleFrom = (body: Buffer): AutopayRule | null => {
  try {
    const rule = autopayRuleSchema.safeParse(JSON.parse(body.toString('utf8')));
    return rule.success ? rule.data : null;
  } catch {
    return null;
  }
};

const succeeded = (sent: Sent) => sent.kind === 'answered' && sent.response.status >= 200 && sent.response.status < 300;

/** Why the new rule could not be made, for staff (kept on the way to the answer). */
const whyNot = (sent: Sent): string => {
  if (sent.kind === 'answered') return problemFromMassPay(sent.response.status, sent.response.body).detail ?? `MassPay answered ${sent.response.status}`;
  if (sent.kind === 'unreached') return 'MassPay could not be reached';
  return 'MassPay did not answer in time';
};

export interface Driven {
  plan: Plan;
  /** Why the new rule was not made, when it was not. */
  failure?: string;
  /** Left open because a step MassPay did not answer may still land for this long. */
  settlingMs?: number;
}

/** Appends a step; MassPay has acted or is about to, so a failure to record is logged, not thrown. */
export const note = async (deps: PlanDeps, driver: Driver, step: ChangeStep) => {
  try {
    await recordStep(deps.audit, driver.context, step);
  } catch (error) {
    driver.log.error({ err: error, audit: step }, 'audit log: a step of a percentage change could not be recorded');
  }
};

/**
 * Runs a plan from its current state to an end, or as far as MassPay lets it (an open plan is taken up
 * again later). Called under the wallet's lock only.
 */
export const drivePlan = async (deps: PlanDeps, driver: Driver, start: Plan): Promise<Driven> => {
  let plan = start;
  let failure: string | undefined;
  const { masspay, plans } = deps;
  const { userToken, walletToken, destinationToken } = plan;
  const wallet = `${userToken}/${walletToken}`;
  const edit = { action: 'edit_rule' as const, destinationToken, ruleToken: plan.oldRuleToken };
  const attr = plan.attrSetToken ? { attr_set_token: plan.attrSetToken } : {};

  /** Whether a rule for the destination at `percentage` is there now (after an answer the console could not read). */
  const present = async (percentage: number) => {
    try {
      const rules = await masspay.listRules(userToken, walletToken, driver.requestId);
      return rules ? matchingRule(rules, destinationToken, percentage) : undefined;
    } catch {
      return undefined;
    }
  };

  for (;;) {
    if (plan.state === 'deleting') {
      const key = `${plan.id}:delete`;
      const step = { action: 'delete_rule' as const, destinationToken, percentage: plan.oldPercentage, ruleToken: plan.oldRuleToken, idempotencyKey: key };
      await note(deps, driver, { ...step, outcome: 'requested', masspayStatus: null });
      const sent = await deps.settling.send(wallet, () => masspay.deleteRule(userToken, walletToken, plan.oldRuleToken, key, driver.requestId));
      const status = sent.kind === 'answered' ? sent.response.status : null;
      await note(deps, driver, { ...step, outcome: outcomeOfSent(sent), masspayStatus: status });
      // A 404: the rule is gone already (an earlier attempt's delete landed), which is what this step wants.
      if (succeeded(sent) || status === 404) {
        plan = await plans.advance(plan, 'creating');
        continue;
      }
      if (sent.kind === 'unreached' || (status !== null && status < 500)) {
        // MassPay did not act: nothing changed, and the change ends here.
        plan = await plans.advance(plan, 'abandoned');
        await note(deps, driver, { ...edit, percentage: plan.newPercentage, outcome: sent.kind === 'unreached' ? 'failed' : 'refused', masspayStatus: status });
        return { plan, failure: whyNot(sent) };
      }
      // Unknown: left open; a retry or the recovery sweep re-reads and goes on.
      return { plan, failure: whyNot(sent) };
    }

    if (plan.state === 'creating' || plan.state === 'compensating') {
      const restoring = plan.state === 'compensating';
      const percentage = restoring ? plan.oldPercentage : plan.newPercentage;
      const key = `${plan.id}:${restoring ? 'compensate' : 'create'}`;
      const step = { action: 'add_rule' as const, destinationToken, percentage, ruleToken: null, idempotencyKey: key };
      await note(deps, driver, { ...step, outcome: 'requested', masspayStatus: null });
      const body = JSON.stringify({ destination_token: destinationToken, percentage, ...attr });
      const sent = await deps.settling.send(wallet, () => masspay.createRule(userToken, walletToken, body, key, driver.requestId));
      const status = sent.kind === 'answered' ? sent.response.status : null;
      let made = succeeded(sent) && sent.kind === 'answered' ? ruleFrom(sent.response.body) : null;
      // An answer lost on the way may still have made the rule: the wallet's rules tell.
      if (!made && !(status !== null && status < 500)) made = (await present(percentage)) ?? null;
      await note(deps, driver, { ...step, ruleToken: made?.token ?? null, outcome: made ? 'succeeded' : outcomeOfSent(sent), masspayStatus: status });
      if (made) {
        plan = await plans.advance(plan, restoring ? 'compensated' : 'done', made.token);
        await note(deps, driver, {
          ...edit,
          percentage: plan.newPercentage,
          ruleToken: made.token,
          outcome: restoring ? 'compensated' : 'succeeded',
          masspayStatus: null,
        });
        return { plan, failure };
      }
      if (restoring) {
        // The wallet has neither rule now: left open, so the sweep keeps trying to put the old one back.
        driver.log.error({ changeId: plan.id }, 'a percentage change could not put the old rule back; the recovery sweep retries');
        return { plan, failure: failure ?? whyNot(sent) };
      }
      if (sent.kind === 'timeout' || sent.kind === 'interrupted') {
        // The new rule may still land: putting the old one back now could leave both. Left open; once the
        // write can no longer land, a retry or the recovery sweep finds it made, or makes it.
        return { plan, failure: whyNot(sent) };
      }
      failure = whyNot(sent);
      plan = await plans.advance(plan, 'compensating');
      continue;
    }

    return { plan, failure };
  }
};

/** The answer for a plan as it stands (a request's own, or a retry's after an unknown outcome). */
export const answerFor = (request: FastifyRequest, { plan, failure, settlingMs }: Driven): Answer => {
  const old = percent(plan.oldPercentage);
  const next = percent(plan.newPercentage);
  if (settlingMs && isOpen(plan.state)) return unsettledAnswer(request, settlingMs, { reconcile: true });
  switch (plan.state) {
    case 'done':
      return jsonAnswer(200, {
        changeId: plan.id,
        rule: {
          token: plan.newRuleToken!,
          destination_token: plan.destinationToken,
          percentage: plan.newPercentage,
          ...(plan.attrSetToken ? { attr_set_token: plan.attrSetToken } : {}),
        },
        replacedRuleToken: plan.oldRuleToken,
      });
    case 'compensated':
      return problemAnswer(
        request,
        502,
        {
          type: PROBLEM_TYPES.masspay,
          source: 'masspay',
          detail: `The ${next} rule could not be made${failure ? ` (${failure})` : ''}, so the old ${old} rule was put back (new token ${plan.newRuleToken}). The wallet holds what it did before.`,
        },
        'done',
      );
    case 'abandoned':
      return problemAnswer(
        request,
        502,
        {
          type: PROBLEM_TYPES.masspay,
          source: 'masspay',
          detail: `The old ${old} rule could not be deleted${failure ? ` (${failure})` : ''}, so nothing was changed.`,
        },
        'release',
      );
    case 'failed':
      return problemAnswer(
        request,
        409,
        {
          type: PROBLEM_TYPES.changeIncomplete,
          detail: `This change could not be finished: the wallet no longer has room for ${next} or ${old}. Check its rules.`,
        },
        'done',
      );
    default:
      return problemAnswer(
        request,
        502,
        {
          type: PROBLEM_TYPES.changeIncomplete,
          detail:
            plan.state === 'deleting'
              ? `MassPay did not confirm the deletion of the old ${old} rule${failure ? ` (${failure})` : ''}. The console finishes this change by itself; trying again now is safe.`
              : plan.state === 'creating'
                ? `The old ${old} rule was deleted, but MassPay did not confirm the new ${next} rule${failure ? ` (${failure})` : ''}. Once MassPay can no longer carry it out, the console checks the wallet and makes the new rule if it is not there; trying again is safe.`
                : `The old ${old} rule was deleted but neither the new ${next} rule nor the old one could be made yet${failure ? ` (${failure})` : ''}. The wallet has no rule for this destination now; the console keeps trying to put the old one back.`,
        },
        'unknown',
      );
  }
};

/** `PATCH /api/console/wallet/…/autopayout/{rule_token}`. */
export const changePercentageSpec = (
  deps: PlanDeps & { idempotency: IdempotencyRecord; holdForApproval: ApprovalGate },
  request: FastifyRequest,
  tokens: { userToken: string; walletToken: string; ruleToken: string },
  percentage: number,
  resume: (driver: Driver, plan: Plan) => Promise<Driven>,
): ChangeSpec => {
  const { userToken, walletToken, ruleToken } = tokens;
  const edit = { action: 'edit_rule' as const, destinationToken: null, percentage, ruleToken };
  return {
    userToken,
    walletToken,
    fingerprint: ['changePercentage', tokens, percentage],
    replayStep: edit,
    work: async (context, mode) => {
      const { reconcile, changeId, unsettledMs } = mode;
      const driver = { requestId: request.id, log: request.log, context };
      // A retry of an attempt whose outcome is unknown: its plan says how far it got.
      const earlier = reconcile && changeId ? await deps.plans.get(changeId) : undefined;
      if (earlier) {
        const driven = isOpen(earlier.state) ? await resume({ ...driver, context: { ...context, changeId: earlier.id } }, earlier) : { plan: earlier };
        return answerFor(request, driven);
      }
      if (unsettledMs > 0) return unsettledAnswer(request, unsettledMs, { reconcile });

      let facts;
      try {
        const rules = await deps.masspay.listRules(userToken, walletToken, request.id);
        const wallet = rules && (await deps.masspay.walletFacts(userToken, walletToken, request.id));
        if (!rules || !wallet) return noSuchWallet(request);
        facts = { rules, wallet };
      } catch (error) {
        await note(deps, driver, { ...edit, outcome: 'failed', masspayStatus: readStatus(error) });
        return failedReadAnswer(request, error, deps.timeoutMs);
      }
      const rule = facts.rules.find((candidate) => candidate.token === ruleToken);
      if (!rule) {
        await note(deps, driver, { ...edit, outcome: 'blocked', masspayStatus: null });
        return problemAnswer(
          request,
          404,
          { type: PROBLEM_TYPES.notFound, detail: 'This wallet has no rule with this token (it may have been changed or deleted meanwhile).' },
          'release',
        );
      }
      const violation = judgeChange(facts.wallet, facts.rules, rule, percentage);
      if (violation) {
        await note(deps, driver, { ...edit, destinationToken: rule.destination_token, outcome: 'blocked', masspayStatus: null });
        return policyAnswer(request, violation);
      }
      const held = await deps.holdForApproval(request, context, mode, facts.rules, {
        action: 'edit_rule',
        destinationToken: rule.destination_token,
        percentage,
        ruleToken,
        previousPercentage: rule.percentage,
        attrSetToken: null,
      });
      if (held) return held;

      const plan: Plan = {
        // An approved change's plan is its request's id, so its steps sit beside the request's entries.
        id: mode.approvalId ?? randomUUID(),
        userToken,
        walletToken,
        destinationToken: rule.destination_token,
        oldRuleToken: rule.token,
        oldPercentage: rule.percentage,
        newPercentage: percentage,
        attrSetToken: rule.attr_set_token || null,
        newRuleToken: null,
        state: 'deleting',
        staffEmail: context.staffEmail,
        staffRole: context.staffRole,
        reason: context.reason,
        idempotencyKey: context.idempotencyKey,
      };
      const changeContext = { ...context, changeId: plan.id };
      // The plan and the `requested` entry are written before MassPay is asked; if they cannot be, nothing is sent.
      await recordBeforeAsking(deps.audit, changeContext, { ...edit, destinationToken: rule.destination_token, outcome: 'requested', masspayStatus: null });
      try {
        await deps.plans.insert(plan);
        await deps.idempotency.attachChange(context.idempotencyKey!, plan.id);
      } catch (error) {
        throw new AuditWriteError('the plan could not be written', { cause: error });
      }
      return answerFor(request, await drivePlan(deps, { ...driver, context: changeContext }, plan));
    },
  };
};
