import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MASSPAY_ERRORS, autopayRuleSchema, deleteAutopayRuleResultSchema } from '../api';
import { SEED_DESTINATIONS, SEED_PEOPLE } from './seed';
import { startSandbox, type RunningSandbox } from '../../test/sandbox-support';

const { ada, grace } = SEED_PEOPLE;
const adaRules = `/payout/wallet/${ada.userToken}/${ada.usdWallet}/autopayout`;

let sb: RunningSandbox;
beforeEach(async () => {
  sb = await startSandbox();
});
afterEach(() => sb.close());

const rulesOf = async (path = adaRules) => (await sb.call('GET', path)).body as { token: string; destination_token: string; percentage: number }[];

/** A refusal: 400, MassPay's body, a reason, the field named in details, and nothing changed. */
const expectRefused = async (path: string, body: unknown, field: string, reason: RegExp) => {
  const before = await rulesOf(path);
  const res = await sb.call('POST', path, { body });
  expect(res.status).toBe(400);
  expect(res.body.message).toBe(MASSPAY_ERRORS[400].message);
  expect(res.body.error.reason).toMatch(reason);
  expect(res.body.error.details.some((d: string) => d.startsWith(`${field}: `))).toBe(true);
  expect(await rulesOf(path)).toEqual(before);
};

describe('#3 add a rule', () => {
  it('adds 15 % to QuickCash: 200, the rule back, listed afterwards', async () => {
    const res = await sb.call('POST', adaRules, { body: { destination_token: SEED_DESTINATIONS.quickCash, percentage: 15 } });
    expect(res.status).toBe(200);
    const rule = autopayRuleSchema.parse(res.body);
    expect(rule).toMatchObject({ destination_token: SEED_DESTINATIONS.quickCash, percentage: 15, attr_set_token: '' });
    expect(rule.token).toMatch(/^autopayout_[0-9a-f-]{36}$/);
    expect((await rulesOf()).map((r) => r.percentage)).toEqual([60, 25, 15]);
  });

  it('keeps an attribute set token and two decimals exactly', async () => {
    const attr = 'attr_set_e2ca24e9-c546-4c64-90d2-cb8e70e7c9ba';
    const res = await sb.call('POST', adaRules, { body: { destination_token: SEED_DESTINATIONS.quickCash, percentage: 14.99, attr_set_token: attr } });
    expect(res.body).toMatchObject({ percentage: 14.99, attr_set_token: attr });
  });

  it('allows exactly 100 % in two-decimal parts (no float drift)', async () => {
    const path = `/payout/wallet/${grace.userToken}/${grace.eurWallet}/autopayout`;
    const euro = ['dest_5eadb04c-c16f-409d-9cb5-6d8fce4ba055'];
    const others = (await sb.call('GET', '/payout/country/FRA')).body.companies[0].services[0].payers[0].destination_token;
    const berlin = (await sb.call('GET', '/payout/country/DEU?payer_name=berlin')).body.companies[0].services[0].payers[0].destination_token;
    euro.push(others, berlin);
    for (const [i, p] of [33.33, 33.33, 33.34].entries()) {
      expect((await sb.call('POST', path, { body: { destination_token: euro[i], percentage: p } })).status).toBe(200);
    }
    expect((await rulesOf(path)).reduce((s, r) => s + r.percentage, 0)).toBeCloseTo(100, 10);
  });

  describe('policy refusals: 400 naming the field, nothing changed', () => {
    it('percentage out of range or with three decimals', async () => {
      for (const percentage of [0, -5, 100.001, 12.345, 101]) {
        await expectRefused(adaRules, { destination_token: SEED_DESTINATIONS.quickCash, percentage }, 'percentage', /percentage/i);
      }
    });

    it('a total over 100 % (85 % allocated, 16 % asked)', async () => {
      await expectRefused(adaRules, { destination_token: SEED_DESTINATIONS.quickCash, percentage: 16 }, 'percentage', /100 %.*15 % is unallocated/);
    });

    it('a destination in another currency (Banco Ejemplo pays MXN)', async () => {
      await expectRefused(adaRules, { destination_token: SEED_DESTINATIONS.bancoEjemplo, percentage: 5 }, 'destination_token', /MXN.*USD/);
    });

    it('a destination already used by the wallet', async () => {
      await expectRefused(adaRules, { destination_token: SEED_DESTINATIONS.evergreen, percentage: 5 }, 'destination_token', /already has a rule/);
    });

    it('a destination that does not exist', async () => {
      await expectRefused(
        adaRules,
        { destination_token: 'dest_00000000-0000-4000-8000-000000000000', percentage: 5 },
        'destination_token',
        /No payout destination/,
      );
    });

    it('an inactive wallet', async () => {
      await expectRefused(
        `/payout/wallet/${ada.userToken}/${ada.inactiveWallet}/autopayout`,
        { destination_token: SEED_DESTINATIONS.quickCash, percentage: 5 },
        'wallet_token',
        /inactive/,
      );
    });

    it('a fully allocated wallet (Grace)', async () => {
      await expectRefused(
        `/payout/wallet/${grace.userToken}/${grace.usdWallet}/autopayout`,
        { destination_token: SEED_DESTINATIONS.quickCash, percentage: 0.01 },
        'percentage',
        /0 % is unallocated/,
      );
    });

    it('a missing destination, or percentage, or an unknown field', async () => {
      await expectRefused(adaRules, { percentage: 5 }, 'destination_token', /destination_token/);
      await expectRefused(adaRules, { destination_token: SEED_DESTINATIONS.quickCash }, 'percentage', /percentage/);
      const res = await sb.call('POST', adaRules, { body: { destination_token: SEED_DESTINATIONS.quickCash, percentage: 5, amount: 1 } });
      expect(res.status).toBe(400);
      expect(res.body.error.reason).toMatch(/unknown field "amount"/);
    });
  });

  it('404s for an unknown user or wallet', async () => {
    const body = { destination_token: SEED_DESTINATIONS.quickCash, percentage: 5 };
    expect((await sb.call('POST', `/payout/wallet/usr_00000000-0000-4000-8000-000000000000/${ada.usdWallet}/autopayout`, { body })).status).toBe(404);
    expect((await sb.call('POST', `/payout/wallet/${ada.userToken}/00000000-0000-4000-8000-000000000000/autopayout`, { body })).status).toBe(404);
  });
});

