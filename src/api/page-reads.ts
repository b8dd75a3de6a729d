import { z } from 'zod/mini';
import { getUser } from './browser-routes/get-user';
import { listAutopayRules } from './browser-routes/list-autopay-rules';
import { listWallets } from './browser-routes/list-wallets';
import { fillPath, walletParams, type BrowserRouteDef } from './browser-routes/route-def';
import { WALLET_HISTORY_ROUTES } from './schemas/wallet-history';
import type { APP_PAGES } from './app-pages';

/** A read the SPA makes, as the browser requests it: its path template and the schemas of its path parameters (the route's own). */
interface Read {
  path: string;
  params: Record<string, z.ZodMiniType<string>>;
}
/** A MassPay route through the console's proxy. */
const proxied = (route: BrowserRouteDef): Read => ({ path: `/api${route.path}`, params: route.params });
const walletHistory: Read = { path: WALLET_HISTORY_ROUTES.history, params: walletParams };

/** A page's first reads, with the schema of their path parameters together. */
const firstReads = (...reads: Read[]) => ({ reads, params: z.object(Object.assign({}, ...reads.map((read) => read.params))) });

const FIRST_READS: Partial<Record<keyof typeof APP_PAGES, ReturnType<typeof firstReads>>> = {
  user: /* @__PURE__ */ firstReads(proxied(getUser), proxied(listWallets)),
  wallet: /* @__PURE__ */ firstReads(proxied(getUser), proxied(listWallets), proxied(listAutopayRules), walletHistory),
};

/**
 * The reads the SPA asks for first on a page, as the URLs it requests: its route's prefetch
 * (src/app/routes.tsx), which runs as the SPA starts, signed in or not. The server names them in the
 * page as `<link rel="preload" as="fetch">` (src/server/spa.ts), so the browser sends them while it
 * fetches the code, and the SPA's requests for these URLs take those answers instead of asking again.
 * Only those: a preloaded answer is kept until a request of its URL takes it, however late. One the
 * SPA asked for only when the page renders would, for a signed-out visitor sent to the sign-in page,
 * answer the request made after signing in with the 401 from before (the wallet's change history did,
 * until the route's prefetch asked for it at start too).
 * None for a page whose path holds a malformed token: the page shows that error itself.
 */
export const pageFirstReads = (page: keyof typeof APP_PAGES, params: Readonly<Record<string, string | undefined>>): string[] => {
  const reads = FIRST_READS[page];
  // The page's path names the tokens as react-router does; the routes' templates as MassPay does.
  const checked = reads?.params.safeParse({ user_token: params.userToken, wallet_token: params.walletToken });
  if (!reads || !checked?.success) return [];
  return reads.reads.map((read) => fillPath(read.path, checked.data as Record<string, string>));
};
