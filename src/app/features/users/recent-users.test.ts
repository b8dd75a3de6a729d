import { beforeEach, describe, expect, it } from 'vitest';
import { clearRecentUsers, MAX_RECENT_USERS, parseRecentUsers, readRecentUsers, RECENT_USERS_KEY, rememberUser } from './recent-users';

const token = (n: number) => `usr_00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

beforeEach(() => localStorage.clear());

describe('recent users', () => {
  it('keeps the newest first, each user once, at most ten', () => {
    for (let n = 1; n <= 12; n++) rememberUser({ token: token(n), name: `User ${n}` });
    rememberUser({ token: token(5), name: 'User 5, renamed' });
    const users = readRecentUsers();
    expect(users).toHaveLength(MAX_RECENT_USERS);
    expect(users.map((u) => u.name)).toEqual(['User 5, renamed', 'User 12', 'User 11', 'User 10', 'User 9', 'User 8', 'User 7', 'User 6', 'User 4', 'User 3']);
  });

  it('reads whatever is stored defensively: junk entries dropped, junk values ignored', () => {
    expect(parseRecentUsers(null)).toEqual([]);
    expect(parseRecentUsers('{not json')).toEqual([]);
    expect(parseRecentUsers('{"token":"x"}')).toEqual([]);
    expect(
      parseRecentUsers(
        JSON.stringify([
          null,
          'x',
          { token: '../../etc', name: 'Evil' },
          { token: token(1), name: 'One', extra: true },
          { token: token(1), name: 'Dup' },
          { token: token(2) },
        ]),
      ),
    ).toEqual([{ token: token(1), name: 'One' }]);
  });

  it('refuses to remember a malformed token', () => {
    rememberUser({ token: 'javascript:alert(1)', name: 'Nope' });
    expect(localStorage.getItem(RECENT_USERS_KEY)).toBeNull();
  });

  it('clears', () => {
    rememberUser({ token: token(1), name: 'One' });
    clearRecentUsers();
    expect(readRecentUsers()).toEqual([]);
    expect(localStorage.getItem(RECENT_USERS_KEY)).toBeNull();
  });
});
