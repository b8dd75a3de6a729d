// A wallet whose rules changed between the dry run and the run (someone changed them meanwhile) is
// re-checked row by row before any of its rows is applied: a row whose own rule is as the dry run saw
// it still goes through the change path (which judges the whole wallet on fresh data); a row whose
// rule changed is refused, or is a no-op when the wallet already is what the row asks. Every row of
// such a wallet says what changed.
import { toBasisPoints, type AutopayRule, type BulkChange } from '../../api';
import type { RowResult } from './row-outcome';

const percent = (value: number) => `${toBasisPoints(value) / 100} %`;
const short = (token: string) => (token.length > 13 ? `${token.slice(0, 13)}…` : token);

/** "dest_1a6f3c0e… 60 %, dest_2b7a4d1f… 25 %" (or "no rules"). */
const describe = (rules: readonly AutopayRule[]) =>
  rules.length === 0
    ? 'no rules'
    : [...rules]
        .sort((a, b) => a.destination_token.localeCompare(b.destination_token))
        .map((rule) => `${short(rule.destination_token)} ${percent(rule.percentage)}`)
        .join(', ');

/** The note every row of a changed wallet carries. */
export const driftNote = (before: readonly AutopayRule[], now: readonly AutopayRule[]) =>
  `The wallet's rules changed since the dry run (then: ${describe(before)}; now: ${describe(now)}).`;

/** What to do with one `change` row on a wallet whose rules changed: apply it, or the result it has without MassPay. */
export const recheckRow = (change: BulkChange, now: readonly AutopayRule[], note: string): RowResult | 'apply' => {
  const forDestination = now.find((rule) => rule.destination_token === change.destinationToken);
  const noop = (what: string): RowResult => ({ outcome: 'noop', reason: `${what} ${note}`, ruleToken: forDestination?.token ?? null });
  const refused = (what: string): RowResult => ({ outcome: 'refused', reason: `Not applied: ${what} ${note}`, ruleToken: null });
  const asked = change.percentage === null ? null : toBasisPoints(change.percentage);

  if (change.action === 'add_rule') {
    if (!forDestination) return 'apply';
    if (toBasisPoints(forDestination.percentage) === asked) return noop('The wallet already sends this share to this destination.');
    return refused(`the wallet now has a ${percent(forDestination.percentage)} rule for this destination.`);
  }
  const rule = now.find((candidate) => candidate.token === change.ruleToken);
  if (change.action === 'delete_rule') {
    if (rule) return 'apply';
    if (!forDestination) return noop('The rule is gone already.');
    return refused('the rule was replaced by another one for this destination.');
  }
  // A percentage change: its rule must still hold the share the dry run saw.
  const current = rule ?? forDestination;
  if (current && toBasisPoints(current.percentage) === asked) return noop('The rule already sends this share.');
  if (!rule) return refused(forDestination ? 'the rule was replaced by another one for this destination.' : 'the rule is gone.');
  if (change.previousPercentage !== null && toBasisPoints(rule.percentage) !== toBasisPoints(change.previousPercentage)) {
    return refused(`the rule's share changed from ${percent(change.previousPercentage)} to ${percent(rule.percentage)}.`);
  }
  return 'apply';
};
