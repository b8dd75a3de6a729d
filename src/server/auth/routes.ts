import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { loginInputSchema, PROBLEM_TYPES, zodFieldIssues } from '../../api';
import { sendProblem } from '../problem';
import type { EndedSessions } from './ended-sessions';
import { verifyPassword } from './passwords';
import { publicProfile, type StaffDirectory } from './staff-file';

export interface LoginLimits {
  /** Failed sign-ins allowed per client address, then per account, in each window. */
  perIp: number;
  perAccount: number;
  windowMs: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perIp: 30, perAccount: 5, windowMs: 15 * 60_000 };

const GENERIC_FAILURE = 'The email or password is not right.';

/**
 * DESIGN §7: `POST /auth/login`, `POST /auth/logout`, `GET /auth/me`. Only failed sign-ins count
 * towards the limits (per address and per account, by @fastify/rate-limit's store); a wrong email and
 * a wrong password get the same answer in the same time (a decoy hash is checked when there is no
 * account).
 */
export const registerAuthRoutes = (
  app: FastifyInstance,
  {
    staff,
    limits,
    now,
    ended,
    absoluteMs,
  }: {
    staff: StaffDirectory;
    limits: LoginLimits;
    now: () => number;
    /** Where sign-outs go; absent behind an identity proxy, where there is no sign-in form and no session cookie. */
    ended?: EndedSessions;
    absoluteMs: number;
  },
) => {
  const passwordSignIn = ended !== undefined;
  const byIp = app.createRateLimit({ max: limits.perIp, timeWindow: limits.windowMs, keyGenerator: (request) => `ip:${request.ip}` });
  const byAccount = app.createRateLimit({
    max: limits.perAccount,
    timeWindow: limits.windowMs,
    keyGenerator: (request) => `account:${(request.body as { email: string }).email}`,
  });

  const tooMany = (request: FastifyRequest, reply: FastifyReply, seconds: number) => {
    reply.header('retry-after', String(Math.max(1, seconds)));
    return sendProblem(request, reply, 429, {
      type: PROBLEM_TYPES.tooManyAttempts,
      detail: `Too many failed sign-ins. Wait ${Math.ceil(seconds / 60)} minute(s) and try again.`,
    });
  };

  app.post('/auth/login', async (request, reply) => {
    if (!passwordSignIn) {
      return sendProblem(request, reply, 404, { type: PROBLEM_TYPES.notFound, detail: "Sign-in is done by your company's identity proxy." });
    }
    const input = loginInputSchema.safeParse(request.body);
    if (!input.success) return sendProblem(request, reply, 400, { type: PROBLEM_TYPES.validation, detail: 'Enter an email and a password.', issues: zodFieldIssues(input.error) });
    request.body = input.data;

    for (const limiter of [byIp, byAccount]) {
      // Looked at, not counted: only failures count. At the limit, even the right password waits.
      const state = await limiter(request, { increment: false });
      if (!state.isAllowed && (state.isExceeded || state.remaining <= 0)) return tooMany(request, reply, state.ttlInSeconds);
    }
    const account = staff.get(input.data.email);
    if (!(await verifyPassword(input.data.password, account?.passwordHash)) || !account) {
      await Promise.all([byIp(request), byAccount(request)]);
      request.log.info({ staff: input.data.email }, 'sign-in refused');
      return sendProblem(request, reply, 401, { type: PROBLEM_TYPES.unauthenticated, title: 'Sign-in failed', detail: GENERIC_FAILURE });
    }
    // A fresh session object: nothing from before sign-in is carried over (session fixation).
    const at = now();
    request.session.regenerate();
    request.session.set('sid', randomUUID());
    request.session.set('email', account.email);
    request.session.set('iat', at);
    request.session.set('seen', at);
    request.log.info({ staff: account.email, role: account.role }, 'signed in');
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
        request.log.error({ err: error, staff: request.staff.email }, 'sign-out: the session could not be listed as ended; a copy of its cookie stays valid until it expires');
      }
    }
    request.session.delete();
    request.log.info({ staff: request.staff?.email }, 'signed out');
    return reply.code(204).send();
  });

  app.get('/auth/me', async (request, reply) => {
    if (!request.staff) return sendProblem(request, reply, 401, { type: PROBLEM_TYPES.unauthenticated, title: 'Sign-in required', detail: 'Nobody is signed in.' });
    return request.staff;
  });
};
