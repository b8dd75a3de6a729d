import type { UseQueryResult } from '@tanstack/react-query';

/**
 * A page's queries seen as one: the first failure to show, and one Retry that refetches every
 * query that failed — one click brings the whole page back.
 */
export const usePageFailure = (queries: readonly UseQueryResult<unknown>[]) => {
  const failed = queries.filter((q) => q.isError);
  return {
    error: failed[0]?.error,
    retry: () => void Promise.all(failed.map((q) => q.refetch())),
  };
};
