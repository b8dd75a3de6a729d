import { queryOptions, useQuery, type QueryClient } from '@tanstack/react-query';
import { CONSOLE_ROUTES, staffMemberSchema, type StaffMember } from '../../../../api';
import { isApiError } from '../../../lib/api-error';
import { request } from '../../../lib/http';
import { queryKeys } from '../../../lib/query-keys';

/** `GET /auth/me`: who is signed in, or `null` when nobody is (401). */
export const fetchSession = async ({ signal }: { signal?: AbortSignal } = {}): Promise<StaffMember | null> => {
  try {
    return await request(staffMemberSchema, CONSOLE_ROUTES.me, { signal });
  } catch (error) {
    if (isApiError(error) && error.status === 401) return null;
    throw error;
  }
};

export const sessionQueryOptions = () =>
  queryOptions({
    queryKey: queryKeys.session(),
    queryFn: fetchSession,
    // Checked again when the window comes back into focus after a while; any 401 meanwhile ends it at once.
    staleTime: 5 * 60_000,
  });

/** The signed-in staff member: `data` is a `StaffMember`, `null` when signed out, `undefined` while unknown. */
export const useSession = () => useQuery(sessionQueryOptions());

/**
 * Who is signed in, asked of the server now rather than the cache: before leaving the SPA for a plain
 * link to `/api` (a download), whose 401 nothing would catch. `null` ends the session here too.
 */
export const recheckSession = (queryClient: QueryClient) => queryClient.fetchQuery({ ...sessionQueryOptions(), staleTime: 0 });

// Whose data the cache holds: the last staff member seen signed in with this client.
const owners = new WeakMap<QueryClient, string>();
export const cacheOwner = (queryClient: QueryClient) => owners.get(queryClient);
export const setCacheOwner = (queryClient: QueryClient, email: string | undefined) =>
  void (email === undefined ? owners.delete(queryClient) : owners.set(queryClient, email));

// Clients whose staff member signed out on purpose: the gate then sends to `/login` without a `next`.
const signedOut = new WeakSet<QueryClient>();
export const markSignedOut = (queryClient: QueryClient, value: boolean) => void (value ? signedOut.add(queryClient) : signedOut.delete(queryClient));
export const isSignedOut = (queryClient: QueryClient) => signedOut.has(queryClient);

/** The session is over (expired, or refused by the server): the gate sends the person to sign in. */
export const endSession = (queryClient: QueryClient) => queryClient.setQueryData<StaffMember | null>(queryKeys.session(), null);
