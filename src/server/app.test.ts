import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSP_NONCE_PLACEHOLDER } from '../api';
import { startConsole, type RunningConsole } from './test-support';

// A stand-in for vite's output (the real build is checked in build.test.ts), so this needs no build.
const distDir = mkdtempSync(path.join(os.tmpdir(), 'masspay-dist-'));
mkdirSync(path.join(distDir, 'assets'));
writeFileSync(
  path.join(distDir, 'index.html'),
  `<!doctype html><title>MassPay Wallet Console</title><meta property="csp-nonce" nonce="${CSP_NONCE_PLACEHOLDER}"><script type="module" src="/assets/index-abc123.js" nonce="${CSP_NONCE_PLACEHOLDER}"></script>`,
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
    expect(first.headers.get('cache-control')).toBe('no-cache');
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

  it.each(['/assets/missing.js', '/api/unknown', '/auth/unknown'])('answers 404 problem+json for %s', async (url) => {
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
