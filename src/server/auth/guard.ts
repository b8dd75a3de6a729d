import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  can,
  CONSOLE_ROUTES,
  CSRF_HEADER,
  PROBLEM_TYPES,
  REVEAL_PICKUP_CODE_ROUTE,
  toRouterPath,
  VERIFY_CALLER_ROUTE,
  type Permission,
  type StaffMember,
} from '../../api';
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
 * What a request to `/api` needs, by the route Fastify matched — never by the raw URL, which the router
 * decodes (`/%61pi/audit` IS `/api/audit` to it): reading the audit log, changing rules, or reading.
 */
export const permissionFor = (method: string, route: string): Permission => {
  if (route === CONSOLE_ROUTES.audit || route === CONSOLE_ROUTES.auditExport) return 'readAudit';
  if (route === VERIFY_CALLER_ROUTER_PATH) return 'verifyCaller';
  if (route === REVEAL_PICKUP_CODE_ROUTER_PATH) return 'revealPickupCode';
  return SAFE_METHODS.has(method) ? 'read' : 'changeRules';
};

const VERIFY_CALLER_ROUTER_PATH = toRouterPath(VERIFY_CALLER_ROUTE);
const REVEAL_PICKUP_CODE_ROUTER_PATH = toRouterPath(REVEAL_PICKUP_CODE_ROUTE);

/** What a 403 tells the staff member, by what their role lacks. */
const forbiddenDetail = (permission: Permission, role: StaffMember['role']) => {
  if (permission === 'readAudit') return 'Only admins can read the audit log.';
  if (permission === 'revealPickupCode') return `Your role (${role}) may not reveal pickup codes.`;
  return `Your role (${role}) may read but not change autopay rules.`;
};

const isApiRoute = (route: string) => route === '/api' || route.startsWith('/api/');

export interface GuardOptions {
  identify: IdentityResolver;
  /** Told of every refusal by role, before it is answered (the audit log records refused changes). */
  onForbidden?: (request: FastifyRequest, staff: StaffMember) => Promise<void>;
}

/**
 * Before anything else is done: the CSRF check on every request, then on `/api` a signed-in staff
 * member (401) whose role allows the request (403).
 */
export const registerGuard = (app: FastifyInstance, { identify, onForbidden }: GuardOptions) => {
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
    const route = request.routeOptions.url ?? '';
    const isApi = isApiRoute(route);
    if (!isApi && !route.startsWith('/auth/')) return done();
    request.staff = identify(request);
    if (!isApi) return done();

    if (!request.staff) {
      return void sendProblem(request, reply, 401, {
        type: PROBLEM_TYPES.unauthenticated,
        title: 'Sign-in required',
        detail: 'Sign in to use the console; your session may have expired.',
      });
    }
    const permission = permissionFor(request.method, route);
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
