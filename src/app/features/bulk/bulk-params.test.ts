import { describe, expect, it } from 'vitest';
import { readBulkJobView, writeRowsView, writeWalletsPage } from './bulk-params';

describe("a bulk job's view in its URL", () => {
  it('reads the filters and both pages, and falls back to the defaults on anything else', () => {
    expect(readBulkJobView(new URLSearchParams('verdict=refused&outcome=applied&page=3&wallets=2'))).toEqual({
      verdict: 'refused',
      outcome: 'applied',
      page: 3,
      walletsPage: 2,
    });
    expect(readBulkJobView(new URLSearchParams('verdict=maybe&outcome=DROP&page=-1&wallets=x'))).toEqual({
      verdict: undefined,
      outcome: undefined,
      page: 1,
      walletsPage: 1,
    });
  });

  it('a new filter goes back to the first page of rows and keeps the wallets page; the defaults are left out', () => {
    const params = new URLSearchParams('verdict=change&page=4&wallets=2');
    expect(writeRowsView(params, { verdict: 'refused', outcome: undefined }).toString()).toBe('verdict=refused&wallets=2');
    expect(writeRowsView(params, { verdict: '', outcome: 'skipped' }).toString()).toBe('wallets=2&outcome=skipped');
    expect(writeRowsView(params, { page: 5 }).toString()).toBe('verdict=change&page=5&wallets=2');
    expect(writeWalletsPage(params, 1).toString()).toBe('verdict=change&page=4');
    expect(writeWalletsPage(params, 3).toString()).toBe('verdict=change&page=4&wallets=3');
  });
});
