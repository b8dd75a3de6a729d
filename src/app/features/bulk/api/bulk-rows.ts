import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { BULK_ROUTES, bulkRowPageSchema, type BulkOutcome, type BulkVerdict } from '../../../../api';
import { request } from '../../../lib/http';
import { queryKeys } from '../../../lib/query-keys';
import { bulkJobPath } from './bulk-job';

export interface BulkRowFilters {
  verdict?: BulkVerdict;
  outcome?: BulkOutcome;
  /** From 1. */
  page: number;
}

/** `GET /api/console/bulk/{id}/rows?verdict=&outcome=&page=`: the job's rows in line order. */
export const bulkRowsPath = (jobId: string, { verdict, outcome, page }: BulkRowFilters) => {
  const search = new URLSearchParams();
  if (verdict) search.set('verdict', verdict);
  if (outcome) search.set('outcome', outcome);
  if (page > 1) search.set('page', String(page));
  const query = search.toString();
  return `${bulkJobPath(BULK_ROUTES.rows, jobId)}${query ? `?${query}` : ''}`;
};

/** `stage`: where the job stands (its status); a new stage is read anew, as its rows got verdicts or outcomes. */
export const bulkRowsQueryOptions = (jobId: string, filters: BulkRowFilters, stage = '') =>
  queryOptions({
    queryKey: queryKeys.bulkRows(jobId, { ...filters, stage }),
    queryFn: ({ signal }) => request(bulkRowPageSchema, bulkRowsPath(jobId, filters), { signal }),
    staleTime: 1_000,
  });

/** A page of a job's rows at the job's `stage`; read again every `refetchMs` while the job works on them (their outcomes arrive). */
export const useBulkRows = (jobId: string, filters: BulkRowFilters, { stage, refetchMs }: { stage: string; refetchMs: number | false }) =>
  useQuery({ ...bulkRowsQueryOptions(jobId, filters, stage), placeholderData: keepPreviousData, refetchInterval: refetchMs });
