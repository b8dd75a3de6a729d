import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { loginInputSchema, PROBLEM_TYPES, zodFieldIssues } from '../../api';
import { sendProblem } from '../problem';
import type { SignInResult } from '../metrics/registry';
import type { EndedSessions } from './ended-sessions';
import { createCheckGate, type LoginLimits, type LoginThrottle } from './login-throttle';
import type { PasswordCheck } from './passwords';
import { publicProfile, type StaffDirectory } from './staff-file';

export { DEFAULT_LOGIN_LIMITS, type LoginLimits } from './login-throttle';

const GENERIC_FAILURE = 'The email or password is not right.';

const waitText = (seconds: number) => (seconds < 60 ? `${seconds} second(s)` : `${Math.ceil(seconds / 60)} minute(s)`);

/**
 * DESIGN §7: `POST /auth/login`, `POST /auth/logout`, `GET /auth/me`. Each sign-in is counted (per
 * address and per account, in the console's database; see login-throttle.ts) BEFORE its password is
 * checked, and one that the limits refuse is answered 429 unchecked. A wrong email and a wrong
 * password get the same answer in the same time (a decoy hash is checked when there is no account).
 */
export const registerAuthRoutes = (
  app: FastifyInstance,
  {
    staff,
    limits,
    throttle,
    checkPassword,
    now,
    ended,
    absoluteMs,
    onSignIn = () => {},
  }: {
    staff: StaffDirectory;
    limits: Required<LoginLimits>;
    /** Absent behind an identity proxy (no sign-in form). */
    throttle?: LoginThrottle;
    checkPassword: PasswordCheck;
    now: () => number;
    /** Where sign-outs go; absent behind an identity proxy, where there is no sign-in form and no session cookie. */
    ended?: EndedSessions;
    absoluteMs: number;
    /** Told how each password sign-in ended (the metrics). */
    onSignIn?: (result: SignInResult) => void;
  },
) => {
  // Password checks (scrypt, ~32 MiB and tens of ms each, on libuv's small thread pool) at once.
  const checks = createCheckGate(limits.maxChecksInFlight);

  const tooMany = (request: FastifyRequest, reply: FastifyReply, seconds: number) => {
    onSignIn('throttled');
    reply.header('retry-after', String(seconds));
    return sendProblem(request, reply, 429, {
      type: PROBLEM_TYPES.tooManyAttempts,
      detail: `Too many failed sign-ins. Wait ${waitText(seconds)} and try again.`,
    });
  };
  const busy = (request: FastifyRequest, reply: FastifyReply, seconds: number, detail: string) => {
    onSignIn('busy');
    reply.header('retry-after', String(seconds));
    return sendProblem(request, reply, 503, { type: PROBLEM_TYPES.tooManyAttempts, title: 'Sign-in is busy', detail });
  };
  const overloaded = (request: FastifyRequest, reply: FastifyReply) => {
    request.log.warn({ inFlight: limits.maxChecksInFlight }, 'sign-in refused: too many password checks at once');
    return busy(request, reply, 1, 'Too many sign-ins are being checked right now. Try again in a moment.');
  };

  app.post('/auth/login', async (request, reply) => {
    if (!ended || !throttle) {
      return sendProblem(request, reply, 404, { type: PROBLEM_TYPES.notFound, detail: "Sign-in is done by your company's identity proxy." });
    }
    const input = loginInputSchema.safeParse(request.body);
    if (!input.success)
      return sendProblem(request, reply, 400, {
        type: PROBLEM_TYPES.validation,
        detail: 'Enter an email and a password.',
        issues: zodFieldIssues(input.error),
      });
    const { email, password } = input.data;
    // Full already: nothing is counted, nothing is checked.
    if (checks.full) return overloaded(request, reply);

    let verdict: Awaited<ReturnType<LoginThrottle['count']>>;
    try {
      verdict = await throttle.count(request.ip, email);
    } catch (error) {
      // Unlimited guessing is not the fallback: without the counters there is no sign-in.
      request.log.error({ err: error, staff: email }, 'sign-in refused: the attempt could not be counted');
      return busy(request, reply, 5, 'Sign-in is unavailable for a moment. Try again shortly.');
    }
    if (!verdict.counted) {
      request.log.info({ staff: email }, 'sign-in refused: too many attempts');
      return tooMany(request, reply, verdict.retryAfterSeconds);
    }
    if (!checks.tryEnter()) {
      await verdict.attempt.cancel().catch((error: unknown) => request.log.error({ err: error }, 'sign-in: an unchecked attempt could not be taken back'));
      return overloaded(request, reply);
    }
    const account = staff.get(email);
    let right: boolean;
    try {
      right = await checkPassword(password, account?.passwordHash);
    } finally {
      checks.leave();
    }
    if (!right || !account) {
      // Already counted as a failure, before the check.
      request.log.info({ staff: email }, 'sign-in refused');
      onSignIn('failure');
      return sendProblem(request, reply, 401, { type: PROBLEM_TYPES.unauthenticated, title: 'Sign-in failed', detail: GENERIC_FAILURE });
    }
    // Its failures are forgotten; if the database cannot say so now they run out on their own.
    await verdict.attempt.succeeded().catch((error: unknown) => request.log.error({ err: error, staff: email }, 'sign-in: the failures could not be reset'));
    // A fresh session object: nothing from before sign-in is carried over (session fixation).
    const at = now();
    request.session.regenerate();
    request.session.set('sid', randomUUID());
    request.session.set('email', account.email);
    request.session.set('iat', at);
    request.session.set('seen', at);
    request.log.info({ staff: account.email, role: account.role }, 'signed in');
    onSignIn('success');
    return publicProfile(account);
  });

  app.post('/auth/logout', async (request, reply) => {
    if (!ended) return reply.code(204).send();
    const sid = request.session.get('sid');
    // Only a live session is listed: a forged or expired cookie needs nothing ending.
    if (request.staff && typeof sid === 'string') {
      try {
        await ended.end(sid, new Date((request.session.get('iat') ?? now()) + absoluteMs));
      } catch (error) {
        // The browser is signed out all the same (its cookie is cleared below).
        request.log.error(
          { err: error, staff: request.staff.email },
          'sign-out: the session could not be listed as ended; a copy of its cookie stays valid until it expires',
        );
      }
    }
    request.session.delete();
    request.log.info({ staff: request.staff?.email }, 'signed out');
    return reply.code(204).send();
  });

  app.get('/auth/me', async (request, reply) => {
    if (!request.staff)
      return sendProblem(request, reply, 401, { type: PROBLEM_TYPES.unauthenticated, title: 'Sign-in required', detail: 'Nobody is signed in.' });
    return request.staff;
  });
};
