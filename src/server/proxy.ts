import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { BROWSER_RESPONSES, PROBLEM_TYPES, ROUTE_IDS, ROUTES, toRouterPath, type RouteId, type StaffMember } from '../api';
import { isRefusal, parseApiTarget, plainApiTarget, readApiTarget, refuse, SUSPICIOUS_PATH_DETAIL, type ApiTarget } from './api-request';
import type { AuditStore } from './audit/store';
import { createCardReader } from './card-read';
import { recordForbiddenRuleChange } from './changes/audit';
import { createMassPayReader } from './masspay-read';
import { sendProblem } from './problem';
import type { Upstream } from './upstream';

export const PROXY_BODY_LIMIT = 16 * 1024;

/** Routes that change rules: the change path (src/server/changes) answers them, never the generic proxy. */
export type ChangeHandler = (request: FastifyRequest, reply: FastifyReply, target: ApiTarget) => unknown;
const CHANGE_ROUTES: ReadonlySet<RouteId> = new Set(['createAutopayRule', 'deleteAutopayRule']);

/** The methods a MassPay path answers 405 to when it has no route of that method (with `Allow`). */
const ROUTED_METHODS: readonly HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** MassPay's path templates, each with its routes (one per method), in the order of the route table. */
const routesByPath = () => {
  const byPath = new Map<string, RouteId[]>();
  for (const id of ROUTE_IDS) byPath.set(ROUTES[id].path, [...(byPath.get(ROUTES[id].path) ?? []), id]);
  return byPath;
};

const NOT_SERVED = 'The console does not serve this MassPay route.';

/** Before a route is even named, an encoded or odd path is refused: what the router decoded is never answered for. */
const refusedPath = (request: FastifyRequest, reply: FastifyReply) =>
  plainApiTarget(request.raw.url!) ? undefined : refuse(request, reply, SUSPICIOUS_PATH_DETAIL);

/** Whatever no route of the `/api` plugin matched: a 404 (a 400 for an encoded or odd path, as on the routes). */
export const answerUnknownApiRoute = (request: FastifyRequest, reply: FastifyReply) => {
  const bare = /^\/api(?:\?|$)/.test(request.raw.url!);
  if (!bare && !plainApiTarget(request.raw.url!)) return refuse(request, reply, SUSPICIOUS_PATH_DETAIL);
  return sendProblem(request, reply, 404, { type: PROBLEM_TYPES.notFound, detail: NOT_SERVED });
};

/**
 * `/api/payout/...` → MassPay, for the routes of the allow-list only, each registered in Fastify's
 * router (inside the `/api` plugin: `api` is that context) with its route id in its config; the other
 * methods of its path answer 405 with `Allow`, MassPay routes the console does not forward 404. Each
 * request is parsed once, validated (api-request.ts), then a read is forwarded here and its answer
 * filtered by the route's `browserResponse` (src/api/routes.ts); rule changes go to the change path.
 */
export const registerProxy = (
  api: FastifyInstance,
  { upstream, apiKey, timeoutMs, changes, audit }: { upstream: Upstream; apiKey: string; timeoutMs: number; changes: ChangeHandler; audit: AuditStore },
) => {
  const readMassPay = createMassPayReader({ upstream, apiKey, timeoutMs });
  // The card route: its secrets blanked before parsing, only status and balance answered, each read audited (card-read.ts).
  const readCard = createCardReader({ upstream, apiKey, timeoutMs, audit });

  /** Forward a read and map MassPay's answer to what the browser may see. */
  const forward = async (request: FastifyRequest, reply: FastifyReply, target: ApiTarget) => {
    const search = target.rawQuery === '' ? '' : new URLSearchParams(target.queryValues).toString();
    const read = await readMassPay(request, search ? `${target.path}?${search}` : target.path, target.id);
    if (!read.ok) return sendProblem(request, reply, read.status, read.problem);
    // Only what the console shows goes on (the route's `browserResponse`): unknown fields are dropped,
    // secrets (activation_url, date_of_birth) never named there, pickup codes masked.
    const answer = BROWSER_RESPONSES[target.id]?.safeParse(read.json);
    if (!answer?.success) {
      const fields = answer ? [...new Set(answer.error.issues.map((issue) => issue.path.map(String).join('.') || '(the answer)'))].slice(0, 5) : [];
      // The field names only: a value may be a payee's data.
      request.log.warn({ route: target.id, fields }, 'MassPay answered without what the console needs');
      return sendProblem(request, reply, 502, {
        type: PROBLEM_TYPES.upstreamInvalid,
        detail: `MassPay sent an answer the console cannot read${fields.length ? ` (missing or malformed: ${fields.join(', ')})` : ''}.`,
      });
    }
    return reply.code(read.status).send(answer.data);
  };

  const handlerOf = (id: RouteId) => {
    if (!ROUTES[id].proxied)
      return (request: FastifyRequest, reply: FastifyReply) =>
        refusedPath(request, reply) ?? sendProblem(request, reply, 404, { type: PROBLEM_TYPES.notFound, detail: NOT_SERVED });
    const answer = CHANGE_ROUTES.has(id) ? changes : id === 'getCard' ? readCard : forward;
    return (request: FastifyRequest, reply: FastifyReply) => {
      const target = readApiTarget(request, reply, id);
      return target ? answer(request, reply, target) : reply;
    };
  };

  /** A change refused by role is recorded with the tokens its URL gives (parsed here once; the handler never runs). */
  const recordRefusedChange = (request: FastifyRequest, staff: StaffMember) => {
    const target = parseApiTarget(request, request.routeOptions.config.routeId!);
    return isRefusal(target) ? Promise.resolve() : recordForbiddenRuleChange(audit, request, staff, target);
  };

  for (const [path, ids] of routesByPath()) {
    const url = toRouterPath(path);
    const allowed = ids.map((id) => ROUTES[id].method);
    for (const id of ids) {
      api.route({
        method: ROUTES[id].method,
        url,
        bodyLimit: PROXY_BODY_LIMIT,
        // HEAD is not a MassPay route's method: it is answered 405 like the others below.
        exposeHeadRoute: false,
        config: { routeId: id, ...(CHANGE_ROUTES.has(id) && { recordForbidden: recordRefusedChange }) },
        handler: handlerOf(id),
      });
    }
    const others = ROUTED_METHODS.filter((method) => !allowed.includes(method as never));
    api.route({
      method: [...others],
      url,
      bodyLimit: PROXY_BODY_LIMIT,
      handler: (request, reply) => {
        if (refusedPath(request, reply)) return reply;
        reply.header('allow', allowed.join(', '));
        return sendProblem(request, reply, 405, { type: PROBLEM_TYPES.methodNotAllowed, detail: `Use ${allowed.join(' or ')} here.` });
      },
    });
  }
};
