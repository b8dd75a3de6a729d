// `POST /api/console/users/{user_token}/verify-caller` `{"date_of_birth": "YYYY-MM-DD"}` → `{"matches": bool}`.
// The browser never gets a payee's date of birth (the user answer drops it); staff type the date a caller
// gives, and the server compares it with MassPay's. Every role may ask (it changes nothing and tells one
// bit), but each payee's tries are limited (verify-caller-limit.ts) and each try is recorded first.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod/mini';
import {
  PROBLEM_TYPES,
  toRouterPath,
  userTokenSchema,
  VERIFY_CALLER_ROUTE,
  verifyCallerInputSchema,
  zodFieldIssues,
  type AuditOutcome,
  type VerifyCallerResult,
} from '../api';
import { refuse } from './api-request';
import { underApiPrefix } from './api-target';
import { answerOnceRecorded } from './audited-answer';
import type { AuditStore } from './audit/store';
import { auditOutcomeOf, type MassPayReader } from './masspay-read';
import { sendProblem } from './problem';
import { createVerifyCallerLimit, type VerifyCallerLimits } from './verify-caller-limit';

/** The raw path, its token still encoded: nothing decoded is trusted. */
const PATH = /^\/api\/console\/users\/([^/?#%\\]+)\/verify-caller(\?.*)?$/;

/** All the server reads of MassPay's user: its date of birth (a date, or a date-time whose date counts). */
const heldDateSchema = z.object({ date_of_birth: z.optional(z.string()) });
const dayOf = (value: string | undefined) => (value && /^\d{4}-\d{2}-\d{2}(?:$|T)/.test(value) ? value.slice(0, 10) : undefined);

const WHAT = 'Caller checks';

export const registerVerifyCaller = (
  app: FastifyInstance,
  { audit, readMassPay, limits }: { audit: AuditStore; readMassPay: MassPayReader; limits?: VerifyCallerLimits },
) => {
  const limit = createVerifyCallerLimit(audit.sql, limits);

  app.post(
    underApiPrefix(toRouterPath(VERIFY_CALLER_ROUTE)),
    { bodyLimit: 1024, config: { permission: 'verifyCaller' } },
    async (request: FastifyRequest, reply: FastifyReply) => {
      const match = PATH.exec(request.raw.url!);
      if (!match) return refuse(request, reply, 'The path holds an encoded character, a backslash, or an empty segment.');
      if (match[2] !== undefined) return refuse(request, reply, 'This route takes no query.');
      const user = userTokenSchema.safeParse(match[1]);
      if (!user.success)
        return refuse(
          request,
          reply,
          'A token in the path is malformed.',
          zodFieldIssues(user.error).map((issue) => ({ ...issue, field: 'user_token' })),
        );
      const body = verifyCallerInputSchema.safeParse(request.body);
      if (!body.success) return refuse(request, reply, 'The request body is not valid.', zodFieldIssues(body.error));

      const userToken = user.data;
      const answer = (outcome: AuditOutcome, masspayStatus: number | null, then: () => unknown) =>
        answerOnceRecorded(audit, request, reply, { action: 'verify_caller', userToken, walletToken: '', outcome, masspayStatus }, WHAT, then);

      // Counted before MassPay is asked, so a burst cannot get more tries than the limit.
      const verdict = await limit.take(userToken);
      if (!verdict.allowed) {
        reply.header('retry-after', String(verdict.retryAfterSeconds));
        const minutes = Math.ceil(verdict.retryAfterSeconds / 60);
        const tooMany = () =>
          sendProblem(request, reply, 429, {
            type: PROBLEM_TYPES.tooManyAttempts,
            detail: `This payee's date of birth was tried too often. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}, or verify the caller another way.`,
          });
        // Only the first refused try of a window is recorded: a loop of refused tries must not fill the append-only log.
        if (!verdict.firstRefused) return tooMany();
        return answer('blocked', null, tooMany);
      }

      const read = await readMassPay(request, `/payout/user/${userToken}`, 'getUser');
      if (!read.ok) return answer(auditOutcomeOf(read), read.masspayStatus, () => sendProblem(request, reply, read.status, read.problem));
      const held = heldDateSchema.safeParse(read.json);
      if (!held.success) {
        return answer('failed', read.status, () =>
          sendProblem(request, reply, 502, { type: PROBLEM_TYPES.upstreamInvalid, detail: 'MassPay sent a user the console cannot read.' }),
        );
      }
      const onFile = dayOf(held.data.date_of_birth);
      if (!onFile) {
        return answer('failed', read.status, () =>
          sendProblem(request, reply, 422, {
            type: PROBLEM_TYPES.callerUnverifiable,
            title: 'Cannot verify by date of birth',
            detail: 'MassPay holds no date of birth for this payee: verify the caller another way.',
          }),
        );
      }
      const matches = onFile === body.data.date_of_birth;
      return answer(matches ? 'succeeded' : 'refused', read.status, (): VerifyCallerResult => ({ matches }));
    },
  );
};
