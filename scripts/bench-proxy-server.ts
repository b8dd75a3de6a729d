/**
 * A server process for `scripts/bench-proxy.ts` and `scripts/bench-load.ts`, never run by hand: the
 * parent forks it with tsx (bench-servers.ts), sends one `start` message naming the role, and gets
 * back `ready` with the server's base URL.
 *
 * - `sandbox`: the one embedded MassPay sandbox every target talks to (fault injection and logger off).
 * - `console`: our proxy, `buildServer()` from src/server, pointed at the sandbox, signed in as the
 *   demo account of `staffRole` (default `viewer`; `editor` may add and delete rules). An `audit`
 *   message answers how many entries its audit log holds.
 * - `express`: express 5 + http-proxy-middleware 3, `/api` → the sandbox, key added, keep-alive agent.
 * - `fastify-http-proxy`: Fastify 5 + @fastify/http-proxy (undici underneath), `/api` → the sandbox,
 *   key added: a fast, widely used Node proxy, with no checks of its own.
 * - `node-floor`: node:http's server and the console's own upstream client (`createUpstream`: the same
 *   undici Pool and dispatch), key added, nothing else — no routing, checks, sessions or headers. The
 *   least any Node proxy on undici does per request: the yardstick for what the console's checks cost.
 *
 * Each server runs in its own process so that it has its own event loop, as nginx does, and none of
 * them shares a thread with the load generator (bench-proxy.ts pins them all to one core with
 * `taskset` when it drives the load with wrk, pinned to another). A `close` message (or the parent going away) closes the
 * server and lets the process end normally, which is when `--cpu-prof` writes its profile.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StaffRole } from '../src/api';
import { createUpstream } from '../src/server/upstream';
// Everything else is imported by the role that needs it: each process holds only its own server's
// modules, so its resident memory (bench-proxy.ts reports it) is its own.

export type ServerRole = 'sandbox' | 'console' | 'express' | 'fastify-http-proxy' | 'node-floor';
type ProxyRole = Exclude<ServerRole, 'sandbox' | 'console'>;

export type ParentMessage =
  | { type: 'start'; role: 'sandbox'; dataDir: string }
  /** `databaseUrl`: the console on PostgreSQL (DATABASE_URL) instead of a fresh embedded database. */
  | { type: 'start'; role: 'console'; upstream: { baseUrl: string; apiKey: string }; staffRole?: StaffRole; databaseUrl?: string }
  | { type: 'start'; role: ProxyRole; upstream: { baseUrl: string; apiKey: string } }
  | { type: 'stats' }
  | { type: 'audit' }
  /** The console only: sign in afresh (see `signIn`). */
  | { type: 'sign-in' }
  | { type: 'close' };

export type ChildMessage =
  /** `headers`: what every request to this server needs (the console's session cookie). */
  | { type: 'ready'; baseUrl: string; apiKey?: string; headers?: Record<string, string> }
  /** `requests`: what reached the sandbox's MassPay routes (0 elsewhere); `cpuUs`: this process's user + system CPU time. */
  | { type: 'stats'; requests: number; cpuUs: number }
  /** `entries`: how many entries the console's audit log holds (0 for the other roles). */
  | { type: 'audit'; entries: number }
  | { type: 'signed-in'; headers: Record<string, string> }
  | { type: 'failed'; message: string };

const send = (message: ChildMessage) => process.send?.(message);

const loopbackUrl = (server: http.Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

interface Running {
  baseUrl: string;
  apiKey?: string;
  headers?: Record<string, string>;
  requests?: () => number;
  auditEntries?: () => Promise<number>;
  /**
   * A new session cookie. A session's "last seen" is rewritten at most once a minute, and a browser
   * takes the new cookie; autocannon does not, so without a fresh sign-in per run every answer after
   * the first minute would carry a re-encrypted Set-Cookie that no real client causes.
   */
  signIn?: () => Promise<Record<string, string>>;
  close: () => Promise<void>;
}

const listening = async (server: http.Server): Promise<string> => {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return loopbackUrl(server);
};

const closeServer = async (server: http.Server) => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
};

const startExpress = async ({ baseUrl, apiKey }: { baseUrl: string; apiKey: string }): Promise<Running> => {
  const { default: express } = await import('express');
  const { createProxyMiddleware } = await import('http-proxy-middleware');
  const agent = new http.Agent({ keepAlive: true });
  const app = express();
  app.disable('x-powered-by');
  // Mounted at /api, express strips the prefix: /api/payout/… reaches the sandbox as /payout/….
  app.use('/api', createProxyMiddleware({ target: baseUrl, agent, headers: { authorization: `Bearer ${apiKey}` } }));
  const server = http.createServer(app);
  return {
    baseUrl: await listening(server),
    close: async () => {
      await closeServer(server);
      agent.destroy();
    },
  };
};

