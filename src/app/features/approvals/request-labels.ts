import type { ChangeRequest, ChangeRequestStatus } from '../../../api';
import { formatPercent } from '../../lib/format';

const STATUSES: Record<ChangeRequestStatus, { label: string; tone: 'success' | 'warning' | 'neutral' }> = {
  pending: { label: 'Waiting for approval', tone: 'neutral' },
  // Approved, but its change has not finished (it may be approved again to finish it).
  approved: { label: 'Approved', tone: 'neutral' },
  applied: { label: 'Applied', tone: 'success' },
  failed: { label: 'Failed', tone: 'warning' },
  rejected: { label: 'Rejected', tone: 'warning' },
  withdrawn: { label: 'Withdrawn', tone: 'neutral' },
  expired: { label: 'Expired', tone: 'warning' },
};
export const requestStatus = (status: ChangeRequestStatus) => STATUSES[status] ?? { label: status, tone: 'neutral' as const };

/** What the request would do, without the destination: "Add 5 %", "Change 25 % → 20 %", "Delete 25 %". */
export const changeSummary = (request: Pick<ChangeRequest, 'action' | 'percentage' | 'previousPercentage'>): string => {
  if (request.action === 'add_rule') return `Add ${formatPercent(request.percentage ?? 0)}`;
  if (request.action === 'edit_rule')
    return request.previousPercentage === null
      ? `Change to ${formatPercent(request.percentage ?? 0)}`
      : `Change ${formatPercent(request.previousPercentage)} → ${formatPercent(request.percentage ?? 0)}`;
  return request.previousPercentage === null ? 'Delete rule' : `Delete ${formatPercent(request.previousPercentage)}`;
};

/** Still to be decided (or, once approved, to be finished): the only requests with buttons. */
export const isOpen = (request: Pick<ChangeRequest, 'status'>) => request.status === 'pending' || request.status === 'approved';
