// Load shedding on the real server: with a 1 ms limit and the event loop blocked (the server runs in
// this process), requests are refused 503 problem+json with Retry-After; probes and scrapes are not.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PROBLEM_TYPES } from '../api';
import { SEED_PEOPLE } from '../../test/seed';
import { metricSample, rawCall, startConsole, type RunningConsole } from '../../test/server-support';

const TOKEN = 'load-shedding-test-token-0123456789';
const wallets = `/api/payout/wallet/${SEED_PEOPLE.ada.userToken}`;

/** Holds the event loop, as a runaway request would. */
const blockFor = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};

let c: RunningConsole;
beforeAll(async () => {
  c = await startConsole({ loadShedding: { maxEventLoopDelayMs: 1 }, metrics: { token: TOKEN } });
  // The start itself lags the loop (the embedded database opens in this process): the server sheds
  // until a quiet second has been sampled. Signed in once it answers an anonymous read with 401.
  await vi.waitFor(async () => expect((await rawCall(c.baseUrl, 'GET', wallets)).status).toBe(401), { timeout: 10_000, interval: 100 });
  await c.sessionCookie('editor');
});
afterAll(() => c.close());

describe('load shedding (@fastify/under-pressure)', () => {
  it('answers 503 problem+json with Retry-After while the event loop lags; /healthz, /readyz and /metrics still answer', async () => {
    // The plugin samples the loop's mean delay each second; blocked half of every second, it stays over 1 ms.
    // A refusal before and after the probes means they were asked while shedding (a state lasts a second at least).
    const walletReads = () => c.embedded.sandbox.stats.byRoute.listWallets ?? 0;
    let result: { before: Awaited<ReturnType<RunningConsole['call']>>; probes: number[]; reads: number } | undefined;
    for (let round = 0; round < 20 && !result; round++) {
      blockFor(500);
      await sleep(5);
      const reads = walletReads();
      const before = await c.call('GET', wallets);
      if (before.status !== 503) continue;
      const probes = [
        (await rawCall(c.baseUrl, 'GET', '/healthz')).status,
        (await rawCall(c.baseUrl, 'GET', '/readyz')).status,
        (await rawCall(c.baseUrl, 'GET', '/metrics', { headers: { authorization: `Bearer ${TOKEN}` } })).status,
      ];
      const after = (await c.call('GET', wallets)).status;
      if (after === 503) result = { before, probes, reads };
    }
    expect(result, 'the server never shed load').toBeDefined();
    const { before, probes, reads } = result!;
    expect(probes).toEqual([200, 200, 200]);
    expect(before.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(before.headers.get('retry-after')).toBe('5');
    expect(before.headers.get('x-request-id')).toBe(before.body.requestId);
    expect(before.body).toEqual({
      type: PROBLEM_TYPES.overloaded,
      title: 'The console is overloaded',
      status: 503,
      detail: expect.stringMatching(/too busy/),
      source: 'console',
      requestId: expect.any(String),
    });
    // Refused before MassPay was asked.
    expect(walletReads()).toBe(reads);
    const metrics = await rawCall(c.baseUrl, 'GET', '/metrics', { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(
      metricSample(metrics.text, 'console_http_request_duration_seconds_count', { route: 'listWallets', method: 'GET', status: '503' }),
    ).toBeGreaterThanOrEqual(2);
  });
});
