import { AUDIT_ACTIONS, AUDIT_PAGE_SIZES, TOKEN_PATTERNS, type AuditFilters } from '../../../api';
import { readDate, readOneOf, readPage } from '../../lib/url-view';

export type { AuditFilters };

export interface AuditView {
  filters: AuditFilters;
  /** From 1. */
  page: number;
  limit: number;
}

export const DEFAULT_LIMIT = 25;
export const FILTERS = ['user', 'wallet', 'destination', 'rule', 'staff', 'action', 'from', 'to'] as const;

/** The view in the URL; what makes no sense there (a hand-edited link) falls back to its default. */
export const readAuditView = (params: URLSearchParams): AuditView => {
  const filters: AuditFilters = {};
  const user = params.get('user')?.trim();
  if (user && TOKEN_PATTERNS.user.test(user)) filters.user = user;
  for (const key of ['wallet', 'destination', 'rule'] as const) {
    const token = params.get(key)?.trim();
    if (token && TOKEN_PATTERNS[key].test(token)) filters[key] = token;
  }
  const staff = params.get('staff')?.trim().toLowerCase();
  if (staff && staff.length <= 254) filters.staff = staff;
  const action = readOneOf(params.get('action'), AUDIT_ACTIONS);
  if (action) filters.action = action;
  for (const key of ['from', 'to'] as const) {
    const value = readDate(params.get(key));
    if (value) filters[key] = value;
  }
  return { filters, page: readPage(params.get('page')), limit: readOneOf(params.get('limit'), AUDIT_PAGE_SIZES) ?? DEFAULT_LIMIT };
};

/** The filters as search params (only those set), in one fixed order. */
export const filterParams = (filters: AuditFilters): URLSearchParams => {
  const params = new URLSearchParams();
  for (const key of FILTERS) {
    const value = filters[key];
    if (value) params.set(key, value);
  }
  return params;
};

/** The whole view as search params: defaults (page 1, 25 per page) are left out. */
export const viewParams = ({ filters, page, limit }: AuditView): URLSearchParams => {
  const params = filterParams(filters);
  if (page > 1) params.set('page', String(page));
  if (limit !== DEFAULT_LIMIT) params.set('limit', String(limit));
  return params;
};

/** `GET /api/audit/export?<filters>`: every matching entry as CSV. */
export const auditExportHref = (filters: AuditFilters): string => {
  const query = filterParams(filters).toString();
  return `/api/audit/export${query ? `?${query}` : ''}`;
};
