import { queryOptions, useQuery } from '@tanstack/react-query';
import { BULK_ROUTES, bulkJobSchema, type BulkJob } from '../../../../api';
import { request } from '../../../lib/http';
import { queryKeys } from '../../../lib/query-keys';
import { hasEnded } from '../bulk-labels';

/** `/api/console/bulk/{id}…` of one of the job routes. */
export const bulkJobPath = (route: string, jobId: string) => route.replace('{id}', encodeURIComponent(jobId));

/** While the server works on a job (its dry run, its run), the page asks how far it got about every second. */
export const BULK_POLL_MS = 1_000;

/** Whether the server is working on the job now: its numbers move without anyone acting. */
export const isJobWorking = (job: Pick<BulkJob, 'status'> | undefined) => job?.status === 'resolving' || job?.status === 'running';

export const bulkJobQueryOptions = (jobId: string) =>
  queryOptions({
    queryKey: queryKeys.bulkJob(jobId),
    queryFn: ({ signal }) => request(bulkJobSchema, bulkJobPath(BULK_ROUTES.job, jobId), { signal }),
    staleTime: 1_000,
  });

/** While a job waits for someone (a decision, Apply, Resume), someone else may act on it in another browser. */
const WAITING_POLL_MS = 10_000;

/** One job with its counts: polled every second while it resolves or runs, every 10 s while it waits, no more once it ended. */
export const useBulkJob = (jobId: string) =>
  useQuery({
    ...bulkJobQueryOptions(jobId),
    refetchInterval: ({ state: { data } }) => (isJobWorking(data) ? BULK_POLL_MS : data && !hasEnded(data.status) ? WAITING_POLL_MS : false),
  });
