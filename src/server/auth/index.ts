import rateLimit from '@fastify/rate-limit';
import secureSession from '@fastify/secure-session';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LruMap } from 'toad-cache';
import type { StaffMember } from '../../api';
import { createEndedSessions, type EndedSessionStore } from './ended-sessions';
import { registerGuard } from './guard';
import { createIdentityResolver, DEFAULT_SESSION_LIMITS, type SessionLimits } from './identity';
import { warmPasswordChecks } from './passwords';
import { DEFAULT_LOGIN_LIMITS, registerAuthRoutes, type LoginLimits } from './routes';
import type { StaffDirectory } from './staff-file';

export const SESSION_COOKIE = 'console_session';

export interface AuthOptions {
  staff: StaffDirectory;
  /** 32 bytes; replicas that share it accept each other's sessions. */
  sessionKey: Buffer;
  /** `TRUSTED_AUTH_HEADER` mode: no sign-in page, the identity proxy vouches for the email. */
  trustedHeader?: { name: string; proxies: readonly string[] };
  sessionLimits?: SessionLimits;
  loginLimits?: LoginLimits;
  /** The clock; tests move it to expire sessions. */
  now?: () => number;
  /** Where sign-outs are listed for every replica (the console's database). */
  endedSessions: EndedSessionStore;
  /** How often the list is read again (default 2 s). */
  endedSessionsRefreshMs?: number;
  onForbidden?: (request: FastifyRequest, staff: StaffMember) => Promise<void>;
}

/** Decoded cookies kept: far more than the staff signed in at once (a cookie changes at most once a minute). */
const DECODED_SESSIONS = 10_000;

/**
 * The plugin decodes the session cookie (base64, secretbox, JSON) on every request, through its
 * `decodeSecureSession` decorator — a tenth of the proxy's CPU per request (`bench:proxy --cpu-prof`).
 * One cookie value always decodes to the same data, so each successful decode is kept, and every
 * request still gets a Session of its own, made from a copy by the plugin's `createSecureSession`.
 * The plugin's own expiry check is repeated on each hit; ours (idle, absolute, account) runs anyway.
 */
const decodeEachCookieOnce = (app: FastifyInstance, expirySeconds: number) => {
  const decode = app.decodeSecureSession.bind(app);
  const decoded = new LruMap<Record<string, unknown> & { __ts: number }>(DECODED_SESSIONS);
  app.decodeSecureSession = (cookie, log, sessionName) => {
    const data = cookie === undefined ? undefined : decoded.get(cookie);
    if (data && (data.__ts + expirySeconds) * 1000 > Date.now()) return app.createSecureSession({ ...data });
    const session = decode(cookie, log, sessionName);
    // `changed` after decoding means it was sealed with an older key: decoded again until rewritten.
    if (cookie !== undefined && session && !session.changed) {
      decoded.set(cookie, { ...session.data(), __ts: (session as unknown as { get(key: string): number }).get('__ts') });
    }
    return session;
  };
};

/** Sessions (an encrypted, HttpOnly, SameSite=Strict cookie), sign-in, CSRF and role checks. */
export const registerAuth = async (app: FastifyInstance, options: AuthOptions) => {
  const now = options.now ?? Date.now;
  const limits = options.sessionLimits ?? DEFAULT_SESSION_LIMITS;
  const expirySeconds = Math.ceil(limits.absoluteMs / 1000);
  await app.register(secureSession, {
    key: options.sessionKey,
    cookieName: SESSION_COOKIE,
    // The plugin's own limit backs up ours (it counts from the last write, ours from sign-in).
    expiry: expirySeconds,
    // No Max-Age: the cookie ends with the browser; `secure: 'auto'` adds Secure when the request came over TLS.
    cookie: { path: '/', httpOnly: true, sameSite: 'strict', secure: 'auto' },
  });
  decodeEachCookieOnce(app, expirySeconds);
  await app.register(rateLimit, { global: false });
  await warmPasswordChecks();

  // Behind an identity proxy there are no session cookies, so nothing to end.
  const ended = options.trustedHeader ? undefined : await createEndedSessions({ store: options.endedSessions, refreshMs: options.endedSessionsRefreshMs, log: app.log });
  if (ended) app.addHook('onClose', async () => ended.close());

  const identify = createIdentityResolver({ staff: options.staff, limits, now, trustedHeader: options.trustedHeader, ended });
  registerGuard(app, { identify, onForbidden: options.onForbidden });
  registerAuthRoutes(app, {
    staff: options.staff,
    limits: options.loginLimits ?? DEFAULT_LOGIN_LIMITS,
    now,
    ended,
    absoluteMs: limits.absoluteMs,
  });
};
