import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSP_NONCE_PLACEHOLDER } from '../api';
import { SEED_DESTINATIONS, SEED_PEOPLE } from '../../test/seed';
import { startConsole, TEST_PASSWORD, type RunningConsole } from '../../test/server-support';

const { ada } = SEED_PEOPLE;

// A stand-in for vite's output (the real build is checked in build.test.ts), so this needs no build.
const distDir = mkdtempSync(path.join(os.tmpdir(), 'masspay-dist-'));
mkdirSync(path.join(distDir, 'assets'));
writeFileSync(
  path.join(distDir, 'index.html'),
  `<!doctype html><html><head><title>MassPay Wallet Console</title><meta property="csp-nonce" nonce="${CSP_NONCE_PLACEHOLDER}"><script type="module" src="/assets/index-abc123.js" nonce="${CSP_NONCE_PLACEHOLDER}"></script></head><body></body></html>`,
);
writeFileSync(path.join(distDir, 'assets', 'index-abc123.js'), 'console.log(1)');
writeFileSync(path.join(distDir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');

let c: RunningConsole;
beforeAll(async () => {
  c = await startConsole({ distDir });
});
afterAll(async () => {
  await c.close();
  rmSync(distDir, { recursive: true, force: true });
});

const nonceOf = (html: string) => /nonce="([^"]+)"/.exec(html)?.[1];

