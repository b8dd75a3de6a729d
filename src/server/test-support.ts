import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { request as undiciRequest } from 'undici';
import { buildServer, loggerOptions, type ServerOptions } from './app';
import { startEmbeddedSandbox, type EmbeddedSandbox } from './embedded-sandbox';

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

export interface RunningConsole {
  baseUrl: string;
  embedded: EmbeddedSandbox;
  recorder: Awaited<ReturnType<typeof startRecorder>>;
  /** Every log line the server wrote, as text. */
  logs: string[];
  call: (method: string, path: string, init?: { body?: unknown; headers?: Record<string, string> }) => Promise<{ status: number; body: any; text: string; headers: Headers }>;
  close: () => Promise<void>;
}

/** The real server (proxy) on an ephemeral port, in front of a real sandbox with a fresh DATA_DIR. */
export const startConsole = async (options: Partial<ServerOptions> & { recorder?: boolean } = {}): Promise<RunningConsole> => {
  const dataDir = await mkdtemp(join(tmpdir(), 'masspay-console-'));
  const embedded = await startEmbeddedSandbox({ dataDir });
  const recorder = await startRecorder(embedded.baseUrl);
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  const app = await buildServer({
    upstream: { baseUrl: recorder.baseUrl, apiKey: embedded.apiKey },
    upstreamRetryDelayMs: 5,
    logger: { ...(loggerOptions('trace') as object), stream },
    ...options,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const call: RunningConsole['call'] = (method, path, init = {}) => rawCall(baseUrl, method, path, init);
  return {
    baseUrl,
    embedded,
    recorder,
    logs,
    call,
    close: async () => {
      await app.close();
      await recorder.close();
      await embedded.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
};
