import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import { isMassPayErrorStatus, massPayErrorBody, matchRoute, ROUTE_IDS, ROUTE_PARAMS, ROUTES, toRouterPath, type RouteId } from '../api';
import { registerAdminRoutes } from './admin';
import { createKeyCheck } from './auth';
import { SandboxError, parseOr400 } from './errors';
import { FaultInjector, type Fault, type FaultSettingsInput } from './faults';
import { handlers, type HandlerContext } from './handlers';
import { findReplay, fingerprintOf, readIdempotencyKey, remember } from './idempotency';
import { writeFileAtomic } from './persistence';
import { sandboxPolicySchema, type PolicyHolder, type SandboxPolicy } from './policy';
import { Store } from './store';
import { seedUsersSchema } from './synthetic';

export const BODY_LIMIT = 16 * 1024;
export const API_KEY_FILE = 'sandbox-api-key';

export interface SandboxOptions {
  dataDir: string;
  /** Defaults to the key kept in `dataDir`, generated once. */
  apiKey?: string;
  faults?: FaultSettingsInput;
  logger?: FastifyServerOptions['logger'];
  now?: () => Date;
  /** `strict` (default) or `lenient`; switchable later through `Sandbox.policy` or `/__sandbox/policy`. */
  policy?: SandboxPolicy;
  /** Synthetic payees added to the seed (0–100 000) when `dataDir` has no state yet, and on every reset. */
  seedUsers?: number;
}

/** Requests that reached the MassPay routes (before auth): how tests prove a proxy refused without asking. */
export class RequestStats {
  requests = 0;
  byRoute: Partial<Record<RouteId | 'unmatched', number>> = {};

  count(id: RouteId | 'unmatched') {
    this.requests++;
    this.byRoute[id] = (this.byRoute[id] ?? 0) + 1;
  }

  reset() {
    this.requests = 0;
    this.byRoute = {};
  }
}

export interface Sandbox {
  app: FastifyInstance;
  apiKey: string;
  store: Store;
  faults: FaultInjector;
  stats: RequestStats;
  /** The live policy; setting it applies to the next request (an invalid value throws). */
  policy: SandboxPolicy;
  /** Starts listening (port 0: an ephemeral one) and returns the base URL, e.g. `http://127.0.0.1:8090`. */
  listen(options?: { port?: number; host?: string }): Promise<string>;
  close(): Promise<void>;
}

/** The key of `dataDir`, created once (mode 0600) so that restarts keep working clients working. */
export const loadOrCreateApiKey = async (dataDir: string): Promise<string> => {
  const path = join(dataDir, API_KEY_FILE);
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = `sbx_${randomBytes(24).toString('base64url')}`;
  await writeFileAtomic(path, `${key}\n`);
  return key;
};

/** Answers with MassPay's error body; an injected status MassPay never declares keeps the 500 text. */
const sendError = (reply: FastifyReply, status: number, reason?: string) => {
  const body = massPayErrorBody(isMassPayErrorStatus(status) ? status : 500, reason ? { reason } : undefined);
  return reply.code(status).send(isMassPayErrorStatus(status) ? body : { ...body, title: undefined, code: status });
};

const FASTIFY_REASONS: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: `The request body is larger than ${BODY_LIMIT} bytes`,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'The request body must be JSON (Content-Type: application/json)',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'The Content-Length header does not match the body',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'The request body is empty although Content-Type is application/json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'The request body is not valid JSON',
};

const pathOf = (url: string) => url.split('?', 1)[0]!;