describe('the SPA', () => {
  it('serves index.html uncached, with a fresh nonce that its CSP allows', async () => {
    const first = await c.call('GET', '/');
    const second = await c.call('GET', '/');
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toMatch(/^text\/html/);
    // A signed-in staff member's page holds who they are (spa.ts): no cache keeps it; nobody's is revalidated.
    expect(first.headers.get('cache-control')).toBe('private, no-store');
    expect((await c.call('GET', '/', { as: 'anonymous' })).headers.get('cache-control')).toBe('no-cache');
    expect(first.text).not.toContain(CSP_NONCE_PLACEHOLDER);
    const nonce = nonceOf(first.text)!;
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(first.headers.get('content-security-policy')).toContain(`style-src 'self' 'nonce-${nonce}'`);
    expect(nonceOf(second.text)).not.toBe(nonce);
  });

  it('answers client routes with index.html, never the raw file', async () => {
    for (const url of ['/users/usr_x/wallets/y?tab=rules', '/index.html', '/audit']) {
      const res = await c.call('GET', url);
      expect(res.status, url).toBe(200);
      expect(res.text).toContain('<title>MassPay Wallet Console</title>');
      expect(res.text).not.toContain(CSP_NONCE_PLACEHOLDER);
    }
  });

  it('serves hashed assets as immutable and other files revalidated', async () => {
    expect((await c.call('GET', '/assets/index-abc123.js')).headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await c.call('GET', '/favicon.svg')).headers.get('cache-control')).toBe('no-cache');
  });

  // /metrics too: without METRICS_TOKEN it is no page of the SPA, whoever asks (metrics/metrics.test.ts).
  it.each(['/assets/missing.js', '/api/unknown', '/auth/unknown', '/metrics'])('answers 404 problem+json for %s', async (url) => {
    const res = await c.call('GET', url);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('answers 404 to a POST on a page path', async () => {
    expect((await c.call('POST', '/somewhere', { body: {} })).status).toBe(404);
  });
});

describe('security headers on every response', () => {
  it.each([
    ['/', 'page'],
    ['/assets/index-abc123.js', 'page'],
    ['/users/x', 'page'],
    ['/healthz', 'api'],
    ['/api/payout/country/list', 'api'],
    ['/api/payout/nowhere', 'api'],
    ['/auth/me', 'api'],
    // Judged by the route Fastify matched, which the router decodes: these ARE /auth/me, /healthz, /api/….
    ['/%61uth/me', 'api'],
    ['/h%65althz', 'api'],
    ['/%61pi/payout/country/list', 'api'],
    // No route matched (the not-found handler may answer the SPA's index.html): the page set.
    ['/auth/unknown', 'page'],
    ['/assets/missing.js', 'page'],
  ])('%s (%s)', async (url, kind) => {
    const res = await c.call('GET', url);
    const csp = res.headers.get('content-security-policy')!;
    if (kind === 'page') {
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    } else {
      // JSON is never rendered: nothing may load or run at all.
      expect(csp).toMatch(/^default-src 'none'/);
      expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('gives every response its own request id, also in the log lines and problems', async () => {
    const res = await c.call('GET', '/api/payout/nowhere');
    const id = res.headers.get('x-request-id')!;
    expect(res.body.requestId).toBe(id);
    expect(c.logs.some((line) => line.includes(id))).toBe(true);
    expect((await c.call('GET', '/api/payout/nowhere')).headers.get('x-request-id')).not.toBe(id);
  });

  it('does not take a request id from the client', async () => {
    const res = await c.call('GET', '/healthz', { headers: { 'x-request-id': 'chosen-by-client' } });
    expect(res.headers.get('x-request-id')).not.toBe('chosen-by-client');
  });
});

describe('/readyz', () => {
  const askedMassPay = () => c.recorder.seen.filter((seen) => seen.url === '/payout/country/list').length;

  it('answers a flood of probes with one request to MassPay (the answer is reused for a few seconds)', async () => {
    const before = askedMassPay();
    const answers = await Promise.all(Array.from({ length: 50 }, () => c.call('GET', '/readyz', { as: 'anonymous' })));
    expect(answers.map((answer) => answer.status)).toEqual(Array.from({ length: 50 }, () => 200));
    expect((await c.call('GET', '/readyz', { as: 'anonymous' })).body).toEqual({ status: 'ready' });
    expect(askedMassPay() - before).toBe(1);
  });

  it('says "not ready" without MassPay\'s address or error code; the reason is in the log', async () => {
    const down = await startConsole({ audit: c.audit, upstream: { baseUrl: 'http://127.0.0.1:1', apiKey: 'key' }, readyCacheMs: 0 });
    try {
      const res = await down.call('GET', '/readyz', { as: 'anonymous' });
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body.detail).toBe('MassPay cannot be reached or is not answering as it should.');
      expect(res.text).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|:1\b/);
      expect(down.logs.some((line) => line.includes('not ready') && line.includes('ECONNREFUSED'))).toBe(true);
    } finally {
      await down.close();
    }
  });
});

describe('logs', () => {
  it('hold the path of a request, never its query string (emails and names travel there)', async () => {
    const res = await c.call('GET', '/api/payout/user/lookup?email=ada%40example.com&first_name=Ada');
    expect(res.status).toBe(200);
    const id = res.headers.get('x-request-id')!;
    const lines = c.logs.filter((line) => line.includes(id)).map((line) => JSON.parse(line) as { req?: { url: string } });
    expect(lines.find((line) => line.req)?.req?.url).toBe('/api/payout/user/lookup');
    expect(c.logs.filter((line) => /ada%40example\.com|ada@example\.com|first_name/.test(line))).toEqual([]);
  });
});

describe('the query names the proxy takes', () => {
  it("are what the SPA sends: MassPay's others are refused and never forwarded, while the sandbox still takes them", async () => {
    const seen = c.recorder.seen.length;
    for (const target of [
      `/api/payout/user/${ada.userToken}/history?wallet_token=${ada.usdWallet}&show_all_clients=true`,
      `/api/payout/service/${SEED_DESTINATIONS.quickCash}?include_payer_logos=false`,
      '/api/payout/country/MEX?amount=200',
    ]) {
      const res = await c.call('GET', target);
      expect(res.status, target).toBe(400);
    }
    expect(c.recorder.seen.length).toBe(seen);
    expect((await c.call('GET', `/api/payout/user/${ada.userToken}/history?wallet_token=${ada.usdWallet}&page=1&number_of_records=10`)).status).toBe(200);
    const direct = await fetch(`${c.embedded.baseUrl}/payout/user/${ada.userToken}/history?wallet_token=${ada.usdWallet}&show_all_clients=true`, {
      headers: { authorization: `Bearer ${c.embedded.apiKey}` },
    });
    expect(direct.status).toBe(200);
  });
});

describe('refused changes in the audit log', () => {
  it('are recorded at most 10 a minute per staff member; each is still answered 403', async () => {
    const path = `/api/payout/wallet/${ada.userToken}/${ada.usdWallet}/autopayout`;
    const answers = [];
    for (let i = 0; i < 15; i += 1)
      answers.push(await c.call('POST', path, { as: 'viewer', body: { destination_token: SEED_DESTINATIONS.quickCash, percentage: 5 } }));
    expect(answers.map((answer) => answer.status)).toEqual(Array.from({ length: 15 }, () => 403));
    const recorded = await c.audit.list({ staff: 'viewer@example.com' }, { page: 1, limit: 100 });
    expect(recorded.total).toBe(10);
    expect(recorded.entries.every((entry) => entry.outcome === 'forbidden')).toBe(true);
    expect(c.logs.filter((line) => line.includes('over the limit') && line.includes('viewer@example.com'))).toHaveLength(1);
  });
});

describe('ALLOWED_HOSTS (DNS rebinding)', () => {
  const port = () => new URL(c.baseUrl).port;

  it('by default answers the loopback names on the port it listens on', async () => {
    for (const host of [`127.0.0.1:${port()}`, `localhost:${port()}`, `[::1]:${port()}`, `LocalHost:${port()}`]) {
      expect((await c.call('GET', '/healthz', { as: 'anonymous', headers: { host } })).status, host).toBe(200);
    }
  });

  it.each(['evil.example', 'evil.example:PORT', '127.0.0.1.evil.example:PORT', 'localhost.:PORT', '127.0.0.1:1', '127.0.0.1', '[::2]:PORT'])(
    'refuses Host %s with 421 before anything else: no page, no API, no sign-in',
    async (template) => {
      const host = template.replace('PORT', port());
      for (const [method, url, init] of [
        ['GET', '/', {}],
        ['GET', '/healthz', {}],
        ['GET', '/api/audit', {}],
        ['POST', '/auth/login', { body: { email: 'editor@example.com', password: TEST_PASSWORD } }],
      ] as const) {
        const res = await c.call(method, url, { ...init, as: 'anonymous', headers: { host } });
        expect(res.status, `${method} ${url}`).toBe(421);
        expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(res.headers.get('connection')).toBe('close');
        expect(res.headers.get('set-cookie')).toBeNull();
      }
    },
  );

  it('given a list: those names only (a name alone: any port); X-Forwarded-Host is not believed, even from a trusted proxy', async () => {
    const d = await startConsole({ audit: c.audit, allowedHosts: ['console.example.com', '127.0.0.1:0'], trustProxy: ['127.0.0.1'] });
    try {
      const dPort = new URL(d.baseUrl).port;
      const status = async (headers: Record<string, string>) => (await d.call('GET', '/healthz', { as: 'anonymous', headers })).status;
      expect(await status({ host: 'console.example.com' })).toBe(200);
      expect(await status({ host: 'Console.Example.com:8443' })).toBe(200);
      expect(await status({ host: `127.0.0.1:${dPort}` })).toBe(200);
      expect(await status({ host: `localhost:${dPort}` })).toBe(421);
      expect(await status({ host: 'evil.example', 'x-forwarded-host': 'console.example.com' })).toBe(421);
    } finally {
      await d.close();
    }
  });
});
