import { PROBLEM_TYPES } from '../../../api';
import { describeError, isApiError } from '../../lib/api-error';

const wait = (seconds: number) => {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
};

/** What the sign-in form says when signing in fails. */
export const signInErrorMessage = (error: unknown): string => {
  if (isApiError(error) && (error.status === 429 || error.problem.type === PROBLEM_TYPES.tooManyAttempts)) {
    const seconds = error.retryAfterSeconds;
    return seconds !== undefined && seconds > 0
      ? `Too many sign-in attempts. Wait ${wait(seconds)}, then try again.`
      : 'Too many sign-in attempts. Wait a few minutes, then try again.';
  }
  // 401: the server's one generic message, which never says whether the email exists.
  if (isApiError(error) && error.status === 401) return error.problem.detail ?? 'Wrong email or password.';
  return describeError(error);
};
