// Issue 16 item 5: the decoded-session cache is bounded by size and shape. Before, 4,000 requests with
// 12 KB variants of one valid cookie (Node's base64 decoder skips what it does not know; the plugin
// ignores what follows a second `;`) each decoded as that session and each stayed in the cache.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAuditStore, type AuditStore } from '../audit/store';
import { TEST_PASSWORD } from '../../../test/server-support';
import { decodedSessionCount, isSessionCookieShape, registerAuth, SESSION_COOKIE } from '.';
import { loadStaff } from './setup';
import { seedConsoleDataDir } from '../../../test/embedded-db-template';

const XHR = { 'x-requested-with': 'XMLHttpRequest' };

/** `global.gc`, without `--expose-gc` on the command line. */
const gc: () => void = (() => {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

const settledHeap = async () => {
  for (let i = 0; i < 4; i += 1) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return process.memoryUsage().heapUsed;
};

describe('the session cookie: its exact shape, or no session', () => {
  let app: FastifyInstance;
  let store: AuditStore;
  let dataDir: string;
  /** The valid cookie's value, as the plugin sees it (URL-decoded): `ciphertext;nonce`. */
  let value: string;

  const me = (cookieValue: string) =>
    app.inject({ method: 'GET', url: '/auth/me', headers: { cookie: `${SESSION_COOKIE}=${encodeURIComponent(cookieValue)}` } });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'session-cookie-'));
    await seedConsoleDataDir(dataDir);
    store = await openAuditStore({ dataDir });
    app = Fastify();
    await registerAuth(app, { staff: await loadStaff({ demoPassword: TEST_PASSWORD }), sessionKey: randomBytes(32), db: store.sql });
    const signIn = await app.inject({ method: 'POST', url: '/auth/login', headers: XHR, payload: { email: 'editor@example.com', password: TEST_PASSWORD } });
    expect(signIn.statusCode).toBe(200);
    const cookie = signIn.cookies.find((c) => c.name === SESSION_COOKIE)!;
    value = cookie.value.includes('%') ? decodeURIComponent(cookie.value) : cookie.value;
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await store?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('knows the shape: base64 ciphertext, `;`, a 24-byte base64 nonce, canonical, at most 1 KiB', () => {
    const [cipher, nonce] = value.split(';') as [string, string];
    expect(isSessionCookieShape(value)).toBe(true);
    expect(nonce).toHaveLength(32);
    const odd = [
      `${value};`,
      `${value};extra`,
      `${cipher};${nonce.slice(1)}`,
      `${cipher}`,
      `;${nonce}`,
      `${cipher.slice(0, 4)}!${cipher.slice(4)};${nonce}`,
      `${cipher} ;${nonce}`,
      `${cipher.replace(/[+/]/g, (c) => (c === '+' ? '-' : '_'))}${/[+/]/.test(cipher) ? '' : '-___'};${nonce}`,
      `${cipher.replace(/=+$/, '')}${cipher.endsWith('=') ? '' : 'Q'};${nonce}`,
      `${'A'.repeat(1024)};${nonce}`,
    ];
    for (const cookie of odd) expect(isSessionCookieShape(cookie), cookie.slice(0, 80)).toBe(false);
    // Non-canonical base64: the same bytes, a different last character (unused bits set).
    const padded = Buffer.from('abcd').toString('base64'); // 'YWJjZA=='
    expect(isSessionCookieShape(`${padded};${nonce}`)).toBe(true);
    expect(isSessionCookieShape(`YWJjZB==;${nonce}`)).toBe(false);
  });

  it('4,000 requests with 12 KB variants of a valid cookie: none is a session, none is kept, the heap does not grow; the cookie itself still works', async () => {
    const [cipher, nonce] = value.split(';') as [string, string];
    expect((await me(value)).statusCode).toBe(200);
    expect(decodedSessionCount(app)).toBe(1);
    const variant = (i: number) => {
      const pad = 12_000 + (i % 4_000);
      switch (i % 3) {
        case 0:
          return `${cipher};${nonce};${i}${'x'.repeat(pad)}`; // what follows a second ';'
        case 1:
          return `${cipher.slice(0, 8)}${'!'.repeat(pad)}${cipher.slice(8)};${nonce}`; // characters the decoder skips
        default:
          return `${cipher}${' '.repeat(pad)};${nonce}`; // whitespace it skips too
      }
    };
    // Each of these IS the session to a lenient decoder.
    expect(Buffer.from(variant(1).split(';')[0]!, 'base64').equals(Buffer.from(cipher, 'base64'))).toBe(true);

    const before = await settledHeap();
    const statuses = new Map<number, number>();
    for (let i = 0; i < 4_000; i += 1) {
      const { statusCode } = await me(variant(i));
      statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1);
    }
    const after = await settledHeap();
    expect(Object.fromEntries(statuses)).toEqual({ 401: 4_000 });
    expect(decodedSessionCount(app)).toBe(1);
    // 4,000 × 12 KB kept would be 48 MB and more (78 MB measured before the fix).
    expect(after - before).toBeLessThan(8 * 1048576);
    expect((await me(value)).statusCode).toBe(200);
  }, 60_000);
});
