import rateLimit from '@fastify/rate-limit';
import secureSession from '@fastify/secure-session';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { StaffMember } from '../../api';
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
  onForbidden?: (request: FastifyRequest, staff: StaffMember) => Promise<void>;
}

/** Sessions (an encrypted, HttpOnly, SameSite=Strict cookie), sign-in, CSRF and role checks. */
export const registerAuth = async (app: FastifyInstance, options: AuthOptions) => {
  const now = options.now ?? Date.now;
  const limits = options.sessionLimits ?? DEFAULT_SESSION_LIMITS;
  await app.register(secureSession, {
    key: options.sessionKey,
    cookieName: SESSION_COOKIE,
    // The plugin's own limit backs up ours (it counts from the last write, ours from sign-in).
    expiry: Math.ceil(limits.absoluteMs / 1000),
    // No Max-Age: the cookie ends with the browser; `secure: 'auto'` adds Secure when the request came over TLS.
    cookie: { path: '/', httpOnly: true, sameSite: 'strict', secure: 'auto' },
  });
  await app.register(rateLimit, { global: false });
  await warmPasswordChecks();

  const identify = createIdentityResolver({ staff: options.staff, limits, now, trustedHeader: options.trustedHeader });
  registerGuard(app, { identify, onForbidden: options.onForbidden });
  registerAuthRoutes(app, { staff: options.staff, limits: options.loginLimits ?? DEFAULT_LOGIN_LIMITS, now, passwordSignIn: !options.trustedHeader });
};
