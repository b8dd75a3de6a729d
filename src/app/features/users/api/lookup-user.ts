import { queryOptions, useQuery } from '@tanstack/react-query';
import { lookupUser, type BrowserFoundUser } from '../../../../api';
import { apiCall } from '../../../lib/api-client';
import { STALE } from '../../../lib/query-client';
import { queryKeys } from '../../../lib/query-keys';

/** The two ways MassPay finds a user (#8): email and first name together, or the client's own ID. */
export type UserLookup = { email: string; first_name: string } | { internal_user_id: string };

export const fetchLookupUser = (lookup: UserLookup, signal?: AbortSignal): Promise<BrowserFoundUser> => apiCall(lookupUser, { query: lookup, signal });

/** #8. A miss is a 404 `ApiError` (not retried: the shared client retries only transient failures). */
export const lookupUserQueryOptions = (lookup: UserLookup) =>
  queryOptions({
    queryKey: queryKeys.userLookup(lookup),
    queryFn: ({ signal }) => fetchLookupUser(lookup, signal),
    staleTime: STALE.user,
  });

const NOTHING: UserLookup = { internal_user_id: '' };

/** The lookup of `lookup`, or an idle query while nothing has been asked. */
export const useLookupUser = (lookup: UserLookup | undefined) => useQuery({ ...lookupUserQueryOptions(lookup ?? NOTHING), enabled: lookup !== undefined });
