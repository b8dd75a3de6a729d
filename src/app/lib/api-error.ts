import { PROBLEM_TYPES, type Problem } from '../../api';

/**
 * Every failure the SPA meets, as one typed error: the server's problem+json, or one made here for a
 * network failure (status 0) or an answer that does not match its schema.
 */
export class ApiError extends Error {
  constructor(
    readonly problem: Problem,
    /** `Retry-After` of the answer, in seconds, when it gave one (a 429). */
    readonly retryAfterSeconds?: number,
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

/** What a person should read about `error`, with what to do next. */
export const describeError = (error: unknown): string => {
  if (!isApiError(error)) return 'Something went wrong in the console. Reload the page; if it happens again, tell the console team.';
  const { status, problem } = error;
  const text = problem.detail ?? problem.title;
  if (status === 0) return `${text} Check your connection, then retry.`;
  if (status >= 500) return /again|retry/i.test(text) ? text : `${text.replace(/([^.!?])$/, '$1.')} Try again in a moment.`;
  return text;
};
