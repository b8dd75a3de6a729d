import { hashKey, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { queryKeys } from '../../lib/query-keys';

const SESSION = hashKey(queryKeys.session());

/**
 * Calls `onEnd` as soon as the session is found over: signed out, expired (a 401 anywhere), or
 * refused by `/auth/me`. Every one of these leaves `null` as who is signed in.
 */
export const useSessionEnd = (onEnd: () => void) => {
  const queryClient = useQueryClient();
  useEffect(
    () =>
      queryClient.getQueryCache().subscribe((event) => {
        if (event.type === 'updated' && event.action.type === 'success' && event.query.queryHash === SESSION && event.query.state.data === null) onEnd();
      }),
    [queryClient, onEnd],
  );
};
