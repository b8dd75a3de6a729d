import type { QueryClient } from '@tanstack/react-query';
import type { StaffMember } from '../../../api';
import { isSessionKey, queryKeys } from '../../lib/query-keys';
import { clearAllAddRuleDrafts } from '../autopay/add-rule-draft';
import { clearRecentUsers } from '../users/recent-users';
import { cacheOwner, isSignedOut, markSignedOut, setCacheOwner } from './api/get-session';

const notSession = { predicate: (query: { queryKey: readonly unknown[] }) => !isSessionKey(query.queryKey) };

/** Forgets every answer and every finished change of the staff member who used this client. */
const forgetStaffData = (queryClient: QueryClient) => {
  queryClient.removeQueries(notSession);
  const mutations = queryClient.getMutationCache();
  for (const mutation of mutations.getAll()) if (mutation.state.status !== 'pending') mutations.remove(mutation);
};

/**
 * `staff` has just signed in. Someone else's data (or data of nobody known) goes; the same person,
 * back after their session expired, keeps theirs, refreshed.
 */
export const startStaffSession = (queryClient: QueryClient, staff: StaffMember) => {
  if (cacheOwner(queryClient) === staff.email) void queryClient.invalidateQueries({ ...notSession, refetchType: 'none' });
  else forgetStaffData(queryClient);
  setCacheOwner(queryClient, staff.email);
  markSignedOut(queryClient, false);
  queryClient.setQueryData<StaffMember | null>(queryKeys.session(), staff);
};

const guarded = new WeakSet<QueryClient>();

/**
 * While signed out, an answer that still lands — a read or a prefetch that was on its way when the
 * staff member signed out — is dropped as soon as it arrives, so it cannot bring back what they saw.
 * Only queries no mounted component observes: the login page's own stay.
 */
const dropLateAnswers = (queryClient: QueryClient) => {
  if (guarded.has(queryClient)) return;
  guarded.add(queryClient);
  const cache = queryClient.getQueryCache();
  cache.subscribe((event) => {
    // An answer landing, a prefetch starting, or the last component that showed a query going away.
    if (!['updated', 'added', 'observerRemoved'].includes(event.type) || !isSignedOut(queryClient) || !notSession.predicate(event.query)) return;
    // Not from inside the cache's own notification: removed once it has finished updating.
    queueMicrotask(() => {
      if (isSignedOut(queryClient) && event.query.getObserversCount() === 0) cache.remove(event.query);
    });
  });
};

/**
 * Signed out: nothing of theirs stays in memory or in this browser's storage for the next person, the
 * recently opened users (payees' names) included.
 */
export const endStaffSession = (queryClient: QueryClient) => {
  dropLateAnswers(queryClient);
  markSignedOut(queryClient, true);
  // Reads still on their way are cancelled (their answers never stored), then everything goes.
  void queryClient.cancelQueries(notSession);
  forgetStaffData(queryClient);
  clearAllAddRuleDrafts();
  clearRecentUsers();
  setCacheOwner(queryClient, undefined);
  queryClient.setQueryData<StaffMember | null>(queryKeys.session(), null);
};
