import { useMutation, useQueryClient } from '@tanstack/react-query';
import { BULK_ROUTES, bulkUploadAnswerSchema, bulkUploadProblemSchema, type BulkRefusal } from '../../../../api';
import { isApiError } from '../../../lib/api-error';
import { request } from '../../../lib/http';

/** The longest file name the server keeps (`?name=`). */
const NAME_MAX = 200;

/**
 * `POST /api/console/bulk?name=` with the file's bytes as `text/csv`: the server checks the whole file
 * and answers 202 with the new job (its dry run starts on the server), or 400 with every refusal.
 * The bytes go as they are, so the server sees a BOM, a NUL or bytes that are not UTF-8 itself.
 */
export const uploadBulkCsv = async (file: File): Promise<{ id: string }> => {
  const name = file.name.slice(0, NAME_MAX) || 'upload.csv';
  const data = await file.arrayBuffer();
  return request(bulkUploadAnswerSchema, `${BULK_ROUTES.jobs}?name=${encodeURIComponent(name)}`, { method: 'POST', content: { type: 'text/csv', data } });
};

/** Every refusal of a refused file (its line and column), when `error` is the server's answer naming them. */
export const uploadRefusals = (error: unknown): BulkRefusal[] => {
  if (!isApiError(error)) return [];
  const parsed = bulkUploadProblemSchema.safeParse(error.body);
  return parsed.success ? parsed.data.refusals : [];
};

/** Uploads a CSV; once the job exists, the jobs list is read again. */
export const useUploadBulkCsv = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: uploadBulkCsv,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['bulk', 'jobs'] }),
  });
};
