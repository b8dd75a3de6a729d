// Contract test: what src/server/auth/index.ts relies on in @fastify/secure-session beyond its documented
// API — the `decodeSecureSession` decorator that its onRequest hook calls (we replace it with a caching
// one), the private `__ts` field (when the session was last written, in seconds: our cache repeats the
// plugin's expiry check with it), the cookie's wire shape (`isSessionCookieShape`), and the onSend hook
// writing through `reply.setCookie` (we rename the cookie over TLS). None of this is promised across
// versions, so package.json pins the plugin to `~8.4.0`: a version outside it is taken only once this
// file passes against it.
import { randomBytes } from 'node:crypto';
import secureSession from '@fastify/secure-session';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { isSessionCookieShape } from '.';

const EXPIRY_SECONDS = 3600;
const COOKIE = 'contract_session';

const appWithSessions = async (key: Buffer | Buffer[] = randomBytes(32)) => {
  const app = Fastify();
  await app.register(secureSession, { key, cookieName: COOKIE, expiry: EXPIRY_SECONDS, cookie: { path: '/' } });
  app.post('/write', async (request) => {
    request.session.set('email', 'editor@example.com');
    return { ok: true };
  });
  app.get('/read', async (request) => ({ email: request.session.get('email') ?? null, changed: request.session.changed }));
  await app.ready();
  return app;
};

const sessionCookie = async (app: FastifyInstance) => {
  const answer = await app.inject({ method: 'POST', url: '/write' });
  const cookie = answer.cookies.find((c) => c.name === COOKIE);
  expect(cookie, 'the plugin wrote its cookie').toBeDefined();
  return decodeURIComponent(cookie!.value);
};

const tsOf = (session: unknown) => (session as { get(key: string): unknown }).get('__ts');

describe('@fastify/secure-session: the internals the session cache relies on', () => {
  const apps: FastifyInstance[] = [];
  const open = async (key?: Buffer | Buffer[]) => {
    const app = await appWithSessions(key);
    apps.push(app);
    return app;
  };
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  it('encodes a cookie in the shape isSessionCookieShape accepts (base64 ciphertext `;` 24-byte base64 nonce)', async () => {
    const app = await open();
    const cookie = await sessionCookie(app);
    expect(isSessionCookieShape(cookie)).toBe(true);
    expect(cookie.split(';')[1]).toHaveLength(32);
  });

  it('its onRequest hook calls the `decodeSecureSession` decorator as it stands at request time, with (cookie, log, sessionName)', async () => {
    const app = await open();
    const cookie = await sessionCookie(app);
    const decode = app.decodeSecureSession.bind(app);
    const calls: unknown[][] = [];
    app.decodeSecureSession = (...args) => {
      calls.push(args);
      return decode(...args);
    };
    const answer = await app.inject({ method: 'GET', url: '/read', cookies: { [COOKIE]: cookie } });
    expect(answer.json()).toEqual({ email: 'editor@example.com', changed: false });
    expect(calls).toHaveLength(1);
    expect(calls[0]![0]).toBe(cookie);
    expect(typeof (calls[0]![1] as { debug?: unknown }).debug).toBe('function');
    expect(calls[0]![2]).toBe('session');
  });

  it('decodes: no cookie → null, a foreign value → null, a valid one → a Session whose data() leaves out `__ts` and whose get("__ts") is the last write in seconds', async () => {
    const app = await open();
    const before = Math.round(Date.now() / 1000);
    const cookie = await sessionCookie(app);
    const after = Math.round(Date.now() / 1000);
    // The hook passes `undefined` when there is no cookie (the types say string).
    expect(app.decodeSecureSession(undefined as unknown as string, app.log)).toBeNull();
    expect(app.decodeSecureSession('not;a-session', app.log)).toBeNull();
    const session = app.decodeSecureSession(cookie, app.log)!;
    expect(session.data()).toEqual({ email: 'editor@example.com' });
    const ts = tsOf(session);
    expect(typeof ts).toBe('number');
    expect(ts).toBeGreaterThanOrEqual(before);
    expect(ts).toBeLessThanOrEqual(after);
    expect(session.changed).toBe(false);
  });

  it('expires a session at (__ts + expiry) seconds, the check the cache repeats', async () => {
    const app = await open();
    const cookie = await sessionCookie(app);
    const ts = tsOf(app.decodeSecureSession(cookie, app.log)) as number;
    const realNow = Date.now;
    try {
      Date.now = () => (ts + EXPIRY_SECONDS) * 1000 - 1;
      expect(app.decodeSecureSession(cookie, app.log)).not.toBeNull();
      Date.now = () => (ts + EXPIRY_SECONDS) * 1000;
      expect(app.decodeSecureSession(cookie, app.log)).toBeNull();
    } finally {
      Date.now = realNow;
    }
  });

  it('createSecureSession keeps a given `__ts` and is unchanged, so a cached copy writes no new cookie', async () => {
    const app = await open();
    const copy = app.createSecureSession({ email: 'editor@example.com', __ts: 1234 });
    expect(tsOf(copy)).toBe(1234);
    expect(copy.data()).toEqual({ email: 'editor@example.com' });
    expect(copy.changed).toBe(false);

    const cookie = await sessionCookie(app);
    const decoded = app.decodeSecureSession(cookie, app.log)!;
    app.decodeSecureSession = () => app.createSecureSession({ ...decoded.data(), __ts: tsOf(decoded) });
    const answer = await app.inject({ method: 'GET', url: '/read', cookies: { [COOKIE]: cookie } });
    expect(answer.json()).toEqual({ email: 'editor@example.com', changed: false });
    expect(answer.cookies).toHaveLength(0);
  });

  it('a session sealed with an older key decodes as `changed` (so the cache leaves it out until it is rewritten)', async () => {
    const oldKey = randomBytes(32);
    const cookie = await sessionCookie(await open(oldKey));
    const rotated = await open([randomBytes(32), oldKey]);
    const session = rotated.decodeSecureSession(cookie, rotated.log)!;
    expect(session.data()).toEqual({ email: 'editor@example.com' });
    expect(session.changed).toBe(true);
  });

  it('its onSend hook writes the cookie through `reply.setCookie` as it stands at send time (the TLS rename wraps it)', async () => {
    const app = Fastify();
    apps.push(app);
    await app.register(secureSession, { key: randomBytes(32), cookieName: COOKIE, expiry: EXPIRY_SECONDS, cookie: { path: '/' } });
    app.addHook('onRequest', (_request, reply, done) => {
      const setCookie = reply.setCookie;
      reply.setCookie = function renamed(this: FastifyReply, name, value, options) {
        return setCookie.call(this, name === COOKIE ? `__Host-${COOKIE}` : name, value, options);
      };
      done();
    });
    app.post('/write', async (request) => {
      request.session.set('email', 'editor@example.com');
      return { ok: true };
    });
    const answer = await app.inject({ method: 'POST', url: '/write' });
    expect(answer.cookies.map((c) => c.name)).toEqual([`__Host-${COOKIE}`]);
  });
});
