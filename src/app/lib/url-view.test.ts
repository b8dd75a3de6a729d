import { describe, expect, it } from 'vitest';
import { MAX_PAGE, readDate, readOneOf, readPage, writeView } from './url-view';

// The one way paged, filtered views (a wallet's transactions, the audit log) are read from and
// written to the URL.

describe('reading a view from the URL', () => {
  it.each([
    [null, 1],
    ['', 1],
    ['3', 3],
    ['0', 1],
    ['-2', 1],
    ['2.5', 1],
    ['1e3', 1],
    [' 4', 1],
    ['999999', MAX_PAGE],
    ['1234567', 1],
  ])('page %j is %d', (text, page) => expect(readPage(text)).toBe(page));

  it('takes one of the allowed values as written, else nothing', () => {
    expect(readOneOf('25', [10, 25, 50] as const)).toBe(25);
    expect(readOneOf('025', [10, 25, 50] as const)).toBeUndefined();
    expect(readOneOf('25abc', [10, 25, 50] as const)).toBeUndefined();
    expect(readOneOf('load', ['load', 'payout'] as const)).toBe('load');
    expect(readOneOf('Load', ['load', 'payout'] as const)).toBeUndefined();
    expect(readOneOf(null, ['load'] as const)).toBeUndefined();
  });

  it.each([
    ['2026-02-28', '2026-02-28'],
    ['2024-02-29', '2024-02-29'],
    ['2026-02-30', undefined],
    ['2026-2-3', undefined],
    ['yesterday', undefined],
    [null, undefined],
  ])('date %j is %j', (text, date) => expect(readDate(text)).toBe(date));
});

describe('writing a view to the URL', () => {
  const NAMES = { size: 'n', kind: 'k', page: 'p' } as const;
  const write = (query: string, change: Parameters<typeof writeView<'size' | 'kind'>>[2]) =>
    writeView(new URLSearchParams(query), NAMES, change, { size: 10 }).toString();

  it('leaves defaults and empty values out, and keeps params that are not the view’s', () => {
    expect(write('tab=x', { size: 10, kind: '' })).toBe('tab=x');
    expect(write('tab=x&n=25', { size: 10 })).toBe('tab=x');
    expect(write('tab=x', { size: 25, kind: 'a' })).toBe('tab=x&n=25&k=a');
    expect(write('k=a', { kind: undefined })).toBe('');
  });

  it('goes back to page 1 on any change but the page, and page 1 is not written', () => {
    expect(write('p=3&n=25', { kind: 'a' })).toBe('n=25&k=a');
    expect(write('p=3&k=a', { page: 4 })).toBe('p=4&k=a');
    expect(write('p=3', { page: 1 })).toBe('');
  });

  it('writes a whole view in the order of its names', () => {
    expect(writeView(new URLSearchParams(), NAMES, { page: 2, kind: 'b', size: 50 }).toString()).toBe('n=50&k=b&p=2');
  });
});
