import { z } from 'zod/mini';
import { getUser } from './browser-routes/get-user';
import { listAutopayRules } from './browser-routes/list-autopay-rules';
import { listWallets } from './browser-routes/list-wallets';
import { fillPath, type BrowserRouteDef } from './browser-routes/route-def';
import type { APP_PAGES } from './app-pages';
import { userTokenSchema, walletTokenSchema } from './tokens';

const proxied = (route: BrowserRouteDef, values: Record<string, string>) => `/api${fillPath(route.path, values)}`;

const userPageParams = z.object({ userToken: userTokenSchema });
const walletPageParams = z.object({ userToken: userTokenSchema, walletToken: walletTokenSchema });

/**
 * The reads the SPA asks for first on a page, as the URLs it requests: its route's prefetch
 * (src/app/routes.tsx), which runs as the SPA starts, signed in or not. The server names them in the
 * page as `<link rel="preload" as="fetch">` (src/server/spa.ts), so the browser sends them while it
 * fetches the code, and the SPA's requests for these URLs take those answers instead of asking again.
 * Only those: a preloaded answer is kept until a request of its URL takes it, however late. One the
 * SPA asks for only when the page renders (a wallet's change history) would, for a signed-out visitor
 * sent to the sign-in page, answer the request made after signing in with the 401 from before.
 * None for a page whose path holds a malformed token: the page shows that error itself.
 */
export const pageFirstReads = (page: keyof typeof APP_PAGES, params: Readonly<Record<string, string | undefined>>): string[] => {
  if (page === 'user') {
    const checked = userPageParams.safeParse(params);
    if (!checked.success) return [];
    const user = { user_token: checked.data.userToken };
    return [proxied(getUser, user), proxied(listWallets, user)];
  }
  if (page === 'wallet') {
    const checked = walletPageParams.safeParse(params);
    if (!checked.success) return [];
    const user = { user_token: checked.data.userToken };
    const wallet = { ...user, wallet_token: checked.data.walletToken };
    return [proxied(getUser, user), proxied(listWallets, user), proxied(listAutopayRules, wallet)];
  }
  return [];
};
