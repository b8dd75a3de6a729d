// The built SPA's assets on the wire (issue 17 item 5): the build's brotli or gzip copy by
// Accept-Encoding, hashed assets immutable for a year, index.html revalidated on every load.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precompressDir } from '../../scripts/precompress';
import { CSP_NONCE_PLACEHOLDER } from '../api';
import { startConsole, type RunningConsole } from '../../test/server-support';

// A stand-in for vite's output, precompressed by the build's own step.
const distDir = mkdtempSync(path.join(os.tmpdir(), 'masspay-spa-'));
const script = `export const rows = ${JSON.stringify(Array.from({ length: 200 }, (_, i) => ({ id: i, name: `row ${i}` })))};\n`;
mkdirSync(path.join(distDir, 'assets'));
writeFileSync(
  path.join(distDir, 'index.html'),
  `<!doctype html><title>Console</title><script type="module" src="/assets/index-abc123.js" nonce="${CSP_NONCE_PLACEHOLDER}"></script>`,
);
writeFileSync(path.join(distDir, 'assets', 'index-abc123.js'), script);

/** GET over plain HTTP (fetch would decode the body and hide what was sent). */
const get = async (c: RunningConsole, url: string, acceptEncoding?: string) => {
  const { request } = await import('node:http');
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
    const req = request(`${c.baseUrl}${url}`, { headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject).end();
  });
};

let c: RunningConsole;
beforeAll(async () => {
  await precompressDir(path.join(distDir, 'assets'));
  c = await startConsole({ distDir });
});
afterAll(async () => {
  await c.close();
  rmSync(distDir, { recursive: true, force: true });
});

describe('the SPA assets', () => {
  it('go out as brotli when the browser accepts it, immutable for a year', async () => {
    const res = await get(c, '/assets/index-abc123.js', 'gzip, deflate, br, zstd');
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toMatch(/^text\/javascript|^application\/javascript/);
    expect(res.headers['vary']).toMatch(/accept-encoding/i);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.body.length).toBeLessThan(script.length / 3);
    expect(brotliDecompressSync(res.body).toString()).toBe(script);
  });

  it('go out as gzip to a browser without brotli', async () => {
    const res = await get(c, '/assets/index-abc123.js', 'gzip');
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(gunzipSync(res.body).toString()).toBe(script);
  });

  it('go out as they are to a client that accepts no encoding', async () => {
    const res = await get(c, '/assets/index-abc123.js');
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.body.toString()).toBe(script);
  });

  it('leave index.html uncompressed by the static plugin and never cached without asking', async () => {
    for (const url of ['/', '/users/usr_x']) {
      const res = await get(c, url, 'br, gzip');
      expect(res.status, url).toBe(200);
      expect(res.headers['cache-control'], url).toBe('no-cache');
      expect(res.body.toString(), url).toContain('<title>Console</title>');
    }
  });
});
