import { lazy, Suspense, useLayoutEffect } from 'react';
import { ErrorBoundary, type FallbackProps } from 'react-error-boundary';
import { Route, Routes, useLocation } from 'react-router';
import { Layout } from './components/Layout';
import { NotFoundView } from './components/NotFoundView';
import { RequireSession } from './features/session/components/RequireSession';
import { ContentShown } from './lib/after-content';
import { preloadRoute, APP_ROUTES, type AppRoute } from './routes';

// The error page loads only when a page breaks.
const RouteErrorView = lazy(() => import('./components/RouteError'));
const RouteError = (props: FallbackProps) => (
  <Suspense fallback={<div role="alert">Something went wrong.</div>}>
    <RouteErrorView {...props} />
  </Suspense>
);

/** Runs the matched route's prefetch on every navigation, while its page's code is still loading. */
const useRoutePrefetch = () => {
  const location = useLocation();
  useLayoutEffect(() => void preloadRoute(location), [location]);
};

export const App = () => {
  useRoutePrefetch();
  const location = useLocation();
  const route = ({ path, Page }: AppRoute) => (
    <Route
      key={path}
      path={path}
      element={
        // One boundary per route, reset by navigation: a broken page never takes the app down.
        <>
          <ErrorBoundary FallbackComponent={RouteError} resetKeys={[location.pathname]}>
            <Page />
          </ErrorBoundary>
          <ContentShown />
        </>
      }
    />
  );
  return (
    <Routes>
      <Route element={<Layout />}>
        {APP_ROUTES.filter((r) => r.public).map(route)}
        {/* Everything else needs a signed-in staff member. */}
        <Route element={<RequireSession />}>
          {APP_ROUTES.filter((r) => !r.public).map(route)}
          <Route
            path="*"
            element={
              <>
                <NotFoundView title="Page not found">No page of the console has this address.</NotFoundView>
                <ContentShown />
              </>
            }
          />
        </Route>
      </Route>
    </Routes>
  );
};
