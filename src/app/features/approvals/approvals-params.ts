import { CHANGE_REQUEST_STATUSES, TOKEN_PATTERNS, type ChangeRequestStatus } from '../../../api';
import type { ChangeRequestFilters } from './api/change-requests';

const MAX_PAGE = 100_000;

/** The Approvals page's view in its URL (`?status=&wallet=&page=`); what makes no sense there falls back to its default. */
export const readApprovalsView = (params: URLSearchParams): ChangeRequestFilters & { page: number } => {
  const view: ChangeRequestFilters & { page: number } = { page: 1 };
  const status = params.get('status') ?? '';
  if ((CHANGE_REQUEST_STATUSES as readonly string[]).includes(status)) view.status = status as ChangeRequestStatus;
  const wallet = params.get('wallet')?.trim();
  if (wallet && TOKEN_PATTERNS.wallet.test(wallet)) view.wallet = wallet;
  const page = params.get('page') ?? '';
  if (/^\d{1,6}$/.test(page)) view.page = Math.min(MAX_PAGE, Math.max(1, Number(page)));
  return view;
};

/** The view as search params, defaults left out. */
export const approvalsParams = (view: ChangeRequestFilters & { page: number }): URLSearchParams => {
  const params = new URLSearchParams();
  if (view.status) params.set('status', view.status);
  if (view.wallet) params.set('wallet', view.wallet);
  if (view.page > 1) params.set('page', String(view.page));
  return params;
};
