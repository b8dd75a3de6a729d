import { queryOptions, useQuery } from '@tanstack/react-query';
import { auditPageSchema } from '../../../../api';
import { apiRequest } from '../../../lib/http';
import { queryKeys } from '../../../lib/query-keys';
import { filterParams, type AuditView } from '../audit-params';

/** `GET /api/audit?<filters>&page=&limit=`: one page of the audit log, newest first, with the total. */
export const auditLogPath = ({ filters, page, limit }: AuditView) => {
  const query = filterParams(filters);
  query.set('page', String(page));
  query.set('limit', String(limit));
  return `/audit?${query.toString()}`;
};

export const auditLogQueryOptions = (view: AuditView) =>
  queryOptions({
    queryKey: queryKeys.audit({ ...view.filters, page: view.page, limit: view.limit }),
    queryFn: ({ signal }) => apiRequest(auditPageSchema, auditLogPath(view), { signal }),
    staleTime: 10_000,
  });

/** A page of the audit log; while the next page or filter loads, the previous rows stay. */
export const useAuditLog = (view: AuditView, { enabled = true } = {}) =>
  useQuery({ ...auditLogQueryOptions(view), placeholderData: (previous) => previous, enabled });
