import type { FastifyRequest } from 'fastify';
import proxyAddr from 'proxy-addr';
import type { StaffMember } from '../../api';
import { publicProfile, type StaffDirectory } from './staff-file';

/** Who a session belongs to, inside the encrypted cookie. Times in ms since the epoch. */
export interface SessionData {
  /** This sign-in's id: signing out lists it as ended (see ended-sessions.ts). */
  sid: string;
  email: string;
  /** Signed in at: the absolute limit counts from here. */
  iat: number;
  /** Last seen: the idle limit counts from here. */
  seen: number;
}

declare module '@fastify/secure-session' {
  interface SessionData {
    sid: string;
    email: string;
    iat: number;
    seen: number;
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in staff member, once the auth hook has found one. */
    staff: StaffMember | null;
  }
}

export interface SessionLimits {
  idleMs: number;
  absoluteMs: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = { idleMs: 30 * 60_000, absoluteMs: 12 * 60 * 60_000 };

/** Writing the cookie again costs a Set-Cookie per answer: "last seen" moves at most once a minute. */
const SEEN_RESOLUTION_MS = 60_000;

export interface IdentityOptions {
  staff: StaffDirectory;
  limits: SessionLimits;
  now: () => number;
  /** `TRUSTED_AUTH_HEADER` mode: the identity proxy's header, believed only from these addresses. */
  trustedHeader?: { name: string; proxies: readonly string[] };
  /** Sessions signed out (cookie mode). */
  ended?: { has(sid: string): boolean };
}

/**
 * Finds who sent a request: the trusted header from the identity proxy, or the session cookie. An
 * expired or signed-out session is deleted (its cookie cleared); an account removed from the staff file ends its
 * sessions, and the role is always the staff file's current one, never a copy in the cookie.
 */
export const createIdentityResolver = ({ staff, limits, now, trustedHeader, ended }: IdentityOptions) => {
  if (trustedHeader) {
    const header = trustedHeader.name.toLowerCase();
    const trusted = proxyAddr.compile([...trustedHeader.proxies]);
    return (request: FastifyRequest): StaffMember | null => {
      const value = request.headers[header];
      if (typeof value !== 'string' || !trusted(request.socket.remoteAddress ?? '', 0)) return null;
      const account = staff.get(value.trim().toLowerCase());
      return account ? publicProfile(account) : null;
    };
  }
  return (request: FastifyRequest): StaffMember | null => {
    const session = request.session;
    const email = session.get('email');
    if (typeof email !== 'string') return null;
    const at = now();
    const iat = session.get('iat') ?? 0;
    const seen = session.get('seen') ?? 0;
    const sid = session.get('sid');
    const account = staff.get(email);
    // A session without an id predates sign-out being recorded: it could not be ended, so it is not taken.
    if (!account || typeof sid !== 'string' || ended?.has(sid) || at - iat > limits.absoluteMs || at - seen > limits.idleMs) {
      session.delete();
      return null;
    }
    if (at - seen > SEEN_RESOLUTION_MS) session.set('seen', at);
    return publicProfile(account);
  };
};
export type IdentityResolver = ReturnType<typeof createIdentityResolver>;