const startFastifyHttpProxy = async ({ baseUrl, apiKey }: { baseUrl: string; apiKey: string }): Promise<Running> => {
  const { default: Fastify } = await import('fastify');
  const { default: fastifyHttpProxy } = await import('@fastify/http-proxy');
  const app = Fastify({ logger: false });
  await app.register(fastifyHttpProxy, {
    upstream: baseUrl,
    prefix: '/api',
    replyOptions: { rewriteRequestHeaders: (_request, headers) => ({ ...headers, authorization: `Bearer ${apiKey}` }) },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { baseUrl: loopbackUrl(app.server), close: () => app.close() };
};

const startNodeFloor = async ({ baseUrl, apiKey }: { baseUrl: string; apiKey: string }): Promise<Running> => {
  const upstream = createUpstream({ baseUrl, timeoutMs: 10_000 });
  const headers = { authorization: `Bearer ${apiKey}`, accept: 'application/json' };
  const server = http.createServer((request, response) => {
    upstream.send({ method: 'GET', path: request.url!.slice('/api'.length), headers }).then(
      (answer) => {
        response.writeHead(answer.status, { 'content-type': answer.contentType, 'content-length': answer.body.length });
        response.end(answer.body);
      },
      () => {
        response.writeHead(502).end();
      },
    );
  });
  return {
    baseUrl: await listening(server),
    close: async () => {
      await closeServer(server);
      await upstream.close();
    },
  };
};

const start = async (message: Extract<ParentMessage, { type: 'start' }>): Promise<Running> => {
  switch (message.role) {
    case 'sandbox': {
      const { startEmbeddedSandbox } = await import('../src/server/embedded-sandbox');
      const embedded = await startEmbeddedSandbox({ dataDir: message.dataDir, faults: {}, logger: false });
      return { baseUrl: embedded.baseUrl, apiKey: embedded.apiKey, requests: () => embedded.sandbox.stats.requests, close: embedded.close };
    }
    case 'console': {
      // As in production: sessions checked on every request, the audit store open (GETs write nothing to it).
      const dataDir = await mkdtemp(join(tmpdir(), 'masspay-bench-console-'));
      const password = randomBytes(12).toString('hex');
      const [{ buildServer }, { openAuditStore }, { loadStaff }] = await Promise.all([
        import('../src/server/app'),
        import('../src/server/audit/store'),
        import('../src/server/auth/setup'),
      ]);
      const audit = await openAuditStore({ dataDir, databaseUrl: message.databaseUrl });
      const app = await buildServer({
        upstream: message.upstream,
        logger: false,
        audit,
        auth: { staff: await loadStaff({ demoPassword: password }), sessionKey: randomBytes(32) },
      });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const baseUrl = loopbackUrl(app.server);
      const signIn = async () => {
        const answer = await fetch(`${baseUrl}/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-requested-with': 'XMLHttpRequest' },
          body: JSON.stringify({ email: `${message.staffRole ?? 'viewer'}@example.com`, password }),
        });
        const cookie = answer.headers.getSetCookie()[0]?.split(';')[0];
        if (answer.status !== 200 || !cookie) throw new Error(`the console's sign-in answered ${answer.status}`);
        return { cookie };
      };
      return {
        baseUrl,
        headers: await signIn(),
        signIn,
        auditEntries: async () => (await audit.list({}, { page: 1, limit: 1 })).total,
        close: async () => {
          await app.close();
          await audit.close();
          await rm(dataDir, { recursive: true, force: true });
        },
      };
    }
    case 'express':
      return startExpress(message.upstream);
    case 'fastify-http-proxy':
      return startFastifyHttpProxy(message.upstream);
    case 'node-floor':
      return startNodeFloor(message.upstream);
  }
};

let running: Running | undefined;
let closing = false;

const shutDown = async () => {
  if (closing) return;
  closing = true;
  try {
    await running?.close();
  } finally {
    // Without the IPC channel nothing holds the event loop: the process ends on its own, normally.
    if (process.connected) process.disconnect();
  }
};

// Ctrl-C reaches the whole process group; the parent decides when its servers close.
process.on('SIGINT', () => {});
const shutDownOrReport = () => shutDown().catch((error: unknown) => console.error('bench-proxy-server: close failed:', error));
process.on('disconnect', () => void shutDownOrReport());
process.on('message', (message: ParentMessage) => {
  if (message.type === 'start') {
    start(message).then(
      (server) => {
        running = server;
        send({ type: 'ready', baseUrl: server.baseUrl, apiKey: server.apiKey, headers: server.headers });
      },
      (error: unknown) => send({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    );
  } else if (message.type === 'audit') {
    (running?.auditEntries?.() ?? Promise.resolve(0)).then(
      (entries) => send({ type: 'audit', entries }),
      (error: unknown) => send({ type: 'failed', message: `audit count: ${error instanceof Error ? error.message : String(error)}` }),
    );
  } else if (message.type === 'sign-in') {
    (running?.signIn?.() ?? Promise.resolve({})).then(
      (headers) => send({ type: 'signed-in', headers }),
      (error: unknown) => send({ type: 'failed', message: `sign-in: ${error instanceof Error ? error.message : String(error)}` }),
    );
  } else if (message.type === 'stats') {
    const { user, system } = process.cpuUsage();
    send({ type: 'stats', requests: running?.requests?.() ?? 0, cpuUs: user + system });
  } else {
    void shutDownOrReport();
  }
});
