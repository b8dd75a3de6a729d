// GET /metrics on the real server in front of the embedded sandbox: what is counted, with which
// labels, and who may read it (a bearer of METRICS_TOKEN, or anyone who reaches METRICS_PORT).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROBLEM_TYPES } from '../../api';
import { SEED_DESTINATIONS as D, SEED_PEOPLE } from '../../../test/seed';
import { metricSample as sampleOf, rawCall, startConsole, TEST_PASSWORD, type RunningConsole } from '../../../test/server-support';

const { ada } = SEED_PEOPLE;
const TOKEN = 'metrics-test-token-0123456789abcdef';
const CSRF = { 'x-requested-with': 'XMLHttpRequest' };

describe('GET /metrics with METRICS_TOKEN', () => {
  let c: RunningConsole;
  const scrape = () => rawCall(c.baseUrl, 'GET', '/metrics', { headers: { authorization: `Bearer ${TOKEN}` } });
  beforeAll(async () => {
    // One free failure per account, then a delay: the second wrong password is throttled.
    c = await startConsole({ metrics: { token: TOKEN }, auth: { loginLimits: { perIp: 10_000, perAccount: 1, windowMs: 60_000 } } });
  });
  afterAll(() => c.close());

  it('counts requests, MassPay calls, audit writes, sign-ins and rule changes, labelled by route id or template', async () => {
    expect((await c.call('GET', `/api/payout/wallet/${ada.userToken}`)).status).toBe(200); // signs in as editor first
    const added = await c.call('POST', `/api/payout/wallet/${ada.userToken}/${ada.usdWallet}/autopayout`, {
      body: { destination_token: D.quickCash, percentage: 5 },
    });
    expect(added.status).toBe(200);
    const wrong = { body: { email: 'viewer@example.com', password: `${TEST_PASSWORD}-not` }, headers: CSRF };
    expect((await rawCall(c.baseUrl, 'POST', '/auth/login', wrong)).status).toBe(401);
    expect((await rawCall(c.baseUrl, 'POST', '/auth/login', wrong)).status).toBe(429);

    const res = await scrape();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const text = res.text;
    const requests = 'console_http_request_duration_seconds_count';
    expect(sampleOf(text, requests, { route: 'listWallets', method: 'GET', status: '200' })).toBe(1);
    expect(sampleOf(text, requests, { route: 'createAutopayRule', method: 'POST', status: '200' })).toBe(1);
    expect(sampleOf(text, requests, { route: '/auth/login', method: 'POST', status: '200' })).toBe(1);
    expect(sampleOf(text, requests, { route: '/auth/login', method: 'POST', status: '401' })).toBe(1);
    expect(sampleOf(text, requests, { route: '/auth/login', method: 'POST', status: '429' })).toBe(1);
    expect(sampleOf(text, 'console_http_request_duration_seconds_bucket', { route: 'listWallets', le: '+Inf' })).toBe(1);
    expect(sampleOf(text, 'console_masspay_request_duration_seconds_count', { route: 'listWallets', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(sampleOf(text, 'console_masspay_request_duration_seconds_count', { route: 'createAutopayRule', outcome: 'ok' })).toBe(1);
    for (const outcome of ['requested', 'succeeded']) {
      expect(sampleOf(text, 'console_audit_writes_total', { action: 'add_rule', outcome, result: 'ok' }), outcome).toBe(1);
      expect(sampleOf(text, 'console_rule_changes_total', { action: 'add_rule', outcome }), outcome).toBe(1);
    }
    expect(sampleOf(text, 'console_audit_write_duration_seconds_count', { result: 'ok' })).toBeGreaterThanOrEqual(2);
    expect(sampleOf(text, 'console_sign_ins_total', { result: 'success' })).toBe(1);
    expect(sampleOf(text, 'console_sign_ins_total', { result: 'failure' })).toBe(1);
    expect(sampleOf(text, 'console_sign_ins_total', { result: 'throttled' })).toBe(1);
    // The process's own: event-loop lag and memory.
    expect(sampleOf(text, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(sampleOf(text, 'nodejs_eventloop_lag_p99_seconds')).toBeGreaterThanOrEqual(0);
    expect(sampleOf(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(sampleOf(text, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    // Labels are route ids and templates: no token, email or raw path of a request is in them.
    expect(text).not.toContain(ada.userToken);
    expect(text).not.toContain('example.com');
    expect(text).not.toMatch(/route="\/api\/payout/);
  });

  it.each([
    ['no Authorization', {}],
    ['a wrong token', { authorization: `Bearer ${TOKEN}x` }],
    ['the token in another scheme', { authorization: `Basic ${TOKEN}` }],
    ['an empty bearer', { authorization: 'Bearer ' }],
  ])('refuses %s: 401 problem+json', async (_case, headers) => {
    const res = await rawCall(c.baseUrl, 'GET', '/metrics', { headers });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
    expect(res.body).toMatchObject({ type: PROBLEM_TYPES.unauthenticated, status: 401 });
    expect(res.text).not.toContain('console_');
  });

  it("refuses a staff session, even an admin's: metrics are not a staff page", async () => {
    const res = await c.call('GET', '/metrics', { as: 'admin' });
    expect(res.status).toBe(401);
    expect(res.text).not.toContain('console_');
  });

  it('counts the scrapes and refusals of /metrics by its template', async () => {
    const text = (await scrape()).text;
    expect(sampleOf(text, 'console_http_request_duration_seconds_count', { route: '/metrics', method: 'GET', status: '401' })).toBeGreaterThanOrEqual(5);
    expect(sampleOf(text, 'console_http_request_duration_seconds_count', { route: '/metrics', method: 'GET', status: '200' })).toBeGreaterThanOrEqual(1);
  });
});

describe('METRICS_PORT: a listener that serves only /metrics, without a token', () => {
  let c: RunningConsole;
  beforeAll(async () => {
    c = await startConsole({ metrics: { listener: { host: '127.0.0.1', port: 0 } } });
  });
  afterAll(() => c.close());

  it('serves the metrics without a token; the console port does not (no METRICS_TOKEN): 404', async () => {
    await c.call('GET', `/api/payout/wallet/${ada.userToken}`);
    const res = await rawCall(c.metricsUrl!, 'GET', '/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(sampleOf(res.text, 'console_http_request_duration_seconds_count', { route: 'listWallets', method: 'GET', status: '200' })).toBe(1);
    for (const init of [{}, { headers: { authorization: `Bearer ${TOKEN}` } }]) {
      const main = await rawCall(c.baseUrl, 'GET', '/metrics', init);
      expect(main.status).toBe(404);
      expect(main.body).toMatchObject({ type: PROBLEM_TYPES.notFound });
    }
    expect((await c.call('GET', '/metrics', { as: 'admin' })).status).toBe(404);
  });

  it('answers nothing else, and no browser', async () => {
    expect((await rawCall(c.metricsUrl!, 'GET', '/')).status).toBe(404);
    expect((await rawCall(c.metricsUrl!, 'GET', '/api/payout/country/list')).status).toBe(404);
    expect((await rawCall(c.metricsUrl!, 'GET', '/metrics?x=1')).status).toBe(200);
    const post = await rawCall(c.metricsUrl!, 'POST', '/metrics', { body: {} });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const browser = await rawCall(c.metricsUrl!, 'GET', '/metrics', { headers: { 'sec-fetch-mode': 'cors', 'sec-fetch-site': 'same-origin' } });
    expect(browser.status).toBe(403);
    expect(browser.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});
