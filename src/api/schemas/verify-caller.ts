import { z } from 'zod/mini';
import { calendarDateSchema } from '../dates';

/**
 * Caller verification (issue 16): staff type the date of birth a caller gives, the server compares it
 * with MassPay's `date_of_birth` and answers only whether it matches — the date itself never reaches
 * the browser. Rate-limited per payee and recorded in the audit log (`verify_caller`).
 */
export const VERIFY_CALLER_ROUTE = '/api/console/users/{user_token}/verify-caller';

export const verifyCallerPath = (userToken: string) => VERIFY_CALLER_ROUTE.replace('{user_token}', encodeURIComponent(userToken));

/** The date a caller gives. */
export const birthDateSchema = calendarDateSchema('Date of birth');

/** `POST` body: the date the caller gives. */
export const verifyCallerInputSchema = z.strictObject({ date_of_birth: birthDateSchema });
export type VerifyCallerInput = z.infer<typeof verifyCallerInputSchema>;

/** The whole answer: whether it matches, nothing about what MassPay holds. */
export const verifyCallerResultSchema = z.strictObject({ matches: z.boolean() });
export type VerifyCallerResult = z.infer<typeof verifyCallerResultSchema>;
