import { describe, expect, it } from 'vitest';
import { createForbiddenLimit } from './forbidden-limit';

describe('forbidden audit entries per staff member', () => {
  it('records 10 a window per email, names the first one skipped, and starts again with the next window', () => {
    let now = 0;
    const limit = createForbiddenLimit({ now: () => now });
    const take = (email: string, times: number) => Array.from({ length: times }, () => limit.take(email));
    expect(take('viewer@example.com', 12)).toEqual([...Array.from({ length: 10 }, () => 'record'), 'skip-first', 'skip']);
    // Another staff member has a window of their own.
    expect(limit.take('editor@example.com')).toBe('record');
    now = 59_999;
    expect(limit.take('viewer@example.com')).toBe('skip');
    now = 60_000;
    expect(take('viewer@example.com', 11)).toEqual([...Array.from({ length: 10 }, () => 'record'), 'skip-first']);
  });
});
