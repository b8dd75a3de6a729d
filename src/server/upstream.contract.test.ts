// Contract test: upstream.ts hands undici's `Pool.dispatch` a handler in the legacy shape (onConnect,
// onHeaders with raw header pairs, onData, onComplete, onError), which undici 7 marks deprecated in its
// types, and counts on undici's own per-request timers and error codes to tell a timeout from an
// unreachable MassPay. A release may drop or change that shape, so package.json pins undici to
// `~7.30.2`: a version outside it is taken only once this file passes against it.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool, errors, type Dispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUpstream, UpstreamTimeoutError, UpstreamUnavailableError } from './upstream';

const TIMEOUT_MS = 300;
const CHUNKS = ['{"a":', '"b",', '"c":1}'];

/** A server whose paths answer in the ways MassPay can: in chunks, never, half, or with a hang-up. */
const startServer = async () => {
  const server = createServer((request, response) => {
    if (request.url === '/chunks') {
      response.writeHead(201, { 'Content-Type': 'application/json; charset=utf-8', 'X-Other': 'x' });
      let i = 0;
      const next = () => (i < CHUNKS.length ? response.write(CHUNKS[i++], () => setTimeout(next, 10)) : response.end());
      next();
    } else if (request.url === '/half') {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.write('{"a":');
    } else if (request.url === '/hang-up') {
      request.socket.destroy();
    }
    // '/silent': no answer at all.
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
};

interface Recorded {
  calls: string[];
  status?: number;
  rawHeaders?: unknown[];
  chunks: unknown[];
  error?: Error;
}

/** A handler with the legacy methods only, recording how undici calls them. */
const legacyDispatch = (pool: Pool, path: string) =>
  new Promise<Recorded>((resolve) => {
    const recorded: Recorded = { calls: [], chunks: [] };
    const handler = {
      onConnect(abort: unknown) {
        recorded.calls.push(`connect:${typeof abort}`);
      },
      onHeaders(statusCode: number, rawHeaders: unknown[]) {
        recorded.calls.push('headers');
        recorded.status = statusCode;
        recorded.rawHeaders = rawHeaders;
        return true;
      },
      onData(chunk: unknown) {
        recorded.calls.push('data');
        recorded.chunks.push(chunk);
        return true;
      },
      onComplete() {
        recorded.calls.push('complete');
        resolve(recorded);
      },
      onError(error: Error) {
        recorded.calls.push('error');
        recorded.error = error;
        resolve(recorded);
      },
    };
    pool.dispatch({ method: 'GET', path, headersTimeout: TIMEOUT_MS, bodyTimeout: TIMEOUT_MS }, handler as unknown as Dispatcher.DispatchHandler);
  });

describe('undici: the legacy dispatch handler and the errors upstream.ts relies on', () => {
  let server: Server;
  let origin: string;
  let pool: Pool;

  beforeAll(async () => {
    server = await startServer();
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    pool = new Pool(origin, { connections: 4, pipelining: 1 });
  });
  afterAll(async () => {
    await pool.destroy();
    server.closeAllConnections();
    server.close();
  });

  it('calls onConnect, onHeaders(status, raw Buffer pairs), onData(Buffer) per chunk, then onComplete once', async () => {
    const recorded = await legacyDispatch(pool, '/chunks');
    expect(recorded.error).toBeUndefined();
    expect(recorded.calls[0]).toBe('connect:function');
    expect(recorded.calls[1]).toBe('headers');
    expect(recorded.calls.at(-1)).toBe('complete');
    expect(recorded.calls.filter((call) => call === 'complete')).toHaveLength(1);
    expect(recorded.status).toBe(201);
    const raw = recorded.rawHeaders!;
    expect(raw.length % 2).toBe(0);
    for (const item of raw) expect(Buffer.isBuffer(item)).toBe(true);
    const names = raw.filter((_, i) => i % 2 === 0).map((name) => (name as Buffer).toString('latin1'));
    const contentType = raw[names.findIndex((name) => name.toLowerCase() === 'content-type') * 2 + 1] as Buffer;
    expect(contentType.toString('latin1')).toBe('application/json; charset=utf-8');
    for (const chunk of recorded.chunks) expect(Buffer.isBuffer(chunk)).toBe(true);
    expect(Buffer.concat(recorded.chunks as Buffer[]).toString()).toBe(CHUNKS.join(''));
  });

  it('ends an unanswered request with HeadersTimeoutError and a stalled body with BodyTimeoutError, from the per-dispatch timeouts', async () => {
    const [silent, half] = await Promise.all([legacyDispatch(pool, '/silent'), legacyDispatch(pool, '/half')]);
    expect(silent.error).toBeInstanceOf(errors.HeadersTimeoutError);
    expect(half.error).toBeInstanceOf(errors.BodyTimeoutError);
  });

  it('names a hang-up UND_ERR_SOCKET and a refused connection ECONNREFUSED', async () => {
    const hangUp = await legacyDispatch(pool, '/hang-up');
    expect((hangUp.error as { code?: string }).code).toBe('UND_ERR_SOCKET');
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    await once(closed, 'close');
    const nowhere = new Pool(`http://127.0.0.1:${port}`);
    try {
      const refused = await legacyDispatch(nowhere, '/');
      const code = (refused.error as { code?: string }).code ?? (refused.error as { cause?: { code?: string } }).cause?.code;
      expect(code).toBe('ECONNREFUSED');
    } finally {
      await nowhere.destroy();
    }
  });

  it('so createUpstream gathers a chunked answer with its Content-Type, and maps the failures', async () => {
    const upstream = createUpstream({ baseUrl: origin, timeoutMs: TIMEOUT_MS, retries: 0 });
    try {
      const answer = await upstream.send({ method: 'GET', path: '/chunks', headers: {} });
      expect(answer).toEqual({ status: 201, contentType: 'application/json; charset=utf-8', body: Buffer.from(CHUNKS.join('')) });
      await Promise.all(
        ['/silent', '/half'].map((path) => expect(upstream.send({ method: 'GET', path, headers: {} })).rejects.toBeInstanceOf(UpstreamTimeoutError)),
      );
      const hangUp = upstream.send({ method: 'POST', path: '/hang-up', headers: {}, body: '{}' });
      await expect(hangUp).rejects.toBeInstanceOf(UpstreamUnavailableError);
      await expect(hangUp).rejects.toMatchObject({ mayHaveArrived: true });
    } finally {
      await upstream.close();
    }
  });
});
