import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPES, type ChangeReasonMode } from '../api';
import type { AuditStore } from './audit/store';
import { registerAuditRoutes } from './audit-routes';
import { registerAuth, type AuthOptions } from './auth';
import { registerChanges } from './changes';
import { recordForbidden } from './changes/audit';
import { answeredBeforeClose } from './auth/guard';
import { sendProblem } from './problem';
import { PROXY_BODY_LIMIT, registerProxy } from './proxy';
import { registerSecurity } from './security';
import { registerSpa } from './spa';
import { createUpstream } from './upstream';

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
  auth: Omit<AuthOptions, 'onForbidden' | 'endedSessions'>;
  /** Where every attempted change is recorded; the server does not close it. */
  audit: AuditStore;
  /** The change path: a required reason, the wait for a busy wallet, how often half-done changes are looked for. */
  changes?: { reason?: ChangeReasonMode; lockWaitMs?: number; recoveryIntervalMs?: number };
  /** Addresses whose X-Forwarded-* headers are believed (the TLS-terminating proxy), for Secure cookies and client IPs. */
  trustProxy?: readonly string[];
}

/** Log options: never a key, a cookie or an Authorization header, whatever a serializer adds later. */
export const loggerOptions = (level: string): FastifyServerOptions['logger'] => ({
  level,
  redact: {
    paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["idempotency-key"]', 'res.headers["set-cookie"]'],
    censor: '[redacted]',
  },
});

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
    logger: options.logger ?? false,
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

  const timeoutMs = options.upstreamTimeoutMs ?? 10_000;
  const upstream = createUpstream({
    baseUrl: options.upstream.baseUrl,
    timeoutMs,
    retries: options.upstreamRetries,
    minRetryDelayMs: options.upstreamRetryDelayMs,
  });
  app.addHook('onClose', () => upstream.close());

  registerSecurity(app);
  await registerAuth(app, { ...options.auth, endedSessions: options.audit, onForbidden: (request, staff) => recordForbidden(options.audit, request, staff) });
  const changes = registerChanges(app, {
    upstream,
    apiKey: options.upstream.apiKey,
    audit: options.audit,
    timeoutMs,
    reasonMode: options.changes?.reason ?? 'optional',
    lockWaitMs: options.changes?.lockWaitMs ?? 5_000,
    recoveryIntervalMs: options.changes?.recoveryIntervalMs,
  });
  registerProxy(app, { upstream, apiKey: options.upstream.apiKey, timeoutMs, changes });
  registerAuditRoutes(app, options.audit);

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (request, reply) => {
    try {
      const answer = await upstream.send(
        { method: 'GET', path: '/payout/country/list', headers: { authorization: `Bearer ${options.upstream.apiKey}`, accept: 'application/json' } },
        { retry: false },
      );
      if (answer.status === 200) return { status: 'ready' };
      return sendProblem(request, reply, 503, { type: PROBLEM_TYPES.upstreamUnavailable, title: 'Not ready', detail: `MassPay answered ${answer.status}.` });
    } catch (error) {
      return sendProblem(request, reply, 503, { type: PROBLEM_TYPES.upstreamUnavailable, title: 'Not ready', detail: (error as Error).message });
    }
  });

  if (options.distDir) await registerSpa(app, options.distDir);
  else app.setNotFoundHandler((request, reply) => sendProblem(request, reply, 404, { type: PROBLEM_TYPES.notFound, detail: 'Nothing is served at this path.' }));

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const known = FASTIFY_PROBLEMS[error.code] ?? (error instanceof SyntaxError ? FASTIFY_PROBLEMS.FST_ERR_CTP_INVALID_JSON_BODY : undefined);
    if (known) return sendProblem(request, reply, known[0], { type: known[1], detail: known[2] });
    if (error.statusCode !== undefined && error.statusCode < 500) {
      return sendProblem(request, reply, error.statusCode, { type: PROBLEM_TYPES.validation, detail: 'The request is malformed.' });
    }
    request.log.error({ err: error }, 'request failed');
    return sendProblem(request, reply, 500, { type: PROBLEM_TYPES.internal, detail: `Something went wrong in the console. Quote request id ${request.id}.` });
  });

  return app;
};
