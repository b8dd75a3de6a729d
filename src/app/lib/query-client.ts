import { QueryClient } from '@tanstack/react-query';
import { isApiError } from './api-error';

/** How long data is fresh: rules change often, people rarely, the payout catalog hardly at all. */
export const STALE = {
  rules: 5_000,
  wallets: 30_000,
  user: 60_000,
  catalog: 60 * 60_000,
  /** The console's settings change with a deploy, not during a visit. */
  settings: 30 * 60_000,
} as const;

/**
 * One retry for a network failure or a 5xx (the server already retried MassPay twice for reads);
 * none for a 4xx, which would only fail again. Changes are never retried automatically: a person
 * retries them, with the same Idempotency-Key.
 */
export const createQueryClient = () =>
  new QueryClient({
    defaultOptions: {
      queries: {
        retry: (failures, error) => failures < 1 && (!isApiError(error) || error.isTransient),
        retryDelay: 500,
        staleTime: STALE.wallets,
      },
      mutations: { retry: false },
    },
  });

export const queryClient = createQueryClient();
