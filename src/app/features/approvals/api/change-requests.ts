import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { APPROVAL_ROUTES, changeRequestPageSchema, changeRequestSchema, type ChangeRequest, type ChangeRequestStatus } from '../../../../api';
import { request } from '../../../lib/http';
import { queryKeys } from '../../../lib/query-keys';
import { refreshAfterRequest } from '../held-change';

export interface ChangeRequestFilters {
  status?: ChangeRequestStatus;
  user?: string;
  wallet?: string;
  /** From 1. */
  page?: number;
}

/** `GET /api/console/change-requests?status=&user=&wallet=&page=`: pending first, then newest first, 25 a page. */
export const changeRequestsPath = (filters: ChangeRequestFilters) => {
  const search = new URLSearchParams();
  for (const key of ['status', 'user', 'wallet'] as const) if (filters[key]) search.set(key, filters[key]);
  if (filters.page && filters.page > 1) search.set('page', String(filters.page));
  const query = search.toString();
  return query ? `${APPROVAL_ROUTES.list}?${query}` : APPROVAL_ROUTES.list;
};

export const changeRequestsQueryOptions = (filters: ChangeRequestFilters) =>
  queryOptions({
    queryKey: queryKeys.changeRequests({ ...filters }),
    queryFn: ({ signal }) => request(changeRequestPageSchema, changeRequestsPath(filters), { signal }),
    staleTime: 10_000,
  });

/** A page of change requests; while the next page or filter loads, the previous rows stay. */
export const useChangeRequests = (filters: ChangeRequestFilters, { enabled = true } = {}) =>
  useQuery({ ...changeRequestsQueryOptions(filters), placeholderData: keepPreviousData, enabled });

/** How many changes wait for a second person, console-wide (the app bar's count); checked again each minute. */
export const usePendingCount = ({ enabled = true } = {}) =>
  useQuery({ ...changeRequestsQueryOptions({ status: 'pending' }), select: (page) => page.pendingCount, refetchInterval: 60_000, enabled });

export type Decision = 'approve' | 'reject' | 'withdraw';

export interface DecideVariables {
  request: ChangeRequest;
  decision: Decision;
  comment?: string;
  /** Approve again after the wallet's rules changed since the request: the fingerprint of the rules the approver saw. */
  confirmRulesFingerprint?: string;
}

const decisionPath = (decision: Decision, id: string) => APPROVAL_ROUTES[decision].replace('{id}', encodeURIComponent(id));

/**
 * Approves, rejects or withdraws a change request (`POST …/{id}/approve|reject|withdraw`). The server
 * decides who may; an approval carries the change out. Afterwards, or after any refusal (someone else
 * decided first), the lists and the wallet's rules and history are read again.
 */
export const useDecideChangeRequest = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ request: held, decision, comment, confirmRulesFingerprint }: DecideVariables) => {
      const text = comment?.trim();
      const body =
        decision === 'withdraw' ? undefined : { ...(text ? { comment: text } : {}), ...(confirmRulesFingerprint ? { confirmRulesFingerprint } : {}) };
      return request(changeRequestSchema, decisionPath(decision, held.id), { method: 'POST', body: body ?? {} });
    },
    // Not awaited: the caller's own callbacks (the status message) must run before the refreshed list may
    // unmount the table that holds this mutation (the last pending request decided).
    onSettled: (_answer, _error, { request: held }) => void refreshAfterRequest(queryClient, held.userToken, held.walletToken),
  });
};
