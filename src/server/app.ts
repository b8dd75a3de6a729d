import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPES, type ApprovalPolicy, type ChangeReasonMode, type StaffMember } from '../api';
import { createApprovals } from './approvals';
import { createBulkJobs, type BulkJobOptions } from './bulk/jobs';
import { withBulkRoutes } from './bulk/routes';
import type { AuditStore } from './audit/store';
import { registerAuth, type AuthOptions } from './auth';
import { answeredBeforeClose } from './auth/guard';
import { LOOPBACK_HOSTS, registerAllowedHosts } from './allowed-hosts';
import { createForbiddenLimit, type ForbiddenLimitOptions } from './forbidden-limit';
import { registerLoadShedding, type LoadSheddingOptions } from './load-shedding';
import { countAuditWrites } from './metrics/counted-audit';
import { registerMetrics } from './metrics/http';
import { registerMetricsListener } from './metrics/listener';
import { createMetrics } from './metrics/registry';
import { prettyTransport } from './pretty-logs';
import { sendProblem } from './problem';
import { createMassPayReader } from './masspay-read';
import { PROXY_BODY_LIMIT } from './proxy';
import { registerSecurity } from './security';
import { registerSpa } from './spa';
import { createUpstream } from './upstream';
import { registerApi } from './api-plugin';
import { consoleSettingsOf, type ChangeOptions } from './changes';
import type { VerifyCallerLimits } from './verify-caller-limit';

export interface ServerOptions {
  /** MassPay (or the sandbox): base URL and key. The key never leaves this process. */
  upstream: { baseUrl: string; apiKey: string };
  upstreamTimeoutMs?: number;
  /** GET retries on connection errors and 502/503/504; tests shorten the delay. */
  upstreamRetries?: number;
  upstreamRetryDelayMs?: number;
  /** The built SPA; without it only the API and health routes are served (`npm run dev` uses Vite's). */
  distDir?: string;
  logger?: FastifyServerOptions['logger'];
  /** Staff, sessions and the identity proxy (see auth/). */
  auth: Omit<AuthOptions, 'db' | 'onSignIn'>;
  /** Where every attempted change is recorded; the server does not close it. */
  audit: AuditStore;
  /** The change path: a required reason, the wait for a busy wallet, how often half-done changes are looked for. */
  changes?: {
    reason?: ChangeReasonMode;
    lockWaitMs?: number;
    recoveryIntervalMs?: number;
    settleMs?: number;
    /** Four-eyes approval: `APPROVAL_POLICY` and `APPROVAL_TTL` (hours); by default off, requests wait a week. */
    approvals?: { policy: ApprovalPolicy; ttlHours: number; sweepIntervalMs?: number };
  };
  /** Addresses whose X-Forwarded-* headers are believed (the TLS-terminating proxy), for Secure cookies and client IPs. */
  trustProxy?: readonly string[];
  /**
   * `ALLOWED_HOSTS`: the Host names the console answers to, `host` (any port) or `host:port`; a port
   * of 0 is the port the request came in on. Default: the loopback names on the bound port.
   */
  allowedHosts?: readonly string[];
  /** How long one answer of `/readyz` is reused (default 5 s): a flood of probes is not a flood of MassPay requests. */
  readyCacheMs?: number;
  /** `forbidden` audit entries recorded per staff member and window (default 10 a minute). */
  forbiddenAudit?: ForbiddenLimitOptions;
  /** Caller verification's tries per payee and window (default 5 per 15 minutes), counted in the console's database. */
  verifyCaller?: VerifyCallerLimits;
  /**
   * Prometheus metrics (metrics/): `token` (METRICS_TOKEN) lets a bearer of it read `GET /metrics` on
   * this port; `listener` (METRICS_PORT, METRICS_HOST) serves them on a port of their own, without a token.
   */
  metrics?: { token?: string; listener?: { host: string; port: number } };
  /** `MAX_EVENT_LOOP_DELAY_MS` (default 1000; 0: off): past it requests are refused 503 (load-shedding.ts). */
  loadShedding?: LoadSheddingOptions;
  /** Bulk jobs' runner: its lease (how long a dead replica's job waits), poll interval, wallets at once, patience per row. */
  bulk?: Pick<BulkJobOptions, 'leaseMs' | 'pollMs' | 'concurrency' | 'giveUpMs'>;
}

/**
 * What a log line tells of a request: its path without the query string, where emails and names
 * travel (`/api/payout/user/lookup?email=…&first_name=…`). Same fields as Fastify's own otherwise.
 */
export const serializeRequest = (request: FastifyRequest) => ({
  method: request.method,
  url: request.url.split('?', 1)[0],
  host: request.host,
  remoteAddress: request.ip,
  remotePort: request.socket?.remotePort,
});

/**
 * Log options: never a key, a cookie or an Authorization header, whatever a serializer adds later.
 * JSON lines, for machines; `pretty` (a terminal) makes them readable through pino-pretty when installed.
 */
