import { ThemeProvider } from '@mui/material/styles';
import { QueryClientProvider } from '@tanstack/react-query';
import { render, type RenderOptions } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactElement } from 'react';
import { MemoryRouter, useLocation, type Location } from 'react-router';
import { StatusRegionProvider } from '../../src/app/components/StatusRegion';
import { createQueryClient } from '../../src/app/lib/query-client';
import { theme } from '../../src/app/theme/theme';

export interface RenderAppOptions extends Omit<RenderOptions, 'wrapper' | 'queries'> {
  /** Where the MemoryRouter starts. */
  route?: string;
  /** What the cache holds before the first render (e.g. the console's settings), keyed as `queryKeys` says. */
  cached?: readonly (readonly [queryKey: readonly unknown[], data: unknown])[];
}

/** Where the router is now, for tests to read: `${pathname}${search}`. */
const LocationSpy = ({ onChange }: { onChange: (location: Location) => void }) => {
  onChange(useLocation());
  return null;
};

/**
 * Renders `ui` as the app would: a fresh query client of the app's own (`createQueryClient`), the
 * page's status region, the MUI theme and a router. Returns a `userEvent` session as `user`.
 */
export const renderApp = (ui: ReactElement, { route = '/', cached = [], ...options }: RenderAppOptions = {}) => {
  // The app's own client and policy (one retry of a transient failure, 401s end the session), without the wait before a retry.
  const queryClient = createQueryClient({ retryDelay: 0 });
  for (const [queryKey, data] of cached) queryClient.setQueryData(queryKey, data);
  const user = userEvent.setup();
  let current: Location | undefined;
  const result = render(
    <ThemeProvider theme={theme}>
      <QueryClientProvider client={queryClient}>
        <StatusRegionProvider>
          <MemoryRouter initialEntries={[route]}>
            {ui}
            <LocationSpy onChange={(location) => void (current = location)} />
          </MemoryRouter>
        </StatusRegionProvider>
      </QueryClientProvider>
    </ThemeProvider>,
    options,
  );
  /** The router's path and search now, e.g. `/login?next=%2F`. */
  const path = () => (current ? `${current.pathname}${current.search}` : undefined);
  return { ...result, user, queryClient, path };
};
