import { describe, expect, it } from 'vitest';
import { readView, writeView } from './view-params';

const read = (query: string) => readView(new URLSearchParams(query));
const write = (query: string, change: Parameters<typeof writeView>[1]) => writeView(new URLSearchParams(query), change).toString();

describe('readView', () => {
  it('defaults to page 1 of 10, all types, no dates', () => {
    expect(read('')).toEqual({ view: { page: 1, size: 10 } });
  });

  it('reads every param', () => {
    expect(read('txPage=3&txSize=50&txType=spendback&txFrom=2025-01-01&txTo=2025-01-31')).toEqual({
      view: { page: 3, size: 50, type: 'spendback', from: '2025-01-01', to: '2025-01-31' },
    });
  });

  it.each([
    ['txPage=0', { page: 1, size: 10 }],
    ['txPage=-2', { page: 1, size: 10 }],
    ['txPage=2.5', { page: 1, size: 10 }],
    ['txPage=999999', { page: 100_000, size: 10 }],
    ['txSize=100', { page: 1, size: 10 }],
    ['txSize=25abc', { page: 1, size: 10 }],
    ['txType=spend%20back', { page: 1, size: 10 }],
    ['txType=', { page: 1, size: 10 }],
    ['txFrom=2025-02-30', { page: 1, size: 10 }],
    ['txFrom=2025-1-5', { page: 1, size: 10 }],
    ['txTo=yesterday', { page: 1, size: 10 }],
  ])('drops what makes no sense: %s', (query, view) => {
    expect(read(query)).toEqual({ view });
  });

  it('flags a range whose From comes after its To, and accepts a single day', () => {
    expect(read('txFrom=2025-02-01&txTo=2025-01-31').rangeError).toBe('To must be on or after From');
    expect(read('txFrom=2025-02-01&txTo=2025-02-01').rangeError).toBeUndefined();
  });
});

describe('writeView', () => {
  it('leaves defaults out of the URL and keeps params that are not its own', () => {
    expect(write('tab=x', { size: 10, type: '' })).toBe('tab=x');
    expect(write('tab=x', { size: 25, type: 'payout' })).toBe('tab=x&txSize=25&txType=payout');
  });

  it('goes back to page 1 on any change but the page', () => {
    expect(write('txPage=3&txSize=25', { type: 'load' })).toBe('txSize=25&txType=load');
    expect(write('txPage=3', { from: '2025-01-01' })).toBe('txFrom=2025-01-01');
    expect(write('txPage=3&txType=load', { page: 4 })).toBe('txPage=4&txType=load');
    expect(write('txPage=3', { page: 1 })).toBe('');
  });

  it('clears a filter given as empty or undefined', () => {
    expect(write('txType=load&txFrom=2025-01-01&txTo=2025-01-02', { type: undefined, from: '', to: undefined })).toBe('');
  });
});
