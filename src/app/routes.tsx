import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import { autopayRulesQueryOptions } from './features/autopay/api/get-autopay-rules';
import { userQueryOptions } from './features/users/api/get-user';
import { walletsQueryOptions } from './features/wallets/api/get-wallets';
import { queryClient } from './lib/query-client';

export interface AppRoute {
  path: string;
  Page: LazyExoticComponent<ComponentType>;
  /**
   * The route's loader: starts every request the page needs at once, in parallel with the page's
   * code, without waiting for answers (pages show skeletons), so there is no request waterfall.
   */
  prefetch?: (params: Record<string, string | undefined>) => void;
}

const page = (load: () => Promise<{ default: ComponentType }>) => lazy(load);

export const ROUTES: AppRoute[] = [
  { path: '/', Page: page(() => import('./pages/HomePage')) },
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
