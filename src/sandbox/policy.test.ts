import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MASSPAY_ERRORS } from '../api';
import { createSandbox, type SandboxOptions } from './app';
import { SEED_DESTINATIONS, SEED_PEOPLE } from './seed';
import { startSandbox, type RunningSandbox } from '../../test/sandbox-support';

const { ada, grace } = SEED_PEOPLE;
const adaRules = `/payout/wallet/${ada.userToken}/${ada.usdWallet}/autopayout`;
const graceRules = `/payout/wallet/${grace.userToken}/${grace.usdWallet}/autopayout`;
const quickCash = { destination_token: SEED_DESTINATIONS.quickCash, percentage: 10 };

let sb: RunningSandbox;
let running: RunningSandbox[] = [];
const start = async (options: Partial<SandboxOptions> = {}) => {
  sb = await startSandbox(options);
  running.push(sb);
  return sb;
};
afterEach(async () => {
  await Promise.all(running.map((s) => s.close()));
  running = [];
});

const rulesOf = async (path = adaRules) => (await sb.call('GET', path)).body as { token: string; destination_token: string; percentage: number }[];
const totalOf = (rules: { percentage: number }[]) => rules.reduce((sum, r) => sum + Math.round(r.percentage * 100), 0) / 100;

const expect400 = (res: { status: number; body: any }, field: string, reason: RegExp) => {
  expect(res.status).toBe(400);
  expect(res.body.message).toBe(MASSPAY_ERRORS[400].message);
  expect(res.body.error.reason).toMatch(reason);
  expect(res.body.error.details.some((d: string) => d.startsWith(`${field}: `))).toBe(true);
};

