import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { request as undiciRequest } from 'undici';
import type { StaffRole } from '../src/api';
import { buildServer, loggerOptions, type ServerOptions } from '../src/server/app';
import { openAuditStore, type AuditStore } from '../src/server/audit/store';
import { SESSION_COOKIE, type AuthOptions } from '../src/server/auth';
import { loadStaff } from '../src/server/auth/setup';
import type { StaffDirectory } from '../src/server/auth/staff-file';
import { startEmbeddedSandbox, type EmbeddedSandbox } from '../src/server/embedded-sandbox';
import { seedConsoleDataDir } from './embedded-db-template';

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

/**
 * A pass-through on loopback between the proxy and the real sandbox that records what crossed the
 * wire (headers, retries). It answers nothing itself: every answer is the sandbox's.
 */
export const startRecorder = async (targetBaseUrl: string) => {
  const seen: SeenRequest[] = [];
  const server = createServer(async (req, res) => {
    seen.push({ method: req.method!, url: req.url!, headers: req.headers });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const { host: _host, connection: _connection, ...headers } = req.headers;
    try {
      const answer = await undiciRequest(`${targetBaseUrl}${req.url}`, {
        method: req.method as 'GET',
        headers: headers as Record<string, string>,
        body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
      });
      const body = Buffer.from(await answer.body.arrayBuffer());
      res.writeHead(answer.statusCode, { 'content-type': String(answer.headers['content-type'] ?? '') });
      res.end(body);
    } catch {
      res.socket?.destroy();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return {
    baseUrl: `http://127.0.0.1:${address.port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};

/** HTTP exactly as written: fetch would resolve `..` and turn `\\` into `/` before sending. */
export const rawCall = (baseUrl: string, method: string, path: string, init: { body?: unknown; headers?: Record<string, string> } = {}) =>
  new Promise<{ status: number; body: any; text: string; headers: Headers }>((resolve, reject) => {
    const headers: Record<string, string> = { ...init.headers };
    let body: string | undefined;
    if (init.body !== undefined) {
      body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
      headers['content-type'] ??= 'application/json';
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    const url = new URL(baseUrl);
    const req = httpRequest({ host: url.hostname, port: url.port, method, path, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        let parsed: unknown;
        try {
          parsed = text ? JSON.parse(text) : undefined;
        } catch {
          parsed = undefined;
        }
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) responseHeaders.set(name, String(value));
        resolve({ status: res.statusCode!, body: parsed, text, headers: responseHeaders });
      });
    });
    req.on('error', reject);
    req.end(body);
  });

/** The value of a Prometheus sample `name` whose labels include `labels` (in any order); undefined when there is none. */
export const metricSample = (text: string, name: string, labels: Record<string, string> = {}): number | undefined => {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) return Number(match[3]);
  }
  return undefined;
};

/** The demo accounts' password in tests (the server's default). */
export const TEST_PASSWORD = 'demo-password';

/**
 * The demo accounts of a test console, their password hashed once per test file at a low scrypt cost
 * (~1 ms a check instead of ~270 ms): a hash names its cost and is checked at it, so sign-in takes
 * the same path. Sign-ins were a large part of the suite's CPU. Where the time of a check matters
 * (auth.test's unknown email against a wrong password), a test passes staff hashed at the real cost.
 */
let testStaff: Promise<StaffDirectory> | undefined;
const demoStaff = () => (testStaff ??= loadStaff({ demoPassword: TEST_PASSWORD, demoHashCost: { N: 2 ** 10, r: 8, p: 1 } }));

export interface CallInit {
  body?: unknown;
  headers?: Record<string, string>;
  /** Whose session cookie goes with the request: a demo account (default `editor`), or nobody. */
  as?: StaffRole | 'anonymous';
  /** Send `X-Requested-With: XMLHttpRequest` as the SPA does (default true). */
  csrf?: boolean;
}
type CallResult = Awaited<ReturnType<typeof rawCall>>;

export interface RunningConsole {
  baseUrl: string;
  /** The metrics listener (`metrics.listener`), when there is one. */
  metricsUrl?: string;
  embedded: EmbeddedSandbox;
  recorder: Awaited<ReturnType<typeof startRecorder>>;
  audit: AuditStore;
  /** Every log line the server wrote, as text. */
  logs: string[];
  /** The session cookie (`name=value`) of a demo account, signed in once through `/auth/login`. */
  sessionCookie: (role: StaffRole) => Promise<string>;
  call: (method: string, path: string, init?: CallInit) => Promise<CallResult>;
  close: () => Promise<void>;
}

/** The `name=value` of the session cookie a response sets. */
export const sessionCookieOf = (headers: Headers) => {
  const line = headers.get('set-cookie') ?? '';
  const match = new RegExp(`(?:^|,\\s*)(${SESSION_COOKIE}=[^;]*)`).exec(line);
  return match?.[1];
};

/**
 * The real server (proxy) on an ephemeral port, in front of a real sandbox with a fresh DATA_DIR, with
 * the embedded audit store and the three demo accounts (password TEST_PASSWORD). Sign-in limits are
 * lifted unless a test sets them.
 */
export const startConsole = async (
  options: Partial<Omit<ServerOptions, 'auth'>> & {
    recorder?: boolean;
    auth?: Partial<AuthOptions>;
    sandbox?: { policy?: 'strict' | 'lenient'; seedUsers?: number };
  } = {},
): Promise<RunningConsole> => {
  const dataDir = await mkdtemp(join(tmpdir(), 'masspay-console-'));
  if (!options.audit) await seedConsoleDataDir(dataDir);
  const [embedded, audit, staff] = await Promise.all([
    startEmbeddedSandbox({ dataDir, policy: options.sandbox?.policy, seedUsers: options.sandbox?.seedUsers }),
    options.audit ? Promise.resolve(options.audit) : openAuditStore({ dataDir }),
    options.auth?.staff ?? demoStaff(),
  ]);
  const recorder = await startRecorder(embedded.baseUrl);
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  const { auth, sandbox: _sandbox, ...rest } = options;
  const app = await buildServer({
    upstream: { baseUrl: recorder.baseUrl, apiKey: embedded.apiKey },
    upstreamRetryDelayMs: 5,
    // Off unless a test turns it on: a test's own stalls (a second console's initdb) must not shed its requests.
    loadShedding: { maxEventLoopDelayMs: 0 },
    logger: { ...(loggerOptions('trace') as object), stream },
    audit,
    ...rest,
    auth: { staff, sessionKey: randomBytes(32), loginLimits: { perIp: 10_000, perAccount: 10_000, windowMs: 60_000 }, ...auth },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const metricsUrl = app.metricsPort === undefined ? undefined : `http://127.0.0.1:${app.metricsPort}`;

  const cookies = new Map<StaffRole, Promise<string>>();
  const sessionCookie = (role: StaffRole) => {
    if (!cookies.has(role)) {
      cookies.set(
        role,
        rawCall(baseUrl, 'POST', '/auth/login', {
          body: { email: `${role}@example.com`, password: TEST_PASSWORD },
          headers: { 'x-requested-with': 'XMLHttpRequest' },
        }).then((answer) => {
          const cookie = sessionCookieOf(answer.headers);
          if (answer.status !== 200 || !cookie) throw new Error(`sign-in as ${role} answered ${answer.status}: ${answer.text}`);
          return cookie;
        }),
      );
    }
    return cookies.get(role)!;
  };
  const call: RunningConsole['call'] = async (method, path, { as = 'editor', csrf = true, headers, ...init } = {}) =>
    rawCall(baseUrl, method, path, {
      ...init,
      headers: {
        ...(csrf ? { 'x-requested-with': 'XMLHttpRequest' } : {}),
        ...(as === 'anonymous' ? {} : { cookie: await sessionCookie(as) }),
        ...headers,
      },
    });
  return {
    baseUrl,
    metricsUrl,
    embedded,
    recorder,
    audit,
    logs,
    sessionCookie,
    call,
    close: async () => {
      await app.close();
      if (!options.audit) await audit.close();
      await recorder.close();
      await embedded.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
};
