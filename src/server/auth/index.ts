import secureSession from '@fastify/secure-session';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LruMap } from 'toad-cache';
import type { SqlRunner } from '../audit/db';
import type { SignInResult } from '../metrics/registry';
import { createEndedSessions, createEndedSessionStore } from './ended-sessions';
import { registerGuard } from './guard';
import { createIdentityResolver, DEFAULT_SESSION_LIMITS, type SessionLimits } from './identity';
import { createLoginThrottle, resolveLoginLimits, type LoginLimits } from './login-throttle';
import { verifyPassword, warmPasswordChecks, type PasswordCheck } from './passwords';
import { registerAuthRoutes } from './routes';
import type { StaffDirectory } from './staff-file';

export const SESSION_COOKIE = 'console_session';
/**
 * The session cookie's name over TLS: a browser keeps a `__Host-` cookie only when it is Secure, has
 * Path=/ and no Domain, so neither a plain-HTTP page nor a sibling domain can plant one.
 */
export const TLS_SESSION_COOKIE = `__Host-${SESSION_COOKIE}`;

export interface AuthOptions {
  staff: StaffDirectory;
  /** 32 bytes; replicas that share it accept each other's sessions. */
  sessionKey: Buffer;
  /** `TRUSTED_AUTH_HEADER` mode: no sign-in page, the identity proxy vouches for the email. */
  trustedHeader?: { name: string; proxies: readonly string[] };
  sessionLimits?: SessionLimits;
  /** Sign-in limits; what is left out keeps its default (login-throttle.ts). */
  loginLimits?: LoginLimits;
  /** The clock; tests move it to expire sessions and sign-in delays. */
  now?: () => number;
  /** The console's database: sign-outs are listed there for every replica (ended-sessions.ts), sign-in attempts counted (login-throttle.ts). */
  db: SqlRunner;
  /** How often the list is read again (default 2 s). */
  endedSessionsRefreshMs?: number;
  /** How a password is checked (default scrypt, `verifyPassword`); tests count the checks. */
  checkPassword?: PasswordCheck;
  /** Told how each password sign-in ended (the metrics). */
  onSignIn?: (result: SignInResult) => void;
}

/** Decoded cookies kept: far more than the staff signed in at once (a cookie changes at most once a minute). */
const DECODED_SESSIONS = 10_000;

/**
 * The exact shape of a session cookie (@fastify/secure-session: base64 ciphertext `;` base64 24-byte
 * nonce), and no longer than a session could be (an email of 254 characters makes some 600). Anything
 * else is no session, refused before it is decoded or kept: Node's base64 decoder skips characters it
 * does not know, and the plugin ignores what follows a second `;`, so without this check endless
 * variants of one valid cookie would decode, each under a key of its own.
 */
const MAX_SESSION_COOKIE = 1024;
const SESSION_COOKIE_SHAPE = /^((?:[A-Za-z0-9+/]{4})+(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?);[A-Za-z0-9+/]{32}$/;

export const isSessionCookieShape = (value: string): boolean => {
  if (value.length > MAX_SESSION_COOKIE) return false;
  const match = SESSION_COOKIE_SHAPE.exec(value);
  // Canonical base64 only: unused bits of the last character set would decode to the same bytes.
  return match !== null && Buffer.from(match[1]!, 'base64').toString('base64') === match[1];
};

const decodedCaches = new WeakMap<FastifyInstance, LruMap<unknown>>();
/** How many decoded sessions an app keeps (tests: it stays bounded whatever cookies arrive). */
export const decodedSessionCount = (app: FastifyInstance) => decodedCaches.get(app)?.size ?? 0;

/**
 * The plugin decodes the session cookie (base64, secretbox, JSON) on every request, through its
 * `decodeSecureSession` decorator — a tenth of the proxy's CPU per request (`bench:proxy --cpu-prof`).
 * One cookie value always decodes to the same data, so each successful decode is kept, keyed by the
 * (canonical, checked above) value, and every request still gets a Session of its own,
 * made from a copy by the plugin's `createSecureSession`. The plugin's own expiry check is repeated
 * on each hit; ours (idle, absolute, account) runs anyway.
 */
const decodeEachCookieOnce = (app: FastifyInstance, expirySeconds: number) => {
  const decode = app.decodeSecureSession.bind(app);
  const decoded = new LruMap<Record<string, unknown> & { __ts: number }>(DECODED_SESSIONS);
  decodedCaches.set(app, decoded);
  app.decodeSecureSession = (cookie, log, sessionName) => {
    if (cookie === undefined) return decode(cookie, log, sessionName);
    if (cookie.length > MAX_SESSION_COOKIE) return null;
    // Keyed by the value itself (at most MAX_SESSION_COOKIE characters): no hash to compute per request.
    const key = cookie;
    const data = decoded.get(key);
    // A hit is a value whose shape was checked when it went in.
    if (data && (data.__ts + expirySeconds) * 1000 > Date.now()) return app.createSecureSession({ ...data });
    if (!isSessionCookieShape(cookie)) return null;
    const session = decode(cookie, log, sessionName);
    // `changed` after decoding means it was sealed with an older key: decoded again until rewritten.
    if (session && !session.changed) {
      decoded.set(key, { ...session.data(), __ts: (session as unknown as { get(key: string): number }).get('__ts') });
    }
    return session;
  };
};

/**
 * Over TLS the session is the `__Host-` cookie alone (a plain-named one, which anything could have
 * planted, is ignored), and the session cookie is written under that name.
 */
const hostPrefixOverTls = (app: FastifyInstance) => {
  app.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    if (request.protocol !== 'https') return done();
    const cookie = request.cookies[TLS_SESSION_COOKIE];
    request.session = (cookie === undefined ? null : app.decodeSecureSession(cookie, request.log)) ?? app.createSecureSession({});
    const setCookie = reply.setCookie;
    reply.setCookie = function setSessionCookie(this: FastifyReply, name, value, options) {
      return setCookie.call(this, name === SESSION_COOKIE ? TLS_SESSION_COOKIE : name, value, options);
    };
    done();
  });
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
  hostPrefixOverTls(app);
  await warmPasswordChecks();

  // Behind an identity proxy there are no session cookies, so nothing to end, and no sign-in form.
  const passwordSignIn = !options.trustedHeader;
  const ended = passwordSignIn
    ? await createEndedSessions({ store: createEndedSessionStore(options.db), refreshMs: options.endedSessionsRefreshMs, log: app.log })
    : undefined;
  if (ended) app.addHook('onClose', async () => ended.close());

  const loginLimits = resolveLoginLimits(options.loginLimits);
  const identify = createIdentityResolver({ staff: options.staff, limits, now, trustedHeader: options.trustedHeader, ended });
  registerGuard(app, { identify });
  registerAuthRoutes(app, {
    staff: options.staff,
    limits: loginLimits,
    throttle: passwordSignIn ? createLoginThrottle({ sql: options.db, limits: loginLimits, now }) : undefined,
    checkPassword: options.checkPassword ?? verifyPassword,
    now,
    ended,
    absoluteMs: limits.absoluteMs,
    onSignIn: options.onSignIn,
  });
  // The `/api` plugin checks the session and role of its own requests with it (auth/guard.ts).
  return { identify };
};