export const loggerOptions = (level: string, { pretty = false } = {}): FastifyServerOptions['logger'] => {
  const transport = pretty ? prettyTransport() : undefined;
  return {
    level,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["idempotency-key"]', 'res.headers["set-cookie"]'],
      censor: '[redacted]',
    },
    serializers: { req: serializeRequest },
    ...(transport && { transport }),
  };
};

/** Whatever logger options a caller gives, requests are logged without their query string. */
const withRequestSerializer = (logger: FastifyServerOptions['logger']): FastifyServerOptions['logger'] => {
  if (!logger) return false;
  const options = logger === true ? {} : logger;
  return { ...options, serializers: { ...options.serializers, req: serializeRequest } };
};

const FASTIFY_PROBLEMS: Record<string, [number, string, string]> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, PROBLEM_TYPES.unsupportedMediaType, 'Send JSON (Content-Type: application/json).'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, PROBLEM_TYPES.tooLarge, `The request body is over ${PROXY_BODY_LIMIT} bytes.`],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, PROBLEM_TYPES.validation, 'The JSON body is empty.'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, PROBLEM_TYPES.validation, 'The request body is not valid JSON.'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, PROBLEM_TYPES.validation, 'Content-Length does not match the body.'],
};

/** A problem+json answer written straight to a socket, for requests that never become Fastify requests. */
const rawProblem = (socket: Duplex, status: number, reason: string, detail: string) => {
  if (!socket.writable) return;
  const body = JSON.stringify({ type: PROBLEM_TYPES.validation, title: reason, status, detail, source: 'console' });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `X-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
  );
};

/** Requests Node's HTTP parser refuses (bad bytes, smuggling-prone framing, oversized headers) never reach Fastify. */
const answerMalformedRequest = (error: Error & { code?: string }, socket: Duplex) => {
  if (answeredBeforeClose.has(socket)) return void socket.destroy();
  if (error.code === 'HPE_HEADER_OVERFLOW') return rawProblem(socket, 431, 'Request Header Fields Too Large', 'The request headers are too large.');
  rawProblem(socket, 400, 'Bad Request', 'The HTTP request is malformed.');
};

/** The console's server: security headers, the MassPay proxy, health checks and the SPA. */
export const buildServer = async (options: ServerOptions): Promise<FastifyInstance> => {
  const app = Fastify({
    logger: withRequestSerializer(options.logger),
    genReqId: () => randomUUID(),
    requestIdHeader: false, // a client's id is not trusted: ours is on every response and log line
    routerOptions: { maxParamLength: 2048 },
    trustProxy: options.trustProxy ? [...options.trustProxy] : false,
    frameworkErrors: (_error, request, reply) => sendProblem(request, reply, 400, { type: PROBLEM_TYPES.validation, detail: 'The request URL is malformed.' }),
    clientErrorHandler: answerMalformedRequest,
    // Node would answer a missing Host itself, in plain text; the guard refuses it as problem+json.
    http: { requireHostHeader: false },
  });
  // CONNECT (a tunnel) is not HTTP this server speaks; without a listener Node would just drop the socket.
  app.server.on('connect', (_request: IncomingMessage, socket: Duplex) => rawProblem(socket, 405, 'Method Not Allowed', 'CONNECT is not served here.'));
  // Only JSON bodies exist here; anything else is refused before a handler runs.
  app.removeContentTypeParser(['text/plain']);

  // One registry per server: tests run several in one process.
  const metrics = createMetrics();
  const audit = countAuditWrites(options.audit, metrics);
  const timeoutMs = options.upstreamTimeoutMs ?? 10_000;
  const upstream = createUpstream({
    baseUrl: options.upstream.baseUrl,
    timeoutMs,
    retries: options.upstreamRetries,
    minRetryDelayMs: options.upstreamRetryDelayMs,
    onAttempt: (request, outcome, seconds) => metrics.massPay(request.route, request.method, request.path, outcome, seconds),
  });
  app.addHook('onClose', () => upstream.close());

  registerSecurity(app);
  // DNS rebinding: a Host that is not the console's is refused before anything else (allowed-hosts.ts).
  registerAllowedHosts(app, options.allowedHosts ?? LOOPBACK_HOSTS);
  // A lagging event loop: refused before a session is decoded or MassPay asked (health and metrics exempt).
  await registerLoadShedding(app, options.loadShedding);
  registerMetrics(app, metrics, { token: options.metrics?.token });
  if (options.metrics?.listener) registerMetricsListener(app, metrics, options.metrics.listener);
  // A refused change is recorded, but at most so many a minute per staff member (this process's count):
  // a loop of refused requests must not fill the append-only log. Reads refused by role record nothing.
  const forbiddenLimit = createForbiddenLimit(options.forbiddenAudit);
  // What a refusal records is the route's own (its `config.recordForbidden`): most record nothing.
  const recordRefusal = async (request: FastifyRequest, staff: StaffMember) => request.routeOptions.config.recordForbidden?.(request, staff);
  const onForbidden = async (request: FastifyRequest, staff: StaffMember) => {
    if (request.method === 'GET' || request.method === 'HEAD') return recordRefusal(request, staff);
    const decision = forbiddenLimit.take(staff.email);
    if (decision === 'record') return recordRefusal(request, staff);
    if (decision === 'skip-first')
      request.log.warn({ staff: staff.email }, 'refused changes of this staff member are over the limit: not recorded in the audit log until the window ends');
  };
  // Before the `/api` plugin is registered: a child context takes its parent's error handler when it is made.
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const known = FASTIFY_PROBLEMS[error.code] ?? (error instanceof SyntaxError ? FASTIFY_PROBLEMS.FST_ERR_CTP_INVALID_JSON_BODY : undefined);
    if (known) return sendProblem(request, reply, known[0], { type: known[1], detail: known[2] });
    if (error.statusCode !== undefined && error.statusCode < 500) {
      return sendProblem(request, reply, error.statusCode, { type: PROBLEM_TYPES.validation, detail: 'The request is malformed.' });
    }
    request.log.error({ err: error }, 'request failed');
    return sendProblem(request, reply, 500, { type: PROBLEM_TYPES.internal, detail: `Something went wrong in the console. Quote request id ${request.id}.` });
  });
  const { identify } = await registerAuth(app, { ...options.auth, db: audit.sql, onSignIn: metrics.signIn });
  const changes: ChangeOptions = {
    upstream,
    apiKey: options.upstream.apiKey,
    audit,
    timeoutMs,
    reasonMode: options.changes?.reason ?? 'optional',
    lockWaitMs: options.changes?.lockWaitMs ?? 5_000,
    recoveryIntervalMs: options.changes?.recoveryIntervalMs,
    settleMs: options.changes?.settleMs ?? 60_000,
    approvals: createApprovals({
      db: audit.sql,
      audit,
      policy: options.changes?.approvals?.policy ?? { kind: 'off' },
      ttlHours: options.changes?.approvals?.ttlHours ?? 168,
      retryLeaseMs: (options.changes?.lockWaitMs ?? 5_000) + 6 * timeoutMs + 5_000,
      sweepIntervalMs: options.changes?.approvals?.sweepIntervalMs,
      staffRole: (email) => options.auth.staff.get(email)?.role ?? null,
    }),
    staffName: (email) => options.auth.staff.get(email)?.name ?? null,
    bulk: withBulkRoutes(
      createBulkJobs({
        audit,
        upstream,
        apiKey: options.upstream.apiKey,
        policy: options.changes?.approvals?.policy ?? { kind: 'off' },
        staffRole: (email) => options.auth.staff.get(email)?.role ?? null,
        ...options.bulk,
      }),
      audit.sql,
    ),
  };
  // Everything below `/api` (the proxy, the change path, the console's own routes), in one plugin
  // (api-plugin.ts). Registered after every hook above: its context inherits them.
  await registerApi(app, {
    identify,
    onForbidden,
    upstream,
    apiKey: options.upstream.apiKey,
    timeoutMs,
    audit,
    changes,
    readMassPay: createMassPayReader({ upstream, apiKey: options.upstream.apiKey, timeoutMs }),
    verifyCaller: options.verifyCaller,
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  // One MassPay request answers every probe for `readyCacheMs`: concurrent probes share the one in
  // flight. The reason for "not ready" goes to the log; the answer says nothing of addresses or codes.
  const readyCacheMs = options.readyCacheMs ?? 5_000;
  let readiness: { at: number; ready: Promise<boolean> } | undefined;
  const checkMassPay = async (log: FastifyRequest['log']) => {
    try {
      const answer = await upstream.send(
        { method: 'GET', path: '/payout/country/list', headers: { authorization: `Bearer ${options.upstream.apiKey}`, accept: 'application/json' } },
        { retry: false },
      );
      if (answer.status === 200) return true;
      log.warn({ upstreamStatus: answer.status }, 'not ready: MassPay answered the readiness check with an error');
    } catch (error) {
      log.warn({ upstream: (error as Error).message }, 'not ready: MassPay could not be reached');
    }
    return false;
  };
  app.get('/readyz', async (request, reply) => {
    const now = Date.now();
    if (!readiness || now - readiness.at >= readyCacheMs) readiness = { at: now, ready: checkMassPay(request.log) };
    if (await readiness.ready) return { status: 'ready' };
    return sendProblem(request, reply, 503, {
      type: PROBLEM_TYPES.upstreamUnavailable,
      title: 'Not ready',
      detail: 'MassPay cannot be reached or is not answering as it should.',
    });
  });

  if (options.distDir) await registerSpa(app, options.distDir, { identify, settings: consoleSettingsOf(changes) });
  else
    app.setNotFoundHandler((request, reply) => sendProblem(request, reply, 404, { type: PROBLEM_TYPES.notFound, detail: 'Nothing is served at this path.' }));

  return app;
};
