import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { API_KEY_FILE } from './app';
import { STATE_FILE } from './persistence';
import { createSeed, SEED_DESTINATIONS, SEED_PEOPLE } from './seed';
import { startSandbox } from '../../test/sandbox-support';

const { ada } = SEED_PEOPLE;
const adaRules = `/payout/wallet/${ada.userToken}/${ada.usdWallet}/autopayout`;
const run = promisify(execFile);

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'masspay-persist-'));
});
afterEach(() => rm(dataDir, { recursive: true, force: true }));

describe('seed', () => {
  it('is deterministic: tokens and figures are the same on every seeding', () => {
    const a = createSeed(Date.parse('2026-01-01T00:00:00Z'));
    const b = createSeed(Date.parse('2026-06-01T00:00:00Z'));
    expect(a.users.map((u) => u.user_token)).toEqual(b.users.map((u) => u.user_token));
    expect(a.wallets).toEqual(b.wallets);
    expect(a.rules).toEqual(b.rules);
  });

  it('has the named people, 200+ generated users, some with 12 wallets and up to 8 rules, all within policy', () => {
    const s = createSeed();
    expect(s.users.length).toBeGreaterThanOrEqual(203);
    const perUser = new Map<string, number>();
    for (const w of s.wallets) perUser.set(w.user_token, (perUser.get(w.user_token) ?? 0) + 1);
    expect(Math.max(...perUser.values())).toBe(12);
    const ruleCounts = Object.values(s.rules).map((r) => r.length);
    expect(Math.max(...ruleCounts)).toBe(8);
    for (const [walletToken, rules] of Object.entries(s.rules)) {
      const bp = rules.reduce((sum, r) => sum + Math.round(r.percentage * 100), 0);
      expect(bp, walletToken).toBeLessThanOrEqual(10_000);
      expect(new Set(rules.map((r) => r.destination_token)).size).toBe(rules.length);
      expect(rules.every((r) => r.percentage > 0 && Math.abs(r.percentage * 100 - Math.round(r.percentage * 100)) < 1e-9)).toBe(true);
    }
  });
});

describe('persistence', () => {
  it('writes the seed on first start, keeps changes across a restart, and keeps the key', async () => {
    const first = await startSandbox({ dataDir });
    expect(JSON.parse(await readFile(join(dataDir, STATE_FILE), 'utf8')).version).toBe(1);
    const added = await first.call('POST', adaRules, { body: { destination_token: SEED_DESTINATIONS.quickCash, percentage: 15 } });
    expect(added.status).toBe(200);
    await first.sandbox.close();

    const second = await startSandbox({ dataDir });
    expect(second.apiKey).toBe(first.apiKey);
    expect((await readFile(join(dataDir, API_KEY_FILE), 'utf8')).trim()).toBe(first.apiKey);
    const rules = (await second.call('GET', adaRules)).body;
    expect(rules.map((r: { token: string }) => r.token)).toContain(added.body.token);
    // Idempotency survives the restart as well: a retry under the same key does not add again.
    await second.sandbox.close();
  });

  it('replays an idempotent add made before a restart', async () => {
    const headers = { 'idempotency-key': 'survives-restart' };
    const body = { destination_token: SEED_DESTINATIONS.quickCash, percentage: 15 };
    const first = await startSandbox({ dataDir });
    const a = await first.call('POST', adaRules, { body, headers });
    await first.sandbox.close();
    const second = await startSandbox({ dataDir });
    const b = await second.call('POST', adaRules, { body, headers });
    expect(b.body).toEqual(a.body);
    expect((await second.call('GET', adaRules)).body).toHaveLength(3);
    await second.sandbox.close();
  });

  it('leaves no temp files behind and refuses to start on a torn state file rather than reseeding over it', async () => {
    const sb = await startSandbox({ dataDir });
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        sb.call('POST', `/payout/load/${ada.userToken}`, { body: { client_load_id: `burst-${i}`, source_token: 's', amount: 1 } }),
      ),
    );
    await sb.sandbox.close();
    expect((await readdir(dataDir)).sort()).toEqual([STATE_FILE, API_KEY_FILE].sort());
    await writeFile(join(dataDir, STATE_FILE), '{"version":1,"users":[');
    await expect(startSandbox({ dataDir })).rejects.toThrow(/JSON/);
  });
});

describe('reset', () => {
  it('POST /__sandbox/reset restores the seed', async () => {
    const sb = await startSandbox({ dataDir });
    const seeded = (await sb.call('GET', adaRules)).body;
    await sb.call('DELETE', `${adaRules}?token=${seeded[0].token}`);
    expect((await sb.call('GET', adaRules)).body).toHaveLength(1);
    expect((await sb.call('POST', '/__sandbox/reset')).status).toBe(200);
    expect((await sb.call('GET', adaRules)).body).toEqual(seeded);
    await sb.sandbox.close();
  });

  it('npm run sandbox:reset restores the seed in DATA_DIR and keeps the key', async () => {
    const sb = await startSandbox({ dataDir });
    const seeded = (await sb.call('GET', adaRules)).body;
    await sb.call('DELETE', `${adaRules}?token=${seeded[0].token}`);
    await sb.sandbox.close();
    const { stdout } = await run('npx', ['tsx', 'src/sandbox/reset.ts'], { env: { ...process.env, DATA_DIR: dataDir } });
    expect(stdout).toMatch(/reset to the seed/);
    const again = await startSandbox({ dataDir });
    expect(again.apiKey).toBe(sb.apiKey);
    expect((await again.call('GET', adaRules)).body).toEqual(seeded);
    await again.sandbox.close();
  });
});
