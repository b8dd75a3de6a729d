// The console's autopay policy, judged on fresh data under the wallet's lock (DESIGN §8). MassPay
// documents only the currency rule; the rest is this project's promise, so the console keeps it
// whatever MassPay would accept. Pure: the change path gathers the facts, this says yes or why not.
import { toBasisPoints, type AutopayRule, type FieldIssue } from '../../api';
import type { WalletFacts } from './masspay';

export interface PolicyViolation {
  /** For staff: what the wallet holds now and why the change does not fit. */
  detail: string;
  issues: FieldIssue[];
}

const percent = (basisPoints: number) => `${basisPoints / 100} %`;

const totalOf = (rules: readonly AutopayRule[]) => rules.reduce((sum, rule) => sum + toBasisPoints(rule.percentage), 0);

const overCap = (othersBp: number, addedBp: number, verb: string): PolicyViolation | undefined => {
  if (othersBp + addedBp <= 10_000) return undefined;
  const left = Math.max(0, 10_000 - othersBp);
  return {
    detail: `This wallet is now ${percent(othersBp)} allocated; ${percent(addedBp)} ${verb} would make ${percent(othersBp + addedBp)}. At most ${percent(left)} can be added.`,
    issues: [{ field: 'percentage', message: `At most ${percent(left)} fits: the wallet's other rules hold ${percent(othersBp)}` }],
  };
};

const walletProblem = (wallet: WalletFacts): PolicyViolation | undefined =>
  wallet.active ? undefined : { detail: 'This wallet is inactive: no new rule can be made on it.', issues: [] };

/** An add: active wallet, the destination's currency, one rule per destination, total ≤ 100 %. */
export const judgeAdd = (
  wallet: WalletFacts,
  rules: readonly AutopayRule[],
  destination: { token: string; currency: string | null },
  percentage: number,
): PolicyViolation | undefined => {
  const inactive = walletProblem(wallet);
  if (inactive) return inactive;
  if (destination.currency === null) {
    return {
      detail: 'MassPay knows no destination with this token.',
      issues: [{ field: 'destination_token', message: 'No MassPay destination has this token' }],
    };
  }
  if (destination.currency !== wallet.currency) {
    return {
      detail: `This destination pays out in ${destination.currency} and the wallet holds ${wallet.currency}: autopay never converts currency.`,
      issues: [{ field: 'destination_token', message: `Pays out in ${destination.currency}, not the wallet's ${wallet.currency}` }],
    };
  }
  const existing = rules.find((rule) => rule.destination_token === destination.token);
  if (existing) {
    return {
      detail: `This wallet already sends ${percent(toBasisPoints(existing.percentage))} to this destination (rule ${existing.token}); change that rule's percentage instead.`,
      issues: [{ field: 'destination_token', message: `Already has a rule on this wallet (${percent(toBasisPoints(existing.percentage))})` }],
    };
  }
  return overCap(totalOf(rules), toBasisPoints(percentage), 'more');
};

/** A percentage change of `rule` (which is among `rules`): active wallet, a different share, total ≤ 100 %. */
export const judgeChange = (wallet: WalletFacts, rules: readonly AutopayRule[], rule: AutopayRule, percentage: number): PolicyViolation | undefined => {
  const inactive = walletProblem(wallet);
  if (inactive) return inactive;
  const newBp = toBasisPoints(percentage);
  if (newBp === toBasisPoints(rule.percentage)) {
    return { detail: `This rule already sends ${percent(newBp)}.`, issues: [{ field: 'percentage', message: `The rule already sends ${percent(newBp)}` }] };
  }
  const othersBp = totalOf(rules.filter((candidate) => candidate.token !== rule.token));
  if (othersBp + newBp <= 10_000) return undefined;
  const left = 10_000 - othersBp;
  return {
    detail: `This wallet's other rules hold ${percent(othersBp)}; ${percent(newBp)} for this one would make ${percent(othersBp + newBp)}. This rule can be at most ${percent(left)}.`,
    issues: [{ field: 'percentage', message: `At most ${percent(left)}: the wallet's other rules hold ${percent(othersBp)}` }],
  };
};

/** The rule a completed add left on the wallet (the one answer a retry of an unknown outcome may reuse). */
export const matchingRule = (rules: readonly AutopayRule[], destinationToken: string, percentage: number) =>
  rules.find((rule) => rule.destination_token === destinationToken && toBasisPoints(rule.percentage) === toBasisPoints(percentage));
