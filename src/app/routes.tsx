import { lazy, useState, type ComponentType } from 'react';
import { matchRoutes } from 'react-router';
import { APP_PAGES } from '../api';
import { autopayRulesQueryOptions } from './features/autopay/api/get-autopay-rules';
import { userQueryOptions } from './features/users/api/get-user';
import { walletsQueryOptions } from './features/wallets/api/get-wallets';
import { queryClient } from './lib/query-client';

export interface AppRoute {
  path: string;
  Page: ComponentType & { preload: () => Promise<unknown> };
  /** Open to people who are not signed in (only `/login`); every other route is behind the session gate. */
  public?: boolean;
  /**
   * The route's loader: starts every request the page needs at once, in parallel with the page's
   * code, without waiting for answers (pages show skeletons), so there is no request waterfall.
   */
  prefetch?: (params: Record<string, string | undefined>) => void;
}

/**
 * `preload` starts loading a page's code with its data, before the first render (main.tsx) and while
 * the session gate is still asking who is signed in. A page whose code has arrived renders at once:
 * `lazy()` keeps its own state, so it would suspend once more, commit the "Loading page" fallback and
 * hold the page back for React's 300 ms fallback throttle.
 */
const page = (load: () => Promise<{ default: ComponentType }>): AppRoute['Page'] => {
  let loading: Promise<{ default: ComponentType }> | undefined;
  let loaded: ComponentType | undefined;
  const preload = () =>
    (loading ??= load().then(
      (module) => ((loaded = module.default), module),
      (error: unknown) => {
        loading = undefined; // a failed chunk load may be retried (the route's error boundary offers it)
        throw error;
      },
    ));
  const Lazy = lazy(preload);
  const Page = () => {
    // Chosen once per mount: switching from the lazy to the loaded component later would remount the page.
    const [Component] = useState<ComponentType>(() => loaded ?? Lazy);
    return <Component />;
  };
  return Object.assign(Page, { preload });
};

/** The SPA's pages (paths from `APP_PAGES`, which the server reads too; not the API's route table, `ROUTES` of src/api). */
export const APP_ROUTES: AppRoute[] = [
  { path: APP_PAGES.login.path, Page: page(() => import('./pages/LoginPage')), public: true },
  { path: APP_PAGES.home.path, Page: page(() => import('./pages/HomePage')) },
  { path: APP_PAGES.audit.path, Page: page(() => import('./pages/AuditPage')) },
  { path: APP_PAGES.approvals.path, Page: page(() => import('./pages/ApprovalsPage')) },
  { path: APP_PAGES.bulk.path, Page: page(() => import('./pages/BulkPage')) },
  { path: APP_PAGES.bulkJob.path, Page: page(() => import('./pages/BulkJobPage')) },
  {
    path: APP_PAGES.user.path,
    Page: page(() => import('./pages/UserPage')),
    prefetch: ({ userToken }) => {
      void queryClient.prefetchQuery(userQueryOptions(userToken!));
      void queryClient.prefetchQuery(walletsQueryOptions(userToken!));
    },
  },
  {
    path: APP_PAGES.wallet.path,
    Page: page(() => import('./pages/WalletPage')),
    prefetch: ({ userToken, walletToken }) => {
      void queryClient.prefetchQuery(userQueryOptions(userToken!));
      void queryClient.prefetchQuery(walletsQueryOptions(userToken!));
      // The wallet's change history beside the rules, not once the page renders (issue 14's budget). Its
      // code is a chunk of its own, loaded beside the page's: the entry does not carry its schemas.
      void import('./features/history/api/wallet-history').then(
        ({ walletHistoryQueryOptions }) => queryClient.prefetchQuery(walletHistoryQueryOptions(userToken!, walletToken!, 1)),
        () => undefined, // a chunk that does not load shows in the history section, which needs it too
      );
      // The destination names follow as soon as the rules arrive, without waiting for a render.
      void Promise.all([queryClient.fetchQuery(autopayRulesQueryOptions(userToken!, walletToken!)), import('./features/catalog/api/get-service')]).then(
        ([rules, { serviceQueryOptions }]) => rules.forEach((rule) => void queryClient.prefetchQuery(serviceQueryOptions(rule.destination_token))),
        () => undefined,
      );
    },
  },
];

/**
 * Starts the code and the data of the page at `location` (on every navigation, and in main.tsx before
 * the first render); resolves when the page's code is in, failed or not (its error shows in the page).
 */
export const preloadRoute = (location: { pathname: string }): Promise<unknown> =>
  Promise.all(
    (matchRoutes(APP_ROUTES, location) ?? []).map((match) => {
      const route = match.route as AppRoute;
      route.prefetch?.(match.params);
      return route.Page.preload().catch(() => undefined);
    }),
  );
