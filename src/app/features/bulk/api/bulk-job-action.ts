import { useMutation, useQueryClient } from '@tanstack/react-query';
import { BULK_ROUTES, bulkJobSchema } from '../../../../api';
import { request } from '../../../lib/http';
import { queryKeys } from '../../../lib/query-keys';
import { bulkJobPath } from './bulk-job';

export type BulkJobAction = 'start' | 'approve' | 'reject' | 'pause' | 'resume' | 'cancel';

export interface BulkJobActionVariables {
  action: BulkJobAction;
  /** Approve and reject: an optional comment (at most 200 characters). */
  comment?: string;
}

/**
 * `POST /api/console/bulk/{id}/start|approve|reject|pause|resume|cancel`: the server answers the job as
 * it is after the move, or 409 when the job had moved on (someone else acted first). Either way the
 * job, its rows and the jobs list are read again.
 */
export const useBulkJobAction = (jobId: string) => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ action, comment }: BulkJobActionVariables) => {
      const text = comment?.trim();
      const body = action === 'approve' || action === 'reject' ? (text ? { comment: text } : {}) : undefined;
      return request(bulkJobSchema, bulkJobPath(BULK_ROUTES[action], jobId), { method: 'POST', body });
    },
    onSuccess: (job) => queryClient.setQueryData(queryKeys.bulkJob(jobId), job),
    // Not awaited: the caller's own callbacks (the status message) run at once.
    onSettled: () => void queryClient.invalidateQueries({ queryKey: ['bulk'] }),
  });
};
