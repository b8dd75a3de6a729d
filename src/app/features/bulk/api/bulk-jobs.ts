import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { BULK_ROUTES, bulkJobPageSchema } from '../../../../api';
import { request } from '../../../lib/http';
import { queryKeys } from '../../../lib/query-keys';
import { BULK_POLL_MS, isJobWorking } from './bulk-job';

/** `GET /api/console/bulk?page=`: the bulk jobs, newest first. */
export const bulkJobsPath = (page: number) => (page > 1 ? `${BULK_ROUTES.jobs}?page=${page}` : BULK_ROUTES.jobs);

export const bulkJobsQueryOptions = (page: number) =>
  queryOptions({
    queryKey: queryKeys.bulkJobs(page),
    queryFn: ({ signal }) => request(bulkJobPageSchema, bulkJobsPath(page), { signal }),
    staleTime: 5_000,
  });

/** A page of bulk jobs; while the next page loads, the previous rows stay. Read again every few seconds while one of them resolves or runs. */
export const useBulkJobs = (page: number) =>
  useQuery({
    ...bulkJobsQueryOptions(page),
    placeholderData: keepPreviousData,
    refetchInterval: (query) => (query.state.data?.items.some(isJobWorking) ? 3 * BULK_POLL_MS : false),
  });
