import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import type { StaffMember } from '../../api';
import { isApiError, isUnauthenticated } from './api-error';
import { isSessionKey, queryKeys } from './query-keys';

/** How long data is fresh: rules change often, people rarely, the payout catalog hardly at all. */
export const STALE = {
  rules: 5_000,
  wallets: 30_000,
  user: 60_000,
  catalog: 60 * 60_000,
  /** The console's settings change with a deploy, not during a visit. */
  settings: 30 * 60_000,
} as const;

export interface QueryClientOptions {
  /** Milliseconds before a transient failure is tried again (500). Tests set 0 so as not to wait; the policy stays. */
  retryDelay?: number;
}

/**
 * The app's one query client (route loaders, the app and the component tests use it).
 * One retry for a network failure or a 5xx (the server already retried MassPay twice for reads);
 * none for a 4xx, which would only fail again. Changes are never retried automatically: a person
 * retries them, with the same Idempotency-Key. A 401 from any query or change but the session's own
 * means the session expired meanwhile: nobody is signed in any more, and the session gate sends the
 * person to sign in.
 */
export const createQueryClient = ({ retryDelay = 500 }: QueryClientOptions = {}): QueryClient => {
  const expireOn = (error: unknown, key: readonly unknown[] | undefined) => {
    if (!isSessionKey(key) && isUnauthenticated(error)) client.setQueryData<StaffMember | null>(queryKeys.session(), null);
  };
  const client = new QueryClient({
    queryCache: new QueryCache({ onError: (error, query) => expireOn(error, query.queryKey) }),
    mutationCache: new MutationCache({ onError: (error, _variables, _onMutateResult, mutation) => expireOn(error, mutation.options.mutationKey) }),
    defaultOptions: {
      queries: {
        retry: (failures, error) => failures < 1 && (!isApiError(error) || error.isTransient),
        retryDelay,
        staleTime: STALE.wallets,
      },
      mutations: { retry: false },
    },
  });
  return client;
};

export const queryClient = createQueryClient();
