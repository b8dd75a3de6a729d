// Contract test: security.ts computes helmet's page headers once, at start, by running helmet's
// middleware against a stand-in response that has only `setHeader` and `removeHeader` and an empty
// request. That works while helmet touches nothing else of either, sets string values and calls `next`
// before it returns — how it is written today, not what it promises. package.json therefore pins helmet
// to `~8.3.0`: a version outside it is taken only once this file passes against it.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import helmet from 'helmet';
import { describe, expect, it } from 'vitest';
import { CSP_DIRECTIVES } from './security';

/** The options security.ts passes. */
const options = (): Parameters<typeof helmet>[0] => ({
  contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
  crossOriginEmbedderPolicy: false,
});

/** What security.ts does: helmet run once against a response that only records headers. */
const headersFromStandIn = () => {
  const headers: Record<string, unknown> = {};
  const touched = new Set<string>();
  const response = new Proxy(
    {
      setHeader: (name: string, value: unknown) => void (headers[name.toLowerCase()] = value),
      removeHeader: (name: string) => void delete headers[name.toLowerCase()],
    },
    {
      get: (target, key) => {
        touched.add(String(key));
        return target[key as keyof typeof target];
      },
    },
  );
  const request = new Proxy({}, { get: (_target, key) => void touched.add(`request.${String(key)}`) });
  let nextCalled = false;
  helmet(options())(request as IncomingMessage, response as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
    nextCalled = true;
  });
  return { headers, touched, nextCalledBeforeReturn: nextCalled };
};

/** The same middleware on a real response, as Node sends it. */
const headersFromRealResponse = async () => {
  const middleware = helmet(options());
  const server = createServer((request, response) => middleware(request, response, () => response.end()));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const answer = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await answer.arrayBuffer();
    const ignored = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);
    return Object.fromEntries([...answer.headers].filter(([name]) => !ignored.has(name)));
  } finally {
    server.close();
  }
};

describe('helmet: the headers computed once against a stand-in response', () => {
  it('touches only setHeader/removeHeader, never the request, sets strings, and calls next before it returns', () => {
    const { headers, touched, nextCalledBeforeReturn } = headersFromStandIn();
    expect([...touched].filter((key) => key !== 'setHeader' && key !== 'removeHeader')).toEqual([]);
    expect(nextCalledBeforeReturn).toBe(true);
    for (const value of Object.values(headers)) expect(typeof value).toBe('string');
  });

  it('gives exactly the headers helmet sends on a real response', async () => {
    expect(headersFromStandIn().headers).toEqual(await headersFromRealResponse());
  });

  it('includes the policy and the headers the pages rely on', () => {
    const { headers } = headersFromStandIn();
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['content-security-policy']).toContain("script-src 'self'");
    expect(headers).toMatchObject({
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
      'strict-transport-security': expect.stringContaining('max-age='),
    });
    expect(headers['cross-origin-embedder-policy']).toBeUndefined();
    expect(headers['x-powered-by']).toBeUndefined();
  });
});
