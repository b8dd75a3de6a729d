import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MASSPAY_ERRORS } from '../api';
import { SEED_DESTINATIONS, SEED_PEOPLE } from './seed';
import { startSandbox, type RunningSandbox } from '../../test/sandbox-support';

const { ada } = SEED_PEOPLE;
const wallets = `/payout/wallet/${ada.userToken}`;
const adaRules = `/payout/wallet/${ada.userToken}/${ada.usdWallet}/autopayout`;

let sb: RunningSandbox;
beforeEach(async () => {
  sb = await startSandbox();
});
afterEach(() => sb.close());

describe('fault injection', () => {
  it('is off by default', async () => {
    expect((await sb.call('GET', '/__sandbox/faults')).body).toEqual({ latencyMs: 0, failureRate: 0, failureStatus: 500 });
    for (let i = 0; i < 20; i++) expect((await sb.call('GET', wallets)).status).toBe(200);
  });

  it('fails the next N requests with a status, with MassPay’s body, then recovers', async () => {
    expect((await sb.call('PUT', '/__sandbox/faults', { body: { failNext: { count: 2, status: 503 } } })).status).toBe(200);
    const a = await sb.call('GET', wallets);
    const b = await sb.call('GET', wallets);
    expect([a.status, b.status]).toEqual([503, 503]);
    expect(a.body.message).toBe(MASSPAY_ERRORS[503].message);
    expect((await sb.call('GET', wallets)).status).toBe(200);
  });

  it('latency delays a change but does not cancel it: a client that gives up waiting still changed the wallet', async () => {
    sb.sandbox.faults.set({ latencyMs: 600 });
    const abandoned = fetch(`${sb.baseUrl}${adaRules}`, {
      method: 'POST',
      headers: { authorization: sb.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ destination_token: SEED_DESTINATIONS.quickCash, percentage: 5 }),
      signal: AbortSignal.timeout(150),
    });
    await expect(abandoned).rejects.toThrow();
    sb.sandbox.faults.clear();
    await new Promise((resolve) => setTimeout(resolve, 800));
    const rules = (await sb.call('GET', adaRules)).body as { destination_token: string }[];
    expect(rules.map((r) => r.destination_token)).toContain(SEED_DESTINATIONS.quickCash);
  });

  it('drops the connection when asked', async () => {
    sb.sandbox.faults.set({ failNext: { count: 1, drop: true } });
    await expect(fetch(`${sb.baseUrl}${wallets}`, { headers: { authorization: sb.apiKey } })).rejects.toThrow();
    expect((await sb.call('GET', wallets)).status).toBe(200);
  });

  it('"after" makes the change but fails the answer: an idempotent retry then returns the stored rule', async () => {
    sb.sandbox.faults.set({ failNext: { count: 1, drop: true, phase: 'after', methods: ['POST'] } });
    const headers = { 'idempotency-key': 'dropped-add', authorization: sb.apiKey, 'content-type': 'application/json' };
    const body = JSON.stringify({ destination_token: SEED_DESTINATIONS.quickCash, percentage: 15 });
    // The GET is not a POST: it passes untouched.
    expect((await sb.call('GET', adaRules)).body).toHaveLength(2);
    await expect(fetch(`${sb.baseUrl}${adaRules}`, { method: 'POST', headers, body })).rejects.toThrow();
    expect((await sb.call('GET', adaRules)).body).toHaveLength(3);
    const retry = await fetch(`${sb.baseUrl}${adaRules}`, { method: 'POST', headers, body });
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect((await sb.call('GET', adaRules)).body).toHaveLength(3);
  });

  it('adds latency', async () => {
    sb.sandbox.faults.set({ latencyMs: 150 });
    const started = performance.now();
    expect((await sb.call('GET', wallets)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('fails at the configured rate with the configured status', async () => {
    await sb.call('PUT', '/__sandbox/faults', { body: { failureRate: 1, failureStatus: 502 } });
    expect((await sb.call('GET', wallets)).status).toBe(502);
    await sb.call('PUT', '/__sandbox/faults', { body: { failureRate: 0.5 } });
    const statuses = await Promise.all(Array.from({ length: 60 }, () => sb.call('GET', wallets).then((r) => r.status)));
    expect(statuses.filter((s) => s === 500).length).toBeGreaterThan(5);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(5);
    await sb.call('DELETE', '/__sandbox/faults');
    expect((await sb.call('GET', wallets)).status).toBe(200);
  });

  it('is configured from the environment too', async () => {
    const other = await startSandbox({ faults: { failNext: { count: 1, status: 504 } } });
    try {
      const res = await other.call('GET', wallets);
      expect(res.status).toBe(504);
      expect(res.body.code).toBe(500); // MassPay's Error504.code is 500 (sic)
    } finally {
      await other.close();
    }
  });

  it('refuses bad settings, and needs the key', async () => {
    expect((await sb.call('PUT', '/__sandbox/faults', { body: { failureRate: 2 } })).status).toBe(400);
    expect((await sb.call('PUT', '/__sandbox/faults', { body: { failNext: { count: 1 } } })).status).toBe(400);
    expect((await sb.call('GET', '/__sandbox/faults', { headers: { authorization: 'nope' } })).status).toBe(401);
  });
});

describe('request counter', () => {
  it('counts requests to MassPay routes by route, before auth, and can be reset', async () => {
    await sb.call('GET', wallets);
    await sb.call('GET', wallets, { headers: { authorization: 'wrong' } });
    await sb.call('GET', '/payout/nowhere');
    await sb.call('GET', '/__sandbox/faults');
    const stats = (await sb.call('GET', '/__sandbox/stats')).body;
    expect(stats).toEqual({ requests: 3, byRoute: { listWallets: 2, unmatched: 1 } });
    await sb.call('DELETE', '/__sandbox/stats');
    expect(sb.sandbox.stats.requests).toBe(0);
  });
});