describe('lenient policy: MassPay’s documented rules only', () => {
  it('lets a wallet’s rules total over 100 % (Grace is already full; Ada goes to 160 %)', async () => {
    await start({ policy: 'lenient' });
    expect((await sb.call('POST', graceRules, { body: { destination_token: SEED_DESTINATIONS.evergreen, percentage: 50 } })).status).toBe(200);
    expect(totalOf(await rulesOf(graceRules))).toBe(150);
    expect((await sb.call('POST', adaRules, { body: { destination_token: SEED_DESTINATIONS.quickCash, percentage: 75 } })).status).toBe(200);
    expect(totalOf(await rulesOf())).toBe(160);
  });

  it('allows the same destination twice in one wallet', async () => {
    await start({ policy: 'lenient' });
    const res = await sb.call('POST', adaRules, { body: { destination_token: SEED_DESTINATIONS.evergreen, percentage: 5 } });
    expect(res.status).toBe(200);
    expect((await rulesOf()).filter((r) => r.destination_token === SEED_DESTINATIONS.evergreen)).toHaveLength(2);
    // Deleting one of the pair by its token leaves the other.
    expect((await sb.call('DELETE', `${adaRules}?token=${res.body.token}`)).status).toBe(200);
    expect((await rulesOf()).filter((r) => r.destination_token === SEED_DESTINATIONS.evergreen)).toHaveLength(1);
  });

  it('ignores Idempotency-Key: one key, two POSTs, two rules; one key, another body, no refusal; a malformed key is not read', async () => {
    await start({ policy: 'lenient' });
    const headers = { 'idempotency-key': 'lenient-same-key' };
    const first = await sb.call('POST', adaRules, { body: quickCash, headers });
    const second = await sb.call('POST', adaRules, { body: quickCash, headers });
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.headers.get('idempotent-replayed')).toBeNull();
    expect(second.body.token).not.toBe(first.body.token);
    expect((await rulesOf()).filter((r) => r.destination_token === SEED_DESTINATIONS.quickCash)).toHaveLength(2);
    expect((await sb.call('POST', adaRules, { body: { ...quickCash, percentage: 5 }, headers })).status).toBe(200);
    expect((await sb.call('POST', adaRules, { body: quickCash, headers: { 'idempotency-key': 'has space' } })).status).toBe(200);
    expect(await rulesOf()).toHaveLength(6);
    expect(sb.sandbox.store.state.idempotency).toEqual({});
  });

  it('still refuses what MassPay documents: another currency, unknown user/wallet/rule, malformed input', async () => {
    await start({ policy: 'lenient' });
    expect400(
      await sb.call('POST', adaRules, { body: { destination_token: SEED_DESTINATIONS.bancoEjemplo, percentage: 10 } }),
      'destination_token',
      /pays out in MXN.*holds USD/,
    );
    expect400(await sb.call('POST', adaRules, { body: { destination_token: SEED_DESTINATIONS.quickCash, percentage: 10.001 } }), 'percentage', /./);
    expect400(await sb.call('POST', adaRules, { body: { destination_token: SEED_DESTINATIONS.quickCash, percentage: 0 } }), 'percentage', /./);
    expect400(await sb.call('POST', adaRules, { body: { destination_token: SEED_DESTINATIONS.quickCash, percentage: 100.01 } }), 'percentage', /./);
    expect400(await sb.call('POST', adaRules, { body: { destination_token: SEED_DESTINATIONS.quickCash } }), 'percentage', /./);
    expect400(
      await sb.call('POST', adaRules, { body: { destination_token: 'dest_00000000-0000-4000-8000-000000000000', percentage: 10 } }),
      'destination_token',
      /No payout destination/,
    );
    const inactive = `/payout/wallet/${ada.userToken}/${ada.inactiveWallet}/autopayout`;
    expect400(await sb.call('POST', inactive, { body: quickCash }), 'wallet_token', /inactive/);
    expect((await sb.call('POST', `/payout/wallet/usr_00000000-0000-4000-8000-000000000000/${ada.usdWallet}/autopayout`, { body: quickCash })).status).toBe(
      404,
    );
    expect((await sb.call('POST', `/payout/wallet/${ada.userToken}/${grace.usdWallet}/autopayout`, { body: quickCash })).status).toBe(404);
    expect((await sb.call('DELETE', `${adaRules}?token=autopayout_00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    expect(await rulesOf()).toHaveLength(2);
  });

  it('a load over rules totalling more than 100 % pays out in rule order until the load is spent, never more', async () => {
    await start({ policy: 'lenient' });
    // Grace's USD wallet: 100 % Example Card, then 50 % Evergreen.
    await sb.call('POST', graceRules, { body: { destination_token: SEED_DESTINATIONS.evergreen, percentage: 50 } });
    const before = (await sb.call('GET', `/payout/wallet/${grace.userToken}`)).body[0].balance;
    const res = await sb.call('POST', `/payout/load/${grace.userToken}`, { body: { client_load_id: 'over-allocated', source_token: 's', amount: 80 } });
    expect(res.status).toBe(200);
    expect((await sb.call('GET', `/payout/wallet/${grace.userToken}`)).body[0].balance).toBe(before);
    const rows = (await sb.call('GET', `/payout/user/${grace.userToken}/history?wallet_token=${grace.usdWallet}&type=payout&number_of_records=5`)).body;
    const fromLoad = rows.filter((r: any) => r.source_token === res.body.load_token);
    expect(fromLoad.map((r: any) => [r.destination_token, r.source_amount])).toEqual([[SEED_DESTINATIONS.exampleCard, 80]]);
  });
});

describe('strict policy (the default)', () => {
  it('is the default and refuses the cap, duplicates and a reused key as before', async () => {
    await start();
    expect(sb.sandbox.policy).toBe('strict');
    expect((await sb.call('GET', '/__sandbox/policy')).body).toEqual({ policy: 'strict' });
    expect400(await sb.call('POST', adaRules, { body: { destination_token: SEED_DESTINATIONS.quickCash, percentage: 16 } }), 'percentage', /more than 100 %/);
    expect400(
      await sb.call('POST', adaRules, { body: { destination_token: SEED_DESTINATIONS.evergreen, percentage: 5 } }),
      'destination_token',
      /already has a rule/,
    );
    const headers = { 'idempotency-key': 'strict-key' };
    const first = await sb.call('POST', adaRules, { body: quickCash, headers });
    const again = await sb.call('POST', adaRules, { body: quickCash, headers });
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await sb.call('POST', adaRules, { body: { ...quickCash, percentage: 5 }, headers })).status).toBe(400);
    expect(await rulesOf()).toHaveLength(3);
  });
});

describe('switching the policy', () => {
  it('Sandbox.policy flips it for the next request and refuses an unknown value', async () => {
    await start();
    sb.sandbox.policy = 'lenient';
    expect((await sb.call('POST', adaRules, { body: { destination_token: SEED_DESTINATIONS.evergreen, percentage: 50 } })).status).toBe(200);
    sb.sandbox.policy = 'strict';
    expect400(await sb.call('POST', adaRules, { body: { destination_token: SEED_DESTINATIONS.quickCash, percentage: 1 } }), 'percentage', /more than 100 %/);
    expect(() => {
      sb.sandbox.policy = 'loose' as never;
    }).toThrow();
    expect(sb.sandbox.policy).toBe('strict');
  });

  it('GET/PUT /__sandbox/policy reports and sets it; a reset keeps it', async () => {
    await start();
    const put = await sb.call('PUT', '/__sandbox/policy', { body: { policy: 'lenient' } });
    expect(put).toMatchObject({ status: 200, body: { policy: 'lenient' } });
    expect((await sb.call('GET', '/__sandbox/policy')).body).toEqual({ policy: 'lenient' });
    expect(sb.sandbox.policy).toBe('lenient');
    expect((await sb.call('POST', adaRules, { body: { destination_token: SEED_DESTINATIONS.evergreen, percentage: 50 } })).status).toBe(200);
    expect((await sb.call('POST', '/__sandbox/reset')).status).toBe(200);
    expect((await sb.call('GET', '/__sandbox/policy')).body).toEqual({ policy: 'lenient' });
    expect(await rulesOf()).toHaveLength(2);
    expect((await sb.call('PUT', '/__sandbox/policy', { body: { policy: 'strict' } })).body).toEqual({ policy: 'strict' });
    expect(sb.sandbox.policy).toBe('strict');
  });

  it('PUT /__sandbox/policy refuses a bad body with 400 and changes nothing; both need the key', async () => {
    await start({ policy: 'lenient' });
    for (const body of [{ policy: 'loose' }, { policy: 'STRICT' }, {}, { policy: 'strict', extra: 1 }, 'strict', [], null]) {
      const res = await sb.call('PUT', '/__sandbox/policy', { body: JSON.stringify(body) });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.message).toBe(MASSPAY_ERRORS[400].message);
    }
    expect((await sb.call('PUT', '/__sandbox/policy', { body: 'not json', headers: { 'content-type': 'application/json' } })).status).toBe(400);
    expect(sb.sandbox.policy).toBe('lenient');
    const anonymous = { authorization: 'Bearer wrong-key-wrong-key' };
    expect((await sb.call('GET', '/__sandbox/policy', { headers: anonymous })).status).toBe(401);
    expect((await sb.call('PUT', '/__sandbox/policy', { body: { policy: 'strict' }, headers: anonymous })).status).toBe(401);
    expect(sb.sandbox.policy).toBe('lenient');
  });

  it('createSandbox refuses an unknown policy option before touching DATA_DIR', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'masspay-policy-'));
    try {
      await expect(createSandbox({ dataDir, policy: 'loose' as never })).rejects.toThrow();
      expect(await readdir(dataDir)).toEqual([]);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
