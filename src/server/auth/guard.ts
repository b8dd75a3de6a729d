import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { can, CSRF_HEADER, PROBLEM_TYPES, type Permission, type StaffMember } from '../../api';
import { sendProblem } from '../problem';
import type { IdentityResolver } from './identity';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Connections answered and being closed because their framing cannot be trusted: the rest of their
 * bytes makes Node's parser fail, and that failure needs no second answer (see app.ts).
 */
export const answeredBeforeClose = new WeakSet<object>();

/**
 * DESIGN §7: a state-changing request must carry `X-Requested-With: XMLHttpRequest` (a cross-site
 * form cannot set it, and a cross-site fetch cannot without a CORS preflight we never grant), and, when
 * the browser sends them, an `Origin` equal to our own and no `Sec-Fetch-Site: cross-site`.
 */
export const crossSiteReason = (request: FastifyRequest): string | undefined => {
  if (SAFE_METHODS.has(request.method)) return undefined;
  if (request.headers[CSRF_HEADER.name] !== CSRF_HEADER.value) return `Changes must carry the header ${CSRF_HEADER.name}: ${CSRF_HEADER.value}.`;
  if (request.headers['sec-fetch-site'] === 'cross-site') return 'Changes may not come from another site.';
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== `${request.protocol}://${request.host}`) return 'Changes may only come from the console itself.';
  return undefined;
};

/**
 * What a request to an `/api` route needs: what its route declares (`config.permission`: reading the
 * audit log, verifying a caller, revealing a pickup code), otherwise reading or changing rules by its method.
 */
export const permissionFor = (method: string, declared: Permission | undefined): Permission => declared ?? (SAFE_METHODS.has(method) ? 'read' : 'changeRules');

/** What a 403 tells the staff member, by what their role lacks. */
const forbiddenDetail = (permission: Permission, role: StaffMember['role']) => {
  if (permission === 'readAudit') return 'Only admins can read the audit log.';
  if (permission === 'revealPickupCode') return `Your role (${role}) may not reveal pickup codes.`;
  return `Your role (${role}) may read but not change autopay rules.`;
};

/**
 * Before anything else is done, on every request: a path as target, a Host, framing that can be
 * trusted, and the CSRF check; the `/auth/` routes learn who is signed in. The `/api` plugin adds
 * its own check (`registerApiGuard`).
 */
export const registerGuard = (app: FastifyInstance, { identify }: { identify: IdentityResolver }) => {
  app.decorateRequest('staff', null);

  // A callback hook, not an async one: it runs on every request, and nearly always just calls `done`.
  app.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    // Only origin-form targets (`/path`): an absolute URL (`http://host/api/…`) is routed by its path,
    // and nothing here needs it.
    if (!request.raw.url!.startsWith('/')) {
      return void sendProblem(request, reply, 400, { type: PROBLEM_TYPES.validation, detail: 'The request target must be a path.' });
    }
    if (!request.headers.host) return void sendProblem(request, reply, 400, { type: PROBLEM_TYPES.validation, detail: 'The Host header is missing.' });
    // RFC 9112 §6.1: a request body whose framing is not chunked cannot be delimited; answer and hang up.
    const framing = request.headers['transfer-encoding'];
    if (framing !== undefined && framing.trim().toLowerCase() !== 'chunked') {
      reply.header('connection', 'close');
      answeredBeforeClose.add(request.raw.socket);
      return void sendProblem(request, reply, 400, { type: PROBLEM_TYPES.validation, detail: 'Transfer-Encoding must be chunked.' });
    }
    const crossSite = crossSiteReason(request);
    if (crossSite) return void sendProblem(request, reply, 403, { type: PROBLEM_TYPES.crossSite, title: 'Cross-site request refused', detail: crossSite });

    // The route Fastify matched (its template), so an encoded path is judged as what it will reach.
    if (request.routeOptions.url?.startsWith('/auth/')) request.staff = identify(request);
    done();
  });
};

export interface ApiGuardOptions {
  identify: IdentityResolver;
  /** Told of every refusal by role, before it is answered (the audit log records refused changes). */
  onForbidden?: (request: FastifyRequest, staff: StaffMember) => Promise<void>;
}

/**
 * Inside the `/api` plugin (`api` is its context), so being routed there is what makes a request an
 * API request: a signed-in staff member (401) whose role allows what the route needs (403).
 */
export const registerApiGuard = (api: FastifyInstance, { identify, onForbidden }: ApiGuardOptions) => {
  // A callback hook, not an async one: it runs on every request, and nearly always just calls `done`.
  api.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    request.staff = identify(request);
    if (!request.staff) {
      return void sendProblem(request, reply, 401, {
        type: PROBLEM_TYPES.unauthenticated,
        title: 'Sign-in required',
        detail: 'Sign in to use the console; your session may have expired.',
      });
    }
    const permission = permissionFor(request.method, request.routeOptions.config.permission);
    if (can(request.staff.role, permission)) return done();

    const staff = request.staff;
    const detail = forbiddenDetail(permission, staff.role);
    const refuse = () => void sendProblem(request, reply, 403, { type: PROBLEM_TYPES.forbidden, detail });
    if (!onForbidden) return refuse();
    onForbidden(request, staff).then(refuse, (error: unknown) => {
      request.log.error({ err: error }, 'recording a refused request failed');
      refuse();
    });
  });
};
