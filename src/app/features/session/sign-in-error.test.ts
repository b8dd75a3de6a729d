import { describe, expect, it } from 'vitest';
import { PROBLEM_TYPES } from '../../../api';
import { ApiError } from '../../lib/api-error';
import { signInErrorMessage } from './sign-in-error';

const tooMany = (retryAfter?: number) =>
  new ApiError({ type: PROBLEM_TYPES.tooManyAttempts, title: 'Too many attempts', status: 429, detail: 'Too many failed sign-ins.' }, retryAfter);

describe('signInErrorMessage', () => {
  it("shows the server's one generic message for a 401", () => {
    const error = new ApiError({ type: PROBLEM_TYPES.unauthenticated, title: 'Sign-in failed', status: 401, detail: 'Wrong email or password.' });
    expect(signInErrorMessage(error)).toBe('Wrong email or password.');
  });

  it('says how long to wait after too many attempts, from Retry-After', () => {
    expect(signInErrorMessage(tooMany(30))).toBe('Too many sign-in attempts. Wait 30 seconds, then try again.');
    expect(signInErrorMessage(tooMany(1))).toBe('Too many sign-in attempts. Wait 1 second, then try again.');
    expect(signInErrorMessage(tooMany(61))).toBe('Too many sign-in attempts. Wait 2 minutes, then try again.');
    expect(signInErrorMessage(tooMany())).toBe('Too many sign-in attempts. Wait a few minutes, then try again.');
  });

  it('says what to do when the console cannot be reached', () => {
    const error = new ApiError({
      type: 'urn:masspay-console:problem:network',
      title: 'No connection to the console',
      status: 0,
      detail: 'The console could not be reached.',
    });
    expect(signInErrorMessage(error)).toBe('The console could not be reached. Check your connection, then retry.');
  });
});
