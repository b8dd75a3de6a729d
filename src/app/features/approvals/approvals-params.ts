import { CHANGE_REQUEST_STATUSES, TOKEN_PATTERNS } from '../../../api';
import { readOneOf, readPage } from '../../lib/url-view';
import type { ChangeRequestFilters } from './api/change-requests';

/** The Approvals page's view in its URL (`?status=&wallet=&page=`); what makes no sense there falls back to its default. */
export const readApprovalsView = (params: URLSearchParams): ChangeRequestFilters & { page: number } => {
  const view: ChangeRequestFilters & { page: number } = { page: readPage(params.get('page')) };
  const status = readOneOf(params.get('status'), CHANGE_REQUEST_STATUSES);
  if (status) view.status = status;
  const wallet = params.get('wallet')?.trim();
  if (wallet && TOKEN_PATTERNS.wallet.test(wallet)) view.wallet = wallet;
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
