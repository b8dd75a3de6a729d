import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { BULK_ROUTES, bulkJobPageSchema } from '../../../../api';
import { request } from '../../../lib/http';
import { queryKeys } from '../../../lib/query-keys';

/** `GET /api/console/bulk?page=`: the bulk jobs, newest first. */
export const bulkJobsPath = (page: number) => (page > 1 ? `${BULK_ROUTES.jobs}?page=${page}` : BULK_ROUTES.jobs);

export const bulkJobsQueryOptions = (page: number) =>
  queryOptions({
    queryKey: queryKeys.bulkJobs(page),
    queryFn: ({ signal }) => request(bulkJobPageSchema, bulkJobsPath(page), { signal }),
    staleTime: 5_000,
  });

/** A page of bulk jobs; while the next page loads, the previous rows stay. */
export const useBulkJobs = (page: number) => useQuery({ ...bulkJobsQueryOptions(page), placeholderData: keepPreviousData });
