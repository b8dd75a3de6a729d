// The built SPA's assets on the wire (issue 17 item 5): the build's brotli or gzip copy by
// Accept-Encoding, hashed assets immutable for a year, index.html revalidated on every load.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precompressDir } from '../../scripts/precompress';
import { CSP_NONCE_PLACEHOLDER } from '../api';
import { SEED_PEOPLE } from '../../test/seed';
import { startConsole, type RunningConsole } from '../../test/server-support';

// A stand-in for vite's output, precompressed by the build's own step.
const distDir = mkdtempSync(path.join(os.tmpdir(), 'masspay-spa-'));
const script = `export const rows = ${JSON.stringify(Array.from({ length: 200 }, (_, i) => ({ id: i, name: `row ${i}` })))};\n`;
mkdirSync(path.join(distDir, 'assets'));
writeFileSync(
  path.join(distDir, 'index.html'),
  `<!doctype html><html><head><title>Console</title><script type="module" src="/assets/index-abc123.js" nonce="${CSP_NONCE_PLACEHOLDER}"></script></head><body></body></html>`,
);
writeFileSync(path.join(distDir, 'assets', 'index-abc123.js'), script);
// Vite's manifest: the entry with a shared chunk of its own, and the user page with a chunk of its own,
// the entry's shared chunk, and a lazy dialog.
mkdirSync(path.join(distDir, '.vite'));
writeFileSync(
  path.join(distDir, '.vite', 'manifest.json'),
  JSON.stringify({
    'index.html': { file: 'assets/index-abc123.js', isEntry: true, imports: ['_shared-1.js'], dynamicImports: ['src/app/pages/UserPage.tsx'] },
    '_shared-1.js': { file: 'assets/shared-1.js' },
    '_user-bits-2.js': { file: 'assets/user-bits-2.js', imports: ['_shared-1.js'] },
    'src/app/pages/UserPage.tsx': {
      file: 'assets/UserPage-3.js',
      isDynamicEntry: true,
      imports: ['index.html', '_user-bits-2.js'],
      dynamicImports: ['src/Dialog.tsx'],
    },
    'src/Dialog.tsx': { file: 'assets/Dialog-4.js', isDynamicEntry: true },
  }),
);

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

  it("give a page the modulepreload links of its code, less the entry's and its lazy chunks", async () => {
    const html = (await get(c, '/users/usr_x')).body.toString();
    const preloaded = [...html.matchAll(/<link rel="modulepreload" crossorigin href="([^"]+)">/g)].map((m) => m[1]);
    expect(preloaded).toEqual(['/assets/UserPage-3.js', '/assets/user-bits-2.js']);
    // A path no page has: index.html as it is (the SPA shows its not-found view).
    expect((await get(c, '/users/usr_x/nothing')).body.toString()).not.toContain('modulepreload');
  });

  it("write the signed-in staff member and the console's settings into the page, kept by no cache, and nothing without a session", async () => {
    const signedIn = await fetch(`${c.baseUrl}/users/usr_x`, { headers: { cookie: await c.sessionCookie('editor') } });
    expect(signedIn.headers.get('cache-control')).toBe('private, no-store');
    const html = await signedIn.text();
    const inlined = /<script type="application\/json" id="signed-in-staff">(.*?)<\/script>/.exec(html)?.[1];
    const me = await c.call('GET', '/auth/me', { as: 'editor' });
    const settings = await c.call('GET', '/api/console/settings', { as: 'editor' });
    expect(JSON.parse(inlined!)).toEqual({ staff: me.body, settings: settings.body });

    const anonymous = await get(c, '/users/usr_x');
    expect(anonymous.body.toString()).not.toContain('signed-in-staff');
  });

  it("name a page's first requests as fetch preloads, ahead of its code: its reads, and who is signed in when the request named nobody", async () => {
    const { userToken: user, usdWallet: wallet } = SEED_PEOPLE.ada;
    const cookie = await c.sessionCookie('viewer');
    const pageOf = async (url: string, headers: Record<string, string> = { cookie }) => (await fetch(`${c.baseUrl}${url}`, { headers })).text();
    const preloadsOf = (html: string) => [...html.matchAll(/<link rel="preload" as="fetch" crossorigin href="([^"]+)">/g)].map((m) => m[1]!);

    const walletReads = preloadsOf(await pageOf(`/users/${user}/wallets/${wallet}`));
    expect(walletReads).toEqual([
      `/api/payout/user/${user}`,
      `/api/payout/wallet/${user}`,
      `/api/payout/wallet/${user}/${wallet}/autopayout`,
      `/api/console/wallet/${user}/${wallet}/history`,
    ]);
    // Each is a read the console answers that staff member, with the cookie the browser sends along.
    for (const url of walletReads) expect((await fetch(`${c.baseUrl}${url}`, { headers: { cookie } })).status, url).toBe(200);

    const userPage = await pageOf(`/users/${user}`);
    expect(preloadsOf(userPage)).toEqual([`/api/payout/user/${user}`, `/api/payout/wallet/${user}`]);
    // Sent first: the code's chunks wait behind them for a free connection, not they behind the code.
    expect(userPage.indexOf('rel="preload"')).toBeLessThan(userPage.indexOf('rel="modulepreload"'));

    // Without a session cookie (signed out, or a link followed from another site, which leaves the
    // SameSite=Strict cookie behind): the same reads, and /auth/me first, which the SPA then asks.
    expect(preloadsOf(await pageOf(`/users/${user}`, {}))).toEqual(['/auth/me', `/api/payout/user/${user}`, `/api/payout/wallet/${user}`]);
    expect(preloadsOf(await pageOf('/', {}))).toEqual(['/auth/me']);
    expect(preloadsOf(await pageOf('/'))).toEqual([]);
    // A malformed token names no read; a path no page has, nothing at all.
    expect(preloadsOf(await pageOf('/users/usr_x'))).toEqual([]);
    expect(preloadsOf(await pageOf(`/users/${user}/wallets/${encodeURIComponent('"><script>')}`))).toEqual([]);
    expect(preloadsOf(await pageOf('/users/usr_x/nothing', {}))).toEqual([]);
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
