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

/** The names of the rules' destinations: asked for once the rules have answered, so no page can name them first. */
const isDestinationLookup = (path: string) => path.startsWith('/api/payout/service/');

describe('a page the server preloads reads for', () => {
  it.each([
    ['user', `/users/${userToken}`],
    ['wallet', `/users/${userToken}/wallets/${walletToken}`],
  ] as const)('the %s page asks for those reads as the SPA starts, and for no other', async (page, pathname) => {
    const preloaded = pageFirstReads(page, { userToken, walletToken });
    expect(preloaded.length).toBeGreaterThan(0);
    expect(APP_PAGES[page].path.split('/').length).toBe(pathname.split('/').length);

    queryClient.clear();
    resetSent();
    void preloadRoute({ pathname });
    const asked = () => sent.filter((r) => !isDestinationLookup(r.path)).map((r) => `${r.method} ${r.path}`);
    await vi.waitFor(() => expect(asked()).toEqual(expect.arrayContaining(preloaded.map((url) => `GET ${url}`))));
    await vi.waitFor(() => expect(queryClient.isFetching()).toBe(0));
    // Those reads and no other, each once, in any order (the wallet's history waits for its code, a chunk of its own).
    expect(asked().sort()).toEqual(preloaded.map((url) => `GET ${url}`).sort());
  });
});
