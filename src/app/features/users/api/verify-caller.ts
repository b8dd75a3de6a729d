import { useMutation } from '@tanstack/react-query';
import { verifyCallerPath, verifyCallerResultSchema, type VerifyCallerInput } from '../../../../api';
import { request } from '../../../lib/http';
import { queryKeys } from '../../../lib/query-keys';

/**
 * Asks the server whether the date a caller gives is the payee's date of birth
 * (`POST /api/console/users/{user}/verify-caller`). The answer is only "matches" or not; the date
 * MassPay holds never reaches the browser. Each try counts against the payee's limit and is audited.
 */
export const useVerifyCaller = (userToken: string) =>
  useMutation({
    mutationKey: queryKeys.verifyCaller(userToken),
    mutationFn: (date_of_birth: string) =>
      request(verifyCallerResultSchema, verifyCallerPath(userToken), { method: 'POST', body: { date_of_birth } satisfies VerifyCallerInput }),
  });