export const createSandbox = async (options: SandboxOptions): Promise<Sandbox> => {
  const now = options.now ?? (() => new Date());
  const policy: PolicyHolder = { current: sandboxPolicySchema.parse(options.policy ?? 'strict') };
  // Checked here, not only when seeding: a bad value fails even when DATA_DIR already holds a state.
  const seedUsers = seedUsersSchema.parse(options.seedUsers ?? 0);
  const store = await Store.open(options.dataDir, { seedUsers });
  const apiKey = options.apiKey ?? (await loadOrCreateApiKey(options.dataDir));
  const keyMatches = createKeyCheck(apiKey);
  const faults = new FaultInjector(options.faults);
  const stats = new RequestStats();
  const pendingFaults = new WeakMap<FastifyRequest, Fault>();
  const slowed = new WeakMap<FastifyRequest, number>();
  const routeIds = new Map(ROUTE_IDS.map((id) => [`${ROUTES[id].method} ${toRouterPath(ROUTES[id].path)}`, id]));

  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: BODY_LIMIT,
    // Closing ends keep-alive connections that are still busy too (a client may hold one open forever).
    forceCloseConnections: true,
    routerOptions: { maxParamLength: 8192 },
    // Errors Fastify raises before routing (a malformed URL) get MassPay's body too.
    frameworkErrors: (_error, _request, reply) => sendError(reply, 400, 'The request URL is malformed'),
    // Requests Node's HTTP parser refuses never reach Fastify; answer them in MassPay's shape as well.
    clientErrorHandler: (_error, socket) => {
      if (!socket.writable) return;
      const body = JSON.stringify(massPayErrorBody(400, { reason: 'The HTTP request is malformed' }));
      socket.end(
        `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    },
  });
  // Only JSON bodies exist in MassPay's API: anything else is refused before a handler runs.
  app.removeContentTypeParser(['text/plain']);

  app.addHook('onRequest', async (request, reply) => {
    const path = pathOf(request.url);
    if (path.startsWith('/payout')) {
      // Fastify has already routed the request: its route template names it, no second match needed.
      stats.count(routeIds.get(`${request.method} ${request.routeOptions.url ?? ''}`) ?? 'unmatched');
      const fault = faults.next(request.method);
      if (fault) pendingFaults.set(request, fault);
      const latencyMs = faults.latencyFor(request.method);
      if (latencyMs > 0) slowed.set(request, latencyMs);
    } else if (!path.startsWith('/__sandbox')) {
      return;
    }
    if (!keyMatches(request.headers.authorization)) return sendError(reply, 401);
  });

  // Latency and "before" faults once the body has been read, as a slow MassPay would be: a client
  // that gives up waiting (the proxy's timeout) does not stop the change from being made.
  app.addHook('preHandler', async (request, reply) => {
    const latencyMs = slowed.get(request);
    if (latencyMs) await sleep(latencyMs);
    const fault = pendingFaults.get(request);
    if (fault?.phase === 'before') {
      pendingFaults.delete(request);
      return injectFault(request, reply, fault);
    }
  });

  app.addHook('onSend', async (request, reply, payload) => {
    // CS1 (the C# SDK) reads this header on most 200s; the 1.0.0 spec declares it.
    if (pathOf(request.url).startsWith('/payout')) reply.header('access-control-allow-origin', '*');
    return payload;
  });

  const injectFault = (request: FastifyRequest, reply: FastifyReply, fault: Fault) => {
    if (fault.drop) {
      reply.hijack();
      request.raw.socket.destroy();
      return reply;
    }
    return sendError(reply, fault.status, 'Injected fault (sandbox)');
  };

  for (const id of ROUTE_IDS) registerRoute(app, id, { store, now, policy, pendingFaults, injectFault });
  registerAdminRoutes(app, { store, faults, stats, policy });

  app.setNotFoundHandler((request, reply) => {
    const match = matchRoute(request.method, pathOf(request.url));
    if (match.kind === 'method-not-allowed') return sendError(reply.header('allow', match.allowed.join(', ')), 405);
    return sendError(reply, 404, 'No such endpoint');
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof SandboxError) return reply.code(error.status).send(error.body);
    if (error.statusCode !== undefined && error.statusCode < 500) {
      return sendError(
        reply,
        400,
        FASTIFY_REASONS[error.code] ?? (error instanceof SyntaxError ? FASTIFY_REASONS.FST_ERR_CTP_INVALID_JSON_BODY : 'The request is malformed'),
      );
    }
    request.log.error({ err: error }, 'sandbox handler failed');
    return sendError(reply, 500);
  });

  return {
    app,
    apiKey,
    store,
    faults,
    stats,
    get policy() {
      return policy.current;
    },
    set policy(value: SandboxPolicy) {
      policy.current = sandboxPolicySchema.parse(value);
    },
    async listen({ port = 0, host = '127.0.0.1' } = {}) {
      await app.listen({ port, host });
      const address = app.server.address();
      const actualPort = typeof address === 'object' && address ? address.port : port;
      return `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`;
    },
    close: () => app.close(),
  };
};

interface RouteDeps {
  store: Store;
  now: () => Date;
  policy: PolicyHolder;
  pendingFaults: WeakMap<FastifyRequest, Fault>;
  injectFault: (request: FastifyRequest, reply: FastifyReply, fault: Fault) => FastifyReply;
}

function registerRoute<Id extends RouteId>(app: FastifyInstance, id: Id, deps: RouteDeps) {
  const route = ROUTES[id];
  const handler = handlers[id] as (ctx: HandlerContext<Id>) => unknown;
  const mutating = route.method !== 'GET';

  app.route({
    method: route.method,
    url: toRouterPath(route.path),
    handler: async (request, reply) => {
      const { store } = deps;
      const at = deps.now();
      const params = parseOr400(ROUTE_PARAMS[id], { ...(request.params as object) }, 'path') as HandlerContext<Id>['params'];
      const query = parseOr400(route.query, request.query, 'query') as HandlerContext<Id>['query'];
      if (!('body' in route) && request.body !== undefined) throw new SandboxError(400, 'This endpoint takes no request body');
      const body = ('body' in route ? parseOr400(route.body, request.body, 'body') : undefined) as HandlerContext<Id>['body'];

      const policy = deps.policy.current;
      // MassPay's documented behaviour has no idempotency: lenient does not even read the key, so
      // every request acts and a reused key is neither replayed nor refused.
      const key = mutating && policy === 'strict' ? readIdempotencyKey(request.headers['idempotency-key']) : undefined;
      const fingerprint = key ? fingerprintOf(route.method, pathOf(request.url), request.query, request.body) : '';
      const replay = key ? findReplay(store, key, fingerprint, at) : undefined;

      let status = 200;
      let answer: unknown;
      if (replay) {
        reply.header('idempotent-replayed', 'true');
        ({ status, body: answer } = replay);
      } else {
        answer = handler({ store, params, query, body, now: at, policy });
        if (key) remember(store, key, fingerprint, status, answer, at);
      }
      if (mutating) await store.commit();

      const fault = deps.pendingFaults.get(request);
      if (fault) return deps.injectFault(request, reply, fault);
      return reply.code(status).send(answer);
    },
  });
}
