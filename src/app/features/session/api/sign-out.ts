import { useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod/mini';
import { CONSOLE_ROUTES } from '../../../../api';
import { isApiError } from '../../../lib/api-error';
import { request } from '../../../lib/http';
import { queryKeys } from '../../../lib/query-keys';
import { endStaffSession } from '../staff-data';

/**
 * `POST /auth/logout` (204, cookie cleared); nothing of this staff member is left, and the session
 * gate sends to `/login` (without a `next`: the next person starts from the home page).
 */
export const useSignOut = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: queryKeys.signOut(),
    mutationFn: async () => {
      try {
        await request(z.unknown(), CONSOLE_ROUTES.logout, { method: 'POST' });
      } catch (error) {
        // Already signed out (the session had expired): that is what was asked.
        if (!(isApiError(error) && error.status === 401)) throw error;
      }
    },
    onSuccess: () => endStaffSession(queryClient),
  });
};
