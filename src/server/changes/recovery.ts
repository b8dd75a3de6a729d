// Finishing what a dead process left half done: an open plan (its process died between the steps, or
// MassPay's answer to a step never came) is judged again on the wallet's rules as they are now, under
// the wallet's lock, then driven on — or compensated, when the new share no longer fits.
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { toBasisPoints, type AutopayRule } from '../../api';
import { drivePlan, note, type Driven, type Driver, type PlanDeps } from './change-percentage';
import { isOpen, type Plan } from './plans';
import type { WalletLocks } from './wallet-locks';

const fits = (rules: readonly AutopayRule[], destinationToken: string, percentage: number) =>
  rules.filter((rule) => rule.destination_token !== destinationToken).reduce((sum, rule) => sum + toBasisPoints(rule.percentage), 0) +
    toBasisPoints(percentage) <=
  10_000;

/** Called under the wallet's lock, with the plan's own context (its staff member, reason and change id). */
export const resumePlan = async (deps: PlanDeps, driver: Driver, stale: Plan): Promise<Driven> => {
  const plan = await deps.plans.get(stale.id);
  if (!plan || !isOpen(plan.state)) return { plan: plan ?? stale };
  let rules;
  try {
    rules = await deps.masspay.listRules(plan.userToken, plan.walletToken, driver.requestId);
  } catch {
    return { plan, failure: 'MassPay could not be read' };
  }
  const edit = {
    action: 'edit_rule' as const,
    destinationToken: plan.destinationToken,
    percentage: plan.newPercentage,
    ruleToken: plan.oldRuleToken,
    masspayStatus: null,
  };
  const give = async (state: 'failed' | 'abandoned', why: string): Promise<Driven> => {
    const ended = await deps.plans.advance(plan, state);
    await note(deps, driver, { ...edit, outcome: 'failed' });
    driver.log.warn({ changeId: plan.id, state }, `a percentage change was ended: ${why}`);
    return { plan: ended, failure: why };
  };
  if (!rules) return give('failed', 'MassPay no longer knows the wallet');

  const forDestination = rules.find((rule) => rule.destination_token === plan.destinationToken);
  const oldStillThere = rules.some((rule) => rule.token === plan.oldRuleToken);
  const target = plan.state === 'compensating' ? plan.oldPercentage : plan.newPercentage;
  const landed = !(plan.state === 'deleting' && oldStillThere) && forDestination && toBasisPoints(forDestination.percentage) === toBasisPoints(target);
  // A step MassPay did not answer may still land: until it cannot, only "it landed" can be concluded
  // (for the delete: the old rule is gone).
  const wallet = `${plan.userToken}/${plan.walletToken}`;
  const stepLanded = plan.state === 'deleting' ? !oldStillThere : landed;
  const settlingMs = stepLanded ? 0 : await deps.settling.remainingMs(wallet);
  if (settlingMs > 0) return { plan, settlingMs };
  if (stepLanded && !landed) await deps.settling.landed(wallet);
  if (plan.state === 'deleting' && oldStillThere) {
    // Nothing happened yet. Go on only if the new share still fits beside what the wallet holds now.
    if (!fits(rules, plan.destinationToken, plan.newPercentage)) return give('abandoned', 'the new share no longer fits; the old rule stands');
    return drivePlan(deps, driver, plan);
  }
  if (landed) {
    await deps.settling.landed(wallet);
    // The step landed although its answer never came.
    const ended = await deps.plans.advance(plan, plan.state === 'compensating' ? 'compensated' : 'done', forDestination!.token);
    await note(deps, driver, { ...edit, ruleToken: forDestination!.token, outcome: plan.state === 'compensating' ? 'compensated' : 'succeeded' });
    return { plan: ended };
  }
  if (forDestination) return give('failed', 'another rule for this destination was made meanwhile');
  const from: Plan = plan.state === 'deleting' ? await deps.plans.advance(plan, 'creating') : plan;
  if (from.state === 'creating' && fits(rules, plan.destinationToken, plan.newPercentage)) return drivePlan(deps, driver, from);
  if (fits(rules, plan.destinationToken, plan.oldPercentage))
    return drivePlan(deps, driver, from.state === 'compensating' ? from : await deps.plans.advance(from, 'compensating'));
  return give('failed', 'neither the new nor the old share fits beside what the wallet holds now');
};

/**
 * Takes up every open plan whose wallet is free (a plan still running holds its wallet's lock, so it
 * is skipped): at start, and every `intervalMs` after, so another replica finishes a dead one's work.
 */
export const startRecovery = (deps: PlanDeps & { locks: WalletLocks; log: FastifyBaseLogger; afterSweep?: () => Promise<void> }, intervalMs: number) => {
  let running: Promise<void> | undefined;
  let stopped = false;
  /** A sweep sooner than the interval, for a plan that waits only for an unanswered step to settle. */
  let soon: NodeJS.Timeout | undefined;
  const sweep = async () => {
    await deps.afterSweep?.();
    let settlingMs = Infinity;
    for (const plan of await deps.plans.open()) {
      const driver: Driver = {
        requestId: `recovery-${randomUUID()}`,
        log: deps.log,
        context: {
          staffEmail: plan.staffEmail,
          staffRole: plan.staffRole,
          requestId: '',
          reason: plan.reason,
          changeId: plan.id,
          idempotencyKey: plan.idempotencyKey,
          userToken: plan.userToken,
          walletToken: plan.walletToken,
        },
      };
      driver.context.requestId = driver.requestId;
      const driven = await deps.locks.tryRun(`${plan.userToken}/${plan.walletToken}`, () => resumePlan(deps, driver, plan));
      if (driven?.settlingMs) settlingMs = Math.min(settlingMs, driven.settlingMs);
      else if (driven) deps.log.info({ changeId: plan.id, state: driven.plan.state }, 'recovery: a percentage change was taken up');
    }
    if (settlingMs < intervalMs && !stopped) {
      clearTimeout(soon);
      soon = setTimeout(() => void tick(), settlingMs + 50);
      soon.unref();
    }
  };
  const tick = () => {
    running ??= sweep()
      .catch((error: unknown) => deps.log.error({ err: error }, 'recovery: the sweep failed; it runs again later'))
      .finally(() => (running = undefined));
    return running;
  };
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return {
    /** One sweep now (tests and start-up); resolves when it is done. */
    sweep: tick,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      clearTimeout(soon);
      await running;
    },
  };
};
