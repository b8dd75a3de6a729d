import { ThemeProvider } from '@mui/material/styles';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, type RenderOptions } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactElement } from 'react';
import { MemoryRouter } from 'react-router';
import { StatusRegionProvider } from '../components/StatusRegion';
import { theme } from '../theme/theme';

export interface RenderAppOptions extends Omit<RenderOptions, 'wrapper' | 'queries'> {
  /** Where the MemoryRouter starts. */
  route?: string;
}

/**
 * Renders `ui` as the app would: a fresh QueryClient (no retries, so a failure shows at once), the
 * page's status region, the MUI theme and a router. Returns a `userEvent` session as `user`.
 */
export const renderApp = (ui: ReactElement, { route = '/', ...options }: RenderAppOptions = {}) => {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const user = userEvent.setup();
  const result = render(
    <ThemeProvider theme={theme}>
      <QueryClientProvider client={queryClient}>
        <StatusRegionProvider>
          <MemoryRouter initialEntries={[route]}>{ui}</MemoryRouter>
        </StatusRegionProvider>
      </QueryClientProvider>
    </ThemeProvider>,
    options,
  );
  return { ...result, user, queryClient };
};
