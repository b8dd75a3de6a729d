import { OUTCOME_UNKNOWN_PROBLEMS, PROBLEM_TYPES, type Problem } from '../../api';

/**
 * Every failure the SPA meets, as one typed error: the server's problem+json, or one made here for a
 * network failure (status 0) or an answer that does not match its schema.
 */
export class ApiError extends Error {
  constructor(
    readonly problem: Problem,
    /** `Retry-After` of the answer, in seconds, when it gave one (a 429, a busy wallet's 409). */
    readonly retryAfterSeconds?: number,
    /** The answer's JSON as it came: a problem's extension members (RFC 9457), e.g. a stale approval's two rule lists. */
    readonly body?: unknown,
  ) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
  }

  get status(): number {
    return this.problem.status;
  }

  /** Messages per form field, as the server named them (`percentage`, `destination_token`…). */
  get fieldErrors(): Record<string, string[]> {
    return this.problem.errors ?? {};
  }

  /** Worth trying again: no connection, or the server or MassPay failed (5xx). A 4xx will not change. */
  get isTransient(): boolean {
    return this.status === 0 || this.status >= 500;
  }
}

export const isApiError = (error: unknown): error is ApiError => error instanceof ApiError;

/** No session, or it expired meanwhile: the person must sign in (again). */
export const isUnauthenticated = (error: unknown): boolean =>
  isApiError(error) && error.status === 401 && (error.problem.type === PROBLEM_TYPES.unauthenticated || error.problem.type === 'about:blank');

/** Signed in, but this staff member's role may not do it. */
export const isForbidden = (error: unknown): boolean => isApiError(error) && error.status === 403 && error.problem.type !== PROBLEM_TYPES.crossSite;

/** Nothing is there: a 404, or a 400 refusing a token in the path (a malformed token names nothing). */
export const isNotFound = (error: unknown): boolean =>
  isApiError(error) && (error.status === 404 || (error.status === 400 && ('user_token' in error.fieldErrors || 'wallet_token' in error.fieldErrors)));

/** The server's problem is of this type (`PROBLEM_TYPES`). */
export const isProblem = (error: unknown, type: string): error is ApiError => isApiError(error) && error.problem.type === type;

/**
 * After this failure the change may have been made, or may still be being made: the same submission
 * (the same Idempotency-Key) must be sent again to learn its outcome, and "not made" must not be said.
 */
export const isOutcomeOpen = (error: unknown): boolean =>
  isApiError(error) &&
  (OUTCOME_UNKNOWN_PROBLEMS.includes(error.problem.type) ||
    error.problem.type === PROBLEM_TYPES.idempotencyInFlight ||
    error.problem.type === PROBLEM_TYPES.changeIncomplete);

/**
 * The console answered for sure that it did nothing with this submission (a refusal: a 4xx other than
 * a busy wallet, a first attempt still running, an expired session or too many requests). Sending the
 * values again is then a new submission with a new Idempotency-Key: the old key's answer would only be
 * replayed.
 */
export const isSettledRefusal = (error: unknown): boolean =>
  isApiError(error) &&
  error.status >= 400 &&
  error.status < 500 &&
  ![401, 408, 429].includes(error.status) &&
  error.problem.type !== PROBLEM_TYPES.walletBusy &&
  error.problem.type !== PROBLEM_TYPES.idempotencyInFlight;

/** The rules the SPA holds are out of date: the console refused on fresher data, or a change went half way. */
export const staleRulesBehind = (error: unknown): boolean =>
  isApiError(error) && (error.problem.type === PROBLEM_TYPES.policy || error.problem.type === PROBLEM_TYPES.changeIncomplete || error.status === 404);

/** What a person should read about `error`, with what to do next. */
export const describeError = (error: unknown): string => {
  if (!isApiError(error)) return 'Something went wrong in the console. Reload the page; if it happens again, tell the console team.';
  const { status, problem } = error;
  const text = problem.detail ?? problem.title;
  if (problem.type === PROBLEM_TYPES.walletBusy) {
    const wait = error.retryAfterSeconds;
    return `Another change to this wallet is still running. Try again ${wait === undefined ? 'in a moment' : `in ${Math.max(1, wait)} s`}.`;
  }
  if (problem.type === PROBLEM_TYPES.idempotencyInFlight) {
    // Also when MassPay did not answer the first attempt and may still carry it out (Retry-After: how long).
    const wait = error.retryAfterSeconds;
    return `The first attempt of this change is still running. ${wait === undefined || wait <= 1 ? 'Wait a moment, then save again' : `Save again in ${wait} s`}: you will get its outcome, and nothing is done twice.`;
  }
  if (problem.type === PROBLEM_TYPES.changeIncomplete) {
    const said = text.replace(/([^.!?])$/, '$1.');
    return /by itself/i.test(said)
      ? `${said} The rules table shows what the wallet holds now.`
      : `${said} The console finishes the change by itself; the rules table shows what the wallet holds now.`;
  }
  if (status === 0) return `${text} Check your connection, then retry.`;
  if (status >= 500) return /again|retry/i.test(text) ? text : `${text.replace(/([^.!?])$/, '$1.')} Try again in a moment.`;
  return text;
};
