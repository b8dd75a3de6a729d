import { describe, expect, it } from 'vitest';
import { PROBLEM_TYPES, type Problem } from '../../api';
import { ApiError, describeError, isOutcomeOpen, isSettledRefusal, staleRulesBehind } from './api-error';

// How the change dialogs read the console's answers (issue 13): which failures keep the submission's
// Idempotency-Key, which refresh the rules, and what a person is told.

const problem = (type: string, status: number, detail?: string): Problem => ({ type, title: 'Title', status, ...(detail ? { detail } : {}) });
const error = (type: string, status: number, detail?: string, retryAfter?: number) => new ApiError(problem(type, status, detail), retryAfter);

const policy = error(PROBLEM_TYPES.policy, 409, 'This wallet is now 95 % allocated; 10 % more would make 105 %.');
const busy = error(PROBLEM_TYPES.walletBusy, 409, 'Another change to this wallet is in progress.', 3);
const inFlight = error(PROBLEM_TYPES.idempotencyInFlight, 409, 'The first attempt is still running.', 1);
const mismatch = error(PROBLEM_TYPES.idempotencyMismatch, 422, 'This Idempotency-Key was already used for a different change.');
const incomplete = error(PROBLEM_TYPES.changeIncomplete, 502, 'The old rule was deleted; this wallet now holds 25 %');
const validation = error(PROBLEM_TYPES.validation, 400, 'Percentage must be at most 100');
const timeout = error(PROBLEM_TYPES.upstreamTimeout, 504, 'MassPay did not answer in time: the change may or may not have been made.');
const masspay500 = error(PROBLEM_TYPES.masspay, 500, 'MassPay failed.');
const expired = error(PROBLEM_TYPES.unauthenticated, 401);
const network = error('urn:masspay-console:problem:network', 0, 'The console could not be reached.');

describe('describeError', () => {
  it('tells to try again in the seconds Retry-After gives when the wallet is busy', () => {
    expect(describeError(busy)).toBe('Another change to this wallet is still running. Try again in 3 s.');
    expect(describeError(error(PROBLEM_TYPES.walletBusy, 409))).toBe('Another change to this wallet is still running. Try again in a moment.');
  });

  it('says the first attempt still runs, and that saving again gives its outcome', () => {
    expect(describeError(inFlight)).toMatch(/^The first attempt of this change is still running\. Wait a moment, then save again/);
    expect(describeError(error(PROBLEM_TYPES.idempotencyInFlight, 409, 'MassPay may still carry it out.', 55))).toBe(
      'The first attempt of this change is still running. Save again in 55 s: you will get its outcome, and nothing is done twice.',
    );
  });

  it('gives the policy refusal and a half-done change in the console’s words, with what the wallet holds', () => {
    expect(describeError(policy)).toBe('This wallet is now 95 % allocated; 10 % more would make 105 %.');
    expect(describeError(incomplete)).toBe(
      'The old rule was deleted; this wallet now holds 25 %. The console finishes the change by itself; the rules table shows what the wallet holds now.',
    );
  });
});

describe('which failures', () => {
  it.each([
    ['a policy refusal', policy, true],
    ['a validation refusal', validation, true],
    ['an idempotency mismatch', mismatch, true],
    ['a busy wallet', busy, false],
    ['a first attempt still running', inFlight, false],
    ['an expired session', expired, false],
    ['a timeout', timeout, false],
    ['a MassPay 500', masspay500, false],
    ['a half-done change', incomplete, false],
    ['no connection', network, false],
  ])('settle the submission (a new key next time): %s → %s', (_name, failure, settled) => {
    expect(isSettledRefusal(failure)).toBe(settled);
  });

  it.each([
    ['a timeout', timeout, true],
    ['a first attempt still running', inFlight, true],
    ['a half-done change', incomplete, true],
    ['a policy refusal', policy, false],
    ['a busy wallet', busy, false],
    ['a MassPay 500', masspay500, false],
  ])('leave the outcome open (never "not changed"): %s → %s', (_name, failure, open) => {
    expect(isOutcomeOpen(failure)).toBe(open);
  });

  it.each([
    ['a policy refusal', policy, true],
    ['a half-done change', incomplete, true],
    ['a rule gone (404)', error(PROBLEM_TYPES.notFound, 404), true],
    ['a busy wallet', busy, false],
    ['a validation refusal', validation, false],
  ])('refresh the rules: %s → %s', (_name, failure, refresh) => {
    expect(staleRulesBehind(failure)).toBe(refresh);
  });
});
