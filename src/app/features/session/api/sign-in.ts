import { useMutation, useQueryClient } from '@tanstack/react-query';
import { CONSOLE_ROUTES, staffMemberSchema, type LoginInput } from '../../../../api';
import { request } from '../../../lib/http';
import { queryKeys } from '../../../lib/query-keys';
import { startStaffSession } from '../staff-data';

/** `POST /auth/login`: on success the server sets the session cookie and answers who signed in. */
export const useSignIn = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: queryKeys.signIn(),
    mutationFn: (input: LoginInput) => request(staffMemberSchema, CONSOLE_ROUTES.login, { method: 'POST', body: input }),
    onSuccess: (staff) => startStaffSession(queryClient, staff),
  });
};
