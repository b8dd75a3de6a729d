import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import { autopayRulesQueryOptions } from './features/autopay/api/get-autopay-rules';
import { userQueryOptions } from './features/users/api/get-user';
import { walletsQueryOptions } from './features/wallets/api/get-wallets';
import { queryClient } from './lib/query-client';

export interface AppRoute {
  path: string;
  Page: LazyExoticComponent<ComponentType> & { preload: () => Promise<unknown> };
  /** Open to people who are not signed in (only `/login`); every other route is behind the session gate. */
  public?: boolean;
  /**
   * The route's loader: starts every request the page needs at once, in parallel with the page's
   * code, without waiting for answers (pages show skeletons), so there is no request waterfall.
   */
  prefetch?: (params: Record<string, string | undefined>) => void;
}

// `preload` starts loading a page's code with its data, while the session gate is still asking who is signed in.
const page = (load: () => Promise<{ default: ComponentType }>) => Object.assign(lazy(load), { preload: load });

export const ROUTES: AppRoute[] = [
  { path: '/login', Page: page(() => import('./pages/LoginPage')), public: true },
  { path: '/', Page: page(() => import('./pages/HomePage')) },
  { path: '/audit', Page: page(() => import('./pages/AuditPage')) },
  {
    path: '/users/:userToken',
    Page: page(() => import('./pages/UserPage')),
    prefetch: ({ userToken }) => {
      void queryClient.prefetchQuery(userQueryOptions(userToken!));
      void queryClient.prefetchQuery(walletsQueryOptions(userToken!));
    },
  },
  {
    path: '/users/:userToken/wallets/:walletToken',
    Page: page(() => import('./pages/WalletPage')),
    prefetch: ({ userToken, walletToken }) => {
      void queryClient.prefetchQuery(userQueryOptions(userToken!));
      void queryClient.prefetchQuery(walletsQueryOptions(userToken!));
      // The destination names follow as soon as the rules arrive, without waiting for a render.
      void Promise.all([queryClient.fetchQuery(autopayRulesQueryOptions(userToken!, walletToken!)), import('./features/catalog/api/get-service')]).then(
        ([rules, { serviceQueryOptions }]) => rules.forEach((rule) => void queryClient.prefetchQuery(serviceQueryOptions(rule.destination_token))),
        () => undefined,
      );
    },
  },
];