describe('#4 delete a rule', () => {
  it('deletes by ?token= and answers 200 with a JSON body', async () => {
    const [first] = await rulesOf();
    const res = await sb.call('DELETE', `${adaRules}?token=${first!.token}`);
    expect(res.status).toBe(200);
    expect(deleteAutopayRuleResultSchema.parse(res.body)).toEqual({ success: true, token: first!.token });
    expect((await rulesOf()).map((r) => r.percentage)).toEqual([25]);
  });

  it('404s an unknown rule, 400s a missing or malformed token; nothing changes', async () => {
    const before = await rulesOf();
    expect((await sb.call('DELETE', `${adaRules}?token=autopayout_00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    expect((await sb.call('DELETE', adaRules)).status).toBe(400);
    expect((await sb.call('DELETE', `${adaRules}?token=..%2F..`)).status).toBe(400);
    // A rule token of another wallet is unknown here.
    const graceRule = (await rulesOf(`/payout/wallet/${grace.userToken}/${grace.usdWallet}/autopayout`))[0]!.token;
    expect((await sb.call('DELETE', `${adaRules}?token=${graceRule}`)).status).toBe(404);
    expect(await rulesOf()).toEqual(before);
  });
});

describe('idempotency', () => {
  const body = { destination_token: SEED_DESTINATIONS.quickCash, percentage: 10 };

  it('replays the first answer for a repeated key and creates nothing new', async () => {
    const headers = { 'idempotency-key': '3f1c7f5e-2a4b-4c1d-9e8f-0a1b2c3d4e5f' };
    const first = await sb.call('POST', adaRules, { body, headers });
    const second = await sb.call('POST', adaRules, { body: { percentage: 10, destination_token: SEED_DESTINATIONS.quickCash }, headers });
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect((await rulesOf()).filter((r) => r.destination_token === SEED_DESTINATIONS.quickCash)).toHaveLength(1);
  });

  it('refuses the same key with a different request', async () => {
    const headers = { 'idempotency-key': 'key-different-body' };
    expect((await sb.call('POST', adaRules, { body, headers })).status).toBe(200);
    const other = await sb.call('POST', adaRules, { body: { ...body, percentage: 5 }, headers });
    expect(other.status).toBe(400);
    expect(other.body.error.reason).toMatch(/Idempotency-Key was already used/);
    const elsewhere = await sb.call('DELETE', `${adaRules}?token=${(await rulesOf())[0]!.token}`, { headers });
    expect(elsewhere.status).toBe(400);
    expect((await rulesOf()).map((r) => r.percentage)).toEqual([60, 25, 10]);
  });

  it('does not store a refusal: the corrected request under the same key succeeds', async () => {
    const headers = { 'idempotency-key': 'key-after-refusal' };
    expect((await sb.call('POST', adaRules, { body: { ...body, percentage: 50 }, headers })).status).toBe(400);
    expect((await sb.call('POST', adaRules, { body: { ...body, percentage: 50 }, headers })).status).toBe(400);
    expect((await sb.call('POST', adaRules, { body, headers })).status).toBe(200);
  });

  it('replays deletes too: a retried delete answers 200 again instead of 404', async () => {
    const token = (await rulesOf())[1]!.token;
    const headers = { 'idempotency-key': 'delete-once' };
    expect((await sb.call('DELETE', `${adaRules}?token=${token}`, { headers })).status).toBe(200);
    expect((await sb.call('DELETE', `${adaRules}?token=${token}`, { headers })).status).toBe(200);
    expect((await sb.call('DELETE', `${adaRules}?token=${token}`)).status).toBe(404);
  });

  it('refuses a malformed key', async () => {
    const res = await sb.call('POST', adaRules, { body, headers: { 'idempotency-key': 'has space' } });
    expect(res.status).toBe(400);
    expect(await rulesOf()).toHaveLength(2);
  });
});

describe('concurrency', () => {
  it('racing adds on one wallet never pass 100 % together, and none is lost', async () => {
    // 85 % allocated: of 10 racing 10 % adds to distinct destinations, at most one fits (15 % left).
    const usd = ['dest_3c8b5e2a-af4d-4e7b-9a93-4b6dac2f8e33', 'dest_6fbec15d-d270-41ae-8dc6-7e9adf5cb166'];
    const more = (await sb.call('GET', '/payout/country/USA')).body.companies.flatMap((c: any) =>
      c.services.flatMap((s: any) => s.payers.map((p: any) => p.destination_token)),
    );
    const candidates = [...new Set([...usd, ...more])].filter((d) => d !== SEED_DESTINATIONS.evergreen && d !== SEED_DESTINATIONS.lakeside);
    expect(candidates.length).toBeGreaterThanOrEqual(6);
    const results = await Promise.all(candidates.map((destination_token) => sb.call('POST', adaRules, { body: { destination_token, percentage: 10 } })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 400)).toHaveLength(candidates.length - 1);
    const rules = await rulesOf();
    expect(rules.reduce((s, r) => s + r.percentage, 0)).toBe(95);
    // Everything acknowledged is on disk: a restarted sandbox on the same DATA_DIR sees the same rules.
    const again = await startSandbox({ dataDir: sb.dataDir });
    try {
      expect((await again.call('GET', adaRules)).body).toEqual(rules);
    } finally {
      await again.sandbox.close();
    }
  });

  it('racing adds of small shares all land until the wallet is full, and the sum is exact', async () => {
    const path = `/payout/wallet/${grace.userToken}/${grace.eurWallet}/autopayout`;
    const eur = (await sb.call('GET', '/payout/country/DEU')).body.companies.flatMap((c: any) =>
      c.services.flatMap((s: any) => s.payers.map((p: any) => p.destination_token)),
    );
    const fra = (await sb.call('GET', '/payout/country/FRA')).body.companies.flatMap((c: any) =>
      c.services.flatMap((s: any) => s.payers.map((p: any) => p.destination_token)),
    );
    const destinations = [...eur, ...fra];
    const results = await Promise.all(destinations.map((destination_token) => sb.call('POST', path, { body: { destination_token, percentage: 40 } })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(2);
    expect((await rulesOf(path)).reduce((s, r) => s + r.percentage, 0)).toBe(80);
  });
});
