import { z } from 'zod/mini';
import { getUser } from './browser-routes/get-user';
import { listAutopayRules } from './browser-routes/list-autopay-rules';
import { listWallets } from './browser-routes/list-wallets';
import { fillPath, type BrowserRouteDef } from './browser-routes/route-def';
import type { APP_PAGES } from './app-pages';
import { WALLET_HISTORY_ROUTES } from './schemas/wallet-history';
import { userTokenSchema, walletTokenSchema } from './tokens';

const proxied = (route: BrowserRouteDef, values: Record<string, string>) => `/api${fillPath(route.path, values)}`;

const userPageParams = z.object({ userToken: userTokenSchema });
const walletPageParams = z.object({ userToken: userTokenSchema, walletToken: walletTokenSchema });

/**
 * The reads a page asks the server for before it renders, as the URLs the SPA requests (its route's
 * prefetch in src/app/routes.tsx, then the page's queries): the server names them in the page as
 * `<link rel="preload" as="fetch">` (src/server/spa.ts), so the browser sends them while it fetches
 * the code, and the SPA's own requests for these URLs take those answers instead of asking again.
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
    return [proxied(getUser, user), proxied(listWallets, user), proxied(listAutopayRules, wallet), fillPath(WALLET_HISTORY_ROUTES.history, wallet)];
  }
  return [];
};
