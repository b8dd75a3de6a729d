import type { QueryClient } from '@tanstack/react-query';
import { z } from 'zod/mini';
import { changeRequestSchema, type ChangeRequest } from '../../../api';

/**
 * With `APPROVAL_POLICY` on, a change route may answer 202 with a change request instead of the rule:
 * the change waits for a second person. `answer` is then that request.
 */
export const isChangeRequest = (answer: object): answer is ChangeRequest => 'rulesFingerprint' in answer && 'status' in answer;

/** A change route's answer: what it did (`schema`), or the change request that holds it (202). */
export const orChangeRequest = <S extends z.ZodMiniType>(schema: S) => z.union([changeRequestSchema, schema]);

/** The wallet's change history, read again after a change was tried. */
export const refreshHistory = (queryClient: QueryClient, userToken: string, walletToken: string) =>
  queryClient.invalidateQueries({ queryKey: ['users', userToken, 'wallets', walletToken, 'history'] });

/** A change request was made or decided: the lists of requests, and the wallet's rules and history, are stale. */
export const refreshAfterRequest = (queryClient: QueryClient, userToken: string, walletToken: string) =>
  Promise.all([
    queryClient.invalidateQueries({ queryKey: ['change-requests'] }),
    queryClient.invalidateQueries({ queryKey: ['users', userToken, 'wallets', walletToken, 'rules'] }),
    queryClient.invalidateQueries({ queryKey: ['users', userToken, 'wallets', walletToken, 'history'] }),
  ]);
