import { describe, expect, it } from 'vitest';
import { loginPathFor, safeNextPath } from './next-path';

describe('safeNextPath', () => {
  it.each([
    ['/users/usr_1/wallets/wal_2?txPage=2', '/users/usr_1/wallets/wal_2?txPage=2'],
    ['/audit?user=usr_1&page=3#top', '/audit?user=usr_1&page=3#top'],
    ['/', '/'],
  ])('accepts a path of this console: %s', (next, expected) => {
    expect(safeNextPath(next)).toBe(expected);
  });

  it.each([
    ['nothing', null],
    ['empty', ''],
    ['protocol-relative', '//evil.com'],
    ['protocol-relative with a path', '//evil.com/users'],
    ['backslash', '/\\evil.com'],
    ['tab that browsers drop', '/\t/evil.com'],
    ['newline', '/\n/evil.com'],
    ['absolute https', 'https://evil.com/'],
    ['absolute http to this host', 'http://localhost/users'],
    ['javascript', 'javascript:alert(1)'],
    ['relative', 'users/usr_1'],
    ['the sign-in page itself', '/login?next=/audit'],
  ])('falls back to / for %s', (_name, next) => {
    expect(safeNextPath(next)).toBe('/');
  });
});

describe('loginPathFor', () => {
  it('carries the path and search in next, encoded', () => {
    expect(loginPathFor({ pathname: '/audit', search: '?user=usr_1&page=2' })).toBe('/login?next=%2Faudit%3Fuser%3Dusr_1%26page%3D2');
  });

  it('needs no next for the home page or the sign-in page', () => {
    expect(loginPathFor({ pathname: '/', search: '' })).toBe('/login');
    expect(loginPathFor({ pathname: '/login', search: '?next=/x' })).toBe('/login');
  });
});
