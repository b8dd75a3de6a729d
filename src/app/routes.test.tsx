// The server names a page's first reads in the page as fetch preloads (src/server/spa.ts). A preloaded
// answer waits for the first request of its URL, however late: each must be one the SPA asks for as it
// starts, or a later request would take an old answer. These lists are kept apart (the SPA's route
// prefetch, src/api/page-reads.ts); this holds them together.
import { describe, expect, it, vi } from 'vitest';
import { APP_PAGES, pageFirstReads } from '../api';
import { resetSent, sent } from '../../test/app/backend';
import { SEED_PEOPLE } from '../../test/seed';
import { queryClient } from './lib/query-client';
import { preloadRoute } from './routes';

const { userToken, usdWallet: walletToken } = SEED_PEOPLE.ada;

describe('a page the server preloads reads for', () => {
  it.each([
    ['user', `/users/${userToken}`],
    ['wallet', `/users/${userToken}/wallets/${walletToken}`],
  ] as const)('the %s page asks for those reads first, as the SPA starts', async (page, pathname) => {
    const preloaded = pageFirstReads(page, { userToken, walletToken });
    expect(preloaded.length).toBeGreaterThan(0);
    expect(APP_PAGES[page].path.split('/').length).toBe(pathname.split('/').length);

    queryClient.clear();
    resetSent();
    void preloadRoute({ pathname });
    await vi.waitFor(() => expect(sent.length).toBeGreaterThanOrEqual(preloaded.length));
    expect(sent.slice(0, preloaded.length).map((r) => `${r.method} ${r.path}`)).toEqual(preloaded.map((url) => `GET ${url}`));
  });
});
