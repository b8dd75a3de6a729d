// How the change path's answer to one bulk row ends that row: an outcome to write, or "ask again
// later" (the wallet was busy, MassPay could not be reached, the first attempt's outcome is unknown),
// in which case the row is asked again under the same key and gets the recorded answer, never a second change.
import { PROBLEM_TYPES, type BulkOutcome } from '../../api';
import type { ChangeAnswer } from '../changes/run-change';

export interface RowResult {
  outcome: Exclude<BulkOutcome, 'skipped'>;
  reason: string | null;
  ruleToken: string | null;
}

export type RowVerdict =
  | { done: RowResult }
  /** Not an outcome yet: ask again (same key) after `afterSeconds`; `ifGivenUp` is what the row says if it never gets one. */
  | { again: { afterSeconds: number; ifGivenUp: RowResult } };

/** Nothing was changed, and asking again may succeed. */
const TRY_AGAIN: readonly string[] = [
  PROBLEM_TYPES.walletBusy,
  PROBLEM_TYPES.idempotencyInFlight,
  PROBLEM_TYPES.auditUnavailable,
  PROBLEM_TYPES.upstreamUnavailable,
];

interface Body {
  token?: unknown;
  rule?: { token?: unknown };
  type?: unknown;
  detail?: unknown;
}

const bodyOf = (answer: ChangeAnswer): Body => {
  try {
    return JSON.parse(answer.body) as Body;
  } catch {
    return {};
  }
};

export const rowVerdictOf = (answer: ChangeAnswer): RowVerdict => {
  const body = bodyOf(answer);
  if (answer.status >= 200 && answer.status < 300) {
    // An add answers the rule, a percentage change `{ rule }`, a delete `{ token }` of the rule it removed.
    const ruleToken = typeof body.rule?.token === 'string' ? body.rule.token : typeof body.token === 'string' ? body.token : null;
    return { done: { outcome: 'applied', reason: null, ruleToken } };
  }
  const detail = typeof body.detail === 'string' ? body.detail : `The change path answered ${answer.status}.`;
  const afterSeconds = answer.retryAfterSeconds ?? 1;
  // MassPay may or may not have acted (or a percentage change is half done): the same key re-reads the wallet and decides.
  if (answer.keep === 'unknown' || body.type === PROBLEM_TYPES.changeIncomplete) {
    return { again: { afterSeconds, ifGivenUp: { outcome: 'unknown', reason: `${detail} The audit log has what is known of it.`, ruleToken: null } } };
  }
  if (TRY_AGAIN.includes(String(body.type))) return { again: { afterSeconds, ifGivenUp: { outcome: 'failed', reason: detail, ruleToken: null } } };
  // The console's policy or MassPay refused it on the wallet as it is now (4xx): nothing was changed.
  if (answer.status < 500 && answer.status !== 422) return { done: { outcome: 'refused', reason: detail, ruleToken: null } };
  return { done: { outcome: 'failed', reason: detail, ruleToken: null } };
};
