// The dry run's judgement of one wallet's rows, pure: given the wallet as MassPay has it and each
// row's destination currency, every row in line order gets a verdict, judged by the change path's own
// policy (src/server/changes/policy.ts) against the rules as the rows before it leave them — as the
// runner will apply them, in line order, each checked again on fresh data.
import { toBasisPoints, type AutopayRule, type BulkChange, type BulkRowInput } from '../../api';
import type { WalletFacts } from '../changes/masspay';
import { judgeAdd, judgeChange, type PolicyViolation } from '../changes/policy';

export type Judged = { verdict: 'change'; change: BulkChange; reason: null } | { verdict: 'noop' | 'refused'; change: null; reason: string };
type Refused = { verdict: 'refused'; change: null; reason: string };

export interface WalletRow {
  line: number;
  input: BulkRowInput;
  /** The currency the row's destination pays out in; null: MassPay knows no such destination. */
  destinationCurrency: string | null;
}

const percent = (value: number) => `${toBasisPoints(value) / 100} %`;
const refused = (reason: string): Refused => ({ verdict: 'refused', change: null, reason });
/** Refusals by the 100 % cap: a later row of the wallet might have made room. */
const overCap = new WeakSet<Judged>();
/** A policy refusal; one about the percentage is the cap (the others name the destination, or nothing). */
const refusedBy = (violation: PolicyViolation): Refused => {
  const judged = refused(violation.detail);
  if (violation.issues.some((issue) => issue.field === 'percentage')) overCap.add(judged);
  return judged;
};

const change = (fields: Pick<BulkChange, 'action' | 'destinationToken'> & Partial<BulkChange>): Judged => ({
  verdict: 'change',
  reason: null,
  change: { percentage: null, ruleToken: null, previousPercentage: null, attrSetToken: null, ...fields },
});

/** One row against `rules` (changed in place when the row changes them). */
const judgeRow = (wallet: WalletFacts, rules: AutopayRule[], row: WalletRow): Judged => {
  const { action, destination_token: destinationToken, percentage } = row.input;
  const existing = rules.find((rule) => rule.destination_token === destinationToken);
  const add = (): Judged => {
    const violation = judgeAdd(wallet, rules, { token: destinationToken, currency: row.destinationCurrency }, percentage!);
    if (violation) return refusedBy(violation);
    // A rule the job will make has no token until MassPay makes it.
    rules.push({ token: '', destination_token: destinationToken, percentage: percentage! });
    return change({ action: 'add_rule', destinationToken, percentage: percentage! });
  };
  if (action === 'add') return add();
  if (action === 'set') {
    if (!existing) return add();
    if (toBasisPoints(existing.percentage) === toBasisPoints(percentage!)) {
      return { verdict: 'noop', change: null, reason: `This wallet already sends ${percent(existing.percentage)} to this destination.` };
    }
    const violation = judgeChange(wallet, rules, existing, percentage!);
    if (violation) return refusedBy(violation);
    const previousPercentage = existing.percentage;
    existing.percentage = percentage!;
    return change({ action: 'edit_rule', destinationToken, percentage: percentage!, ruleToken: existing.token, previousPercentage });
  }
  if (!existing) {
    return refused(
      row.destinationCurrency === null ? 'MassPay knows no destination with this token.' : 'This wallet has no rule for this destination to remove.',
    );
  }
  rules.splice(rules.indexOf(existing), 1);
  return change({ action: 'delete_rule', destinationToken, ruleToken: existing.token, previousPercentage: existing.percentage });
};

/**
 * Every row of one wallet, in line order: a second row for the same destination is refused as a
 * duplicate (the file must say one thing per wallet and destination). Returns the verdicts by line
 * and the rules after every `change`.
 */
export const judgeWalletRows = (wallet: WalletFacts, rulesBefore: readonly AutopayRule[], rows: readonly WalletRow[]) => {
  const rules = rulesBefore.map((rule) => ({ ...rule }));
  const firstLine = new Map<string, number>();
  const verdicts = new Map<number, Judged>();
  for (const row of [...rows].sort((a, b) => a.line - b.line)) {
    const earlier = firstLine.get(row.input.destination_token);
    if (earlier !== undefined) {
      verdicts.set(row.line, refused(`Duplicate row: line ${earlier} already names this wallet and destination.`));
      continue;
    }
    firstLine.set(row.input.destination_token, row.line);
    verdicts.set(row.line, judgeRow(wallet, rules, row));
  }
  // Over 100 % now, with later rows of the wallet still to come: they may be the ones that make room.
  const lastLine = Math.max(...rows.map((row) => row.line));
  for (const [line, judged] of verdicts) {
    if (judged.verdict === 'refused' && overCap.has(judged) && line < lastLine) {
      verdicts.set(line, refused(`${judged.reason} Rows apply in line order: a row that lowers this wallet's other rules must come before this one.`));
    }
  }
  return { verdicts, rulesAfter: rules };
};
