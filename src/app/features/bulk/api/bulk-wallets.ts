import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { BULK_ROUTES, bulkWalletPageSchema } from '../../../../api';
import { request } from '../../../lib/http';
import { queryKeys } from '../../../lib/query-keys';
import { bulkJobPath } from './bulk-job';

/** `GET /api/console/bulk/{id}/wallets?page=`: each wallet the job touches, its rules at the dry run and after it. */
export const bulkWalletsPath = (jobId: string, page: number) => `${bulkJobPath(BULK_ROUTES.wallets, jobId)}${page > 1 ? `?page=${page}` : ''}`;

export const bulkWalletsQueryOptions = (jobId: string, page: number) =>
  queryOptions({
    queryKey: queryKeys.bulkWallets(jobId, page),
    queryFn: ({ signal }) => request(bulkWalletPageSchema, bulkWalletsPath(jobId, page), { signal }),
    staleTime: 5_000,
  });

/** A page of the job's wallets (none until its dry run is done). */
export const useBulkWallets = (jobId: string, page: number, { enabled = true } = {}) =>
  useQuery({ ...bulkWalletsQueryOptions(jobId, page), placeholderData: keepPreviousData, enabled });
