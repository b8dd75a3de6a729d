import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROBLEM_TYPES } from '../../api';
import { SEED_DESTINATIONS as D, SEED_PEOPLE } from '../../../test/seed';
import { rawCall, sessionCookieOf, startConsole, TEST_PASSWORD, type RunningConsole } from '../../../test/server-support';
import { SESSION_COOKIE, TLS_SESSION_COOKIE } from '.';
import { loadStaff } from './setup';

const { ada } = SEED_PEOPLE;
const rules = `/api/payout/wallet/${ada.userToken}/${ada.usdWallet}/autopayout`;
const XHR = { 'x-requested-with': 'XMLHttpRequest' };

const login = (c: RunningConsole, email: string, password: string, headers: Record<string, string> = XHR) =>
  rawCall(c.baseUrl, 'POST', '/auth/login', { body: { email, password }, headers });

describe('sign-in, sessions and sign-out', () => {
  let c: RunningConsole;
  let clock = Date.now();
  beforeAll(async () => {
    // The demo accounts hashed at the production cost, as `npm start` has them: the timing test
    // below compares a real check with the decoy's (test consoles otherwise hash at a low cost).
    c = await startConsole({ auth: { now: () => clock, staff: await loadStaff({ demoPassword: TEST_PASSWORD }) } });
  });
  afterAll(() => c.close());

  it('signs in with the right password: the profile, and an HttpOnly, SameSite=Strict session cookie', async () => {
    const res = await login(c, ' Editor@Example.com ', TEST_PASSWORD);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ email: 'editor@example.com', name: 'Demo Editor', role: 'editor' });
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=`));
    expect(cookie).toMatch(/; HttpOnly/i);
    expect(cookie).toMatch(/; SameSite=Strict/i);
    expect(cookie).toMatch(/; Path=\//i);
    expect(cookie).not.toMatch(/; Secure/i); // plain HTTP here; see the TLS test below
    expect(cookie).not.toMatch(/Max-Age|Expires/i); // ends with the browser
    const me = await rawCall(c.baseUrl, 'GET', '/auth/me', { headers: { cookie: sessionCookieOf(res.headers)! } });
    expect(me.body.role).toBe('editor');
  });

  it('one generic 401 for a wrong password and for an unknown email, in comparable time', async () => {
    const time = async (email: string) => {
      const started = performance.now();
      const res = await login(c, email, 'not-the-password');
      return { res, ms: performance.now() - started };
    };
    const wrong = await time('viewer@example.com');
    const unknown = await time('nobody@example.com');
    for (const { res } of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.headers.get('set-cookie')).toBeNull();
      expect(res.body.type).toBe(PROBLEM_TYPES.unauthenticated);
    }
    expect(unknown.res.body.detail).toBe(wrong.res.body.detail);
    // Both run one scrypt check (tens of ms); an unknown email that skipped it would take ~1 ms.
    expect(unknown.ms).toBeGreaterThan(wrong.ms / 3);
  });

  it('refuses a sign-in body that is not an email and a password, with field errors', async () => {
    const res = await rawCall(c.baseUrl, 'POST', '/auth/login', { body: { email: 'not-an-email' }, headers: XHR });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.errors)).toEqual(expect.arrayContaining(['email', 'password']));
  });

  it('expires a session after 30 idle minutes, and 12 hours after sign-in however busy', async () => {
    const fresh = await startConsole({ auth: { now: () => clock } });
    try {
      // A browser keeps whatever cookie the last answer set.
      let cookie = await fresh.sessionCookie('viewer');
      const use = async () => {
        const res = await rawCall(fresh.baseUrl, 'GET', '/api/payout/country/list', { headers: { cookie } });
        cookie = sessionCookieOf(res.headers) ?? cookie;
        return res;
      };
      clock += 29 * 60_000;
      expect((await use()).status).toBe(200);
      clock += 29 * 60_000; // 58 minutes since sign-in, but only 29 idle
      expect((await use()).status).toBe(200);
      clock += 31 * 60_000;
      const idle = await use();
      expect(idle.status).toBe(401);
      expect(idle.body.type).toBe(PROBLEM_TYPES.unauthenticated);
      expect(idle.headers.get('set-cookie')).toMatch(new RegExp(`^${SESSION_COOKIE}=;`)); // cleared

      // Busy all day, renewing the cookie as a browser would: still refused after 12 h.
      let current = await login(fresh, 'editor@example.com', TEST_PASSWORD).then((r) => sessionCookieOf(r.headers)!);
      const signedInAt = clock;
      while (clock - signedInAt < 12 * 60 * 60_000 - 20 * 60_000) {
        clock += 20 * 60_000;
        const res = await rawCall(fresh.baseUrl, 'GET', '/auth/me', { headers: { cookie: current } });
        expect(res.status).toBe(200);
        current = sessionCookieOf(res.headers) ?? current;
      }
      clock += 21 * 60_000;
      expect((await rawCall(fresh.baseUrl, 'GET', '/auth/me', { headers: { cookie: current } })).status).toBe(401);
    } finally {
      clock = Date.now();
      await fresh.close();
    }
  });

  it('each request has a session of its own: one cookie, sent twice after a minute, is refreshed both times', async () => {
    // Decoded cookies are kept (auth/index.ts); a change made for one request must not leak into the next.
    const cookie = await c.sessionCookie('viewer');
    expect((await rawCall(c.baseUrl, 'GET', '/auth/me', { headers: { cookie } })).headers.get('set-cookie')).toBeNull();
    try {
      clock += 2 * 60_000;
      for (let i = 0; i < 2; i++) {
        const me = await rawCall(c.baseUrl, 'GET', '/auth/me', { headers: { cookie } });
        expect(me.status).toBe(200);
        expect(me.headers.get('set-cookie')).toMatch(new RegExp(`^${SESSION_COOKIE}=[^;]+;`));
      }
      // The refreshed cookie is a session too, and is not refreshed again within the minute.
      const refreshed = sessionCookieOf((await rawCall(c.baseUrl, 'GET', '/auth/me', { headers: { cookie } })).headers)!;
      const again = await rawCall(c.baseUrl, 'GET', '/auth/me', { headers: { cookie: refreshed } });
      expect(again.status).toBe(200);
      expect(again.headers.get('set-cookie')).toBeNull();
    } finally {
      clock = Date.now();
    }
  });

  it('sign-out answers 204, clears the cookie and ends the session: a copy of the cookie is refused; other sessions live on', async () => {
    const signIn = async () => sessionCookieOf((await login(c, 'viewer@example.com', TEST_PASSWORD)).headers)!;
    const [cookie, otherTab] = [await signIn(), await signIn()];
    const out = await rawCall(c.baseUrl, 'POST', '/auth/logout', { headers: { cookie, ...XHR } });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(new RegExp(`^${SESSION_COOKIE}=;.*(Max-Age=0|Expires=Thu, 01 Jan 1970)`, 'i'));
    expect((await rawCall(c.baseUrl, 'GET', '/auth/me', { headers: { cookie } })).status).toBe(401);
    expect((await rawCall(c.baseUrl, 'GET', `/api/payout/wallet/${ada.userToken}`, { headers: { cookie } })).status).toBe(401);
    expect((await rawCall(c.baseUrl, 'GET', '/auth/me', { headers: { cookie: otherTab } })).status).toBe(200);
    // Signing out again with the ended cookie is harmless.
    expect((await rawCall(c.baseUrl, 'POST', '/auth/logout', { headers: { cookie, ...XHR } })).status).toBe(204);
  });

  it('a forged or tampered cookie is no session', async () => {
    const cookie = await c.sessionCookie('editor');
    const tampered = cookie.replace(/=(.)/, (_m, first: string) => `=${first === 'A' ? 'B' : 'A'}`);
    expect((await rawCall(c.baseUrl, 'GET', '/auth/me', { headers: { cookie: tampered } })).status).toBe(401);
    expect((await rawCall(c.baseUrl, 'GET', '/auth/me', { headers: { cookie: `${SESSION_COOKIE}=eyJlbWFpbCI6ImFkbWluQGV4YW1wbGUuY29tIn0` } })).status).toBe(
      401,
    );
  });
});

describe('sign-out across replicas', () => {
  let a: RunningConsole;
  let b: RunningConsole;
  // Two servers, one database and one session key: what DATABASE_URL and SESSION_SECRET give replicas.
  const sessionKey = randomBytes(32);
  beforeAll(async () => {
    a = await startConsole({ auth: { sessionKey, endedSessionsRefreshMs: 50 } });
    b = await startConsole({ audit: a.audit, auth: { sessionKey, endedSessionsRefreshMs: 50 } });
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  it('a session signed out on one replica is refused by the other once it has read the list again', async () => {
    const cookie = sessionCookieOf((await login(a, 'editor@example.com', TEST_PASSWORD)).headers)!;
    expect((await rawCall(b.baseUrl, 'GET', '/auth/me', { headers: { cookie } })).status).toBe(200);
    expect((await rawCall(a.baseUrl, 'POST', '/auth/logout', { headers: { cookie, ...XHR } })).status).toBe(204);
    expect((await rawCall(a.baseUrl, 'GET', '/auth/me', { headers: { cookie } })).status).toBe(401);
    await expect.poll(async () => (await rawCall(b.baseUrl, 'GET', '/auth/me', { headers: { cookie } })).status, { timeout: 5_000, interval: 25 }).toBe(401);
  });

  it('a server started after the sign-out knows of it from the start', async () => {
    const cookie = sessionCookieOf((await login(a, 'viewer@example.com', TEST_PASSWORD)).headers)!;
    expect((await rawCall(a.baseUrl, 'POST', '/auth/logout', { headers: { cookie, ...XHR } })).status).toBe(204);
    const late = await startConsole({ audit: a.audit, auth: { sessionKey, endedSessionsRefreshMs: 60_000 } });
    try {
      expect((await rawCall(late.baseUrl, 'GET', '/auth/me', { headers: { cookie } })).status).toBe(401);
    } finally {
      await late.close();
    }
  });

  it('when the sign-out cannot be recorded, the browser is still signed out and the failure is logged', async () => {
    const sql = a.audit.sql;
    const refusingSignOuts = {
      ...sql,
      query: <Row>(text: string, params?: unknown[]) =>
        text.includes('INSERT INTO ended_sessions') ? Promise.reject(new Error('database down')) : sql.query<Row>(text, params),
    };
    const failing = await startConsole({ audit: { ...a.audit, sql: refusingSignOuts } });
    try {
      const cookie = await failing.sessionCookie('viewer');
      const out = await rawCall(failing.baseUrl, 'POST', '/auth/logout', { headers: { cookie, ...XHR } });
      expect(out.status).toBe(204);
      expect(out.headers.get('set-cookie')).toMatch(new RegExp(`^${SESSION_COOKIE}=;`));
      expect(failing.logs.join('')).toMatch(/sign-out: the session could not be listed as ended/);
    } finally {
      await failing.close();
    }
  });
});

describe('sign-in limits', () => {
  let c: RunningConsole;
  // A clock that stands still: no wait runs out between two requests (login-throttle.test.ts moves it).
  const clock = Date.now();
  beforeAll(async () => {
    c = await startConsole({ auth: { now: () => clock, loginLimits: { perIp: 8, perAccount: 3, windowMs: 60_000 } } });
  });
  afterAll(() => c.close());

  it('limits failed sign-ins per account (429 with Retry-After), even with the right password then; other accounts unaffected', async () => {
    for (let i = 0; i < 3; i++) expect((await login(c, 'admin@example.com', `wrong-${i}`)).status).toBe(401);
    const blocked = await login(c, 'admin@example.com', TEST_PASSWORD);
    expect(blocked.status).toBe(429);
    expect(blocked.body.type).toBe(PROBLEM_TYPES.tooManyAttempts);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await login(c, 'editor@example.com', TEST_PASSWORD)).status).toBe(200);
  });

  it('limits failed sign-ins per address across accounts', async () => {
    // 3 failures so far from this address (the admin's); the limit is 8.
    let status = 0;
    for (let i = 0; i < 10 && status !== 429; i++) status = (await login(c, `someone-${i}@example.com`, 'x')).status;
    expect(status).toBe(429);
    // Even the right password of an unblocked account waits now: it comes from the same address.
    expect((await login(c, 'viewer@example.com', TEST_PASSWORD)).status).toBe(429);
  });
});

describe('CSRF: every state-changing request is same-origin and carries X-Requested-With', () => {
  let c: RunningConsole;
  beforeAll(async () => {
    c = await startConsole();
  });
  afterAll(() => c.close());

  const add = async (headers: Record<string, string>, csrf = true) => {
    const before = c.embedded.sandbox.stats.requests;
    const res = await c.call('POST', rules, { body: { destination_token: D.quickCash, percentage: 1 }, headers, csrf });
    return { res, reached: c.embedded.sandbox.stats.requests - before };
  };

  it.each([
    ['no X-Requested-With (a cross-site form post)', {}, false],
    ['another Origin (a cross-site fetch)', { origin: 'https://evil.example' }, true],
    ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }, true],
    ['Origin null (a sandboxed frame)', { origin: 'null' }, true],
  ])('refuses %s with 403 before MassPay is asked', async (_name, headers, csrf) => {
    const { res, reached } = await add(headers as Record<string, string>, csrf as boolean);
    expect(res.status).toBe(403);
    expect(res.body.type).toBe(PROBLEM_TYPES.crossSite);
    expect(reached).toBe(0);
  });

  it('accepts the same origin', async () => {
    const { res } = await add({ origin: c.baseUrl, 'sec-fetch-site': 'same-origin' });
    expect(res.status).toBe(200);
    await c.call('DELETE', `${rules}?token=${res.body.token}`);
  });

  it('guards sign-in and sign-out too', async () => {
    expect((await login(c, 'editor@example.com', TEST_PASSWORD, {})).status).toBe(403);
    expect((await login(c, 'editor@example.com', TEST_PASSWORD, { ...XHR, origin: 'https://evil.example' })).status).toBe(403);
    expect((await rawCall(c.baseUrl, 'POST', '/auth/logout', {})).status).toBe(403);
  });
});

describe('behind TLS and an identity proxy', () => {
  it('over HTTPS (as the trusted proxy says): the cookie is Secure and named __Host-…, and only that name is a session there', async () => {
    const c = await startConsole({ trustProxy: ['127.0.0.1'] });
    try {
      const tls = { ...XHR, 'x-forwarded-proto': 'https' };
      const res = await login(c, 'editor@example.com', TEST_PASSWORD, tls);
      expect(res.status).toBe(200);
      const line = res.headers.get('set-cookie')!;
      expect(line).toMatch(new RegExp(`^${TLS_SESSION_COOKIE}=[^;]+;`));
      // What a browser requires of a __Host- cookie: Secure, Path=/, no Domain.
      expect(line).toMatch(/; Secure/i);
      expect(line).toMatch(/; Path=\/(;|$)/i);
      expect(line).not.toMatch(/Domain=/i);
      const value = /^[^=]+=([^;]+)/.exec(line)![1]!;
      const me = (cookie: string, proto?: string) =>
        rawCall(c.baseUrl, 'GET', '/auth/me', { headers: { cookie, ...(proto ? { 'x-forwarded-proto': proto } : {}) } });
      expect((await me(`${TLS_SESSION_COOKIE}=${value}`, 'https')).status).toBe(200);
      // Over TLS the plain name, which a plain-HTTP page or a sibling domain could have set, is no session;
      // over plain HTTP the __Host- one is none either.
      expect((await me(`${SESSION_COOKIE}=${value}`, 'https')).status).toBe(401);
      expect((await me(`${TLS_SESSION_COOKIE}=${value}`)).status).toBe(401);
      // Sign-out clears the __Host- cookie and ends the session.
      const out = await rawCall(c.baseUrl, 'POST', '/auth/logout', { headers: { cookie: `${TLS_SESSION_COOKIE}=${value}`, ...tls } });
      expect(out.status).toBe(204);
      expect(out.headers.get('set-cookie')).toMatch(new RegExp(`^${TLS_SESSION_COOKIE}=;`));
      expect((await me(`${TLS_SESSION_COOKIE}=${value}`, 'https')).status).toBe(401);
    } finally {
      await c.close();
    }
  });

  it('TRUSTED_AUTH_HEADER: believed from the trusted proxy only; the role comes from the staff file; no sign-in form', async () => {
    const trusted = await startConsole({ auth: { trustedHeader: { name: 'X-Forwarded-Email', proxies: ['127.0.0.1'] } } });
    const untrusted = await startConsole({ auth: { trustedHeader: { name: 'X-Forwarded-Email', proxies: ['10.0.0.1'] } } });
    try {
      const as = (c: RunningConsole, email: string, method = 'GET', path = '/auth/me') =>
        rawCall(c.baseUrl, method, path, {
          headers: { 'x-forwarded-email': email, ...XHR },
          body: method === 'POST' ? { destination_token: D.quickCash, percentage: 1 } : undefined,
        });
      expect((await as(trusted, 'Viewer@Example.com')).body).toMatchObject({ email: 'viewer@example.com', role: 'viewer' });
      expect((await as(trusted, 'viewer@example.com', 'POST', rules)).status).toBe(403);
      expect((await as(trusted, 'stranger@example.com')).status).toBe(401);
      expect((await as(trusted, 'stranger@example.com', 'GET', '/api/payout/country/list')).status).toBe(401);
      expect((await as(untrusted, 'admin@example.com')).status).toBe(401);
      expect((await login(trusted, 'editor@example.com', TEST_PASSWORD)).status).toBe(404);
    } finally {
      await trusted.close();
      await untrusted.close();
    }
  });
});
