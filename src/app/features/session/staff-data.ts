import type { QueryClient } from '@tanstack/react-query';
import type { StaffMember } from '../../../api';
import { queryKeys } from '../../lib/query-keys';
import { clearAllAddRuleDrafts } from '../autopay/add-rule-draft';
import { cacheOwner, markSignedOut, setCacheOwner } from './api/get-session';

const notSession = { predicate: (query: { queryKey: readonly unknown[] }) => query.queryKey[0] !== 'session' };

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

/** Signed out: nothing of theirs stays in memory or in this tab's storage for the next person. */
export const endStaffSession = (queryClient: QueryClient) => {
  forgetStaffData(queryClient);
  clearAllAddRuleDrafts();
  setCacheOwner(queryClient, undefined);
  markSignedOut(queryClient, true);
  queryClient.setQueryData<StaffMember | null>(queryKeys.session(), null);
};
