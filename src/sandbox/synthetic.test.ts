import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { foundUserSchema, walletListSchema } from '../api';
import { createSandbox } from './app';
import { findDestination } from './catalog';
import { STATE_FILE } from './persistence';
import { createSeed, SEED_DESTINATIONS, SEED_PEOPLE, userToken, walletToken } from './seed';
import type { SandboxState } from './state';
import { seedState, syntheticEmail, syntheticInternalId } from './synthetic';
import { startSandbox } from '../../test/sandbox-support';

const run = promisify(execFile);
const JAN = Date.parse('2026-01-01T00:00:00Z');
const JUNE = Date.parse('2026-06-01T00:00:00Z');
const { ada } = SEED_PEOPLE;

const synthetic = (s: SandboxState) => {
  const users = s.users.filter((u) => u.internal_user_id.startsWith('syn-'));
  const tokens = new Set(users.map((u) => u.user_token));
  const wallets = s.wallets.filter((w) => tokens.has(w.user_token));
  return { users, wallets, rules: Object.fromEntries(wallets.map((w) => [w.token, s.rules[w.token]!])) };
};

describe('synthetic payees in the seed', () => {
  it('leave the default seed byte-identical when 0 or unset', () => {
    const plain = JSON.stringify(createSeed(JAN));
    expect(JSON.stringify(seedState({ now: JAN }))).toBe(plain);
    expect(JSON.stringify(seedState({ now: JAN, seedUsers: 0 }))).toBe(plain);
  });

  it('change no named or generated user, wallet, rule, card or history: they are only appended', () => {
    const plain = createSeed(JAN);
    const seeded = seedState({ now: JAN, seedUsers: 300 });
    expect(seeded.users.slice(0, plain.users.length)).toEqual(plain.users);
    expect(seeded.wallets.slice(0, plain.wallets.length)).toEqual(plain.wallets);
    for (const w of plain.wallets) expect(seeded.rules[w.token]).toEqual(plain.rules[w.token]);
    expect(seeded.cards).toEqual(plain.cards);
    for (const u of plain.users) expect(seeded.history[u.user_token]).toEqual(plain.history[u.user_token]);
    expect(seeded.users).toHaveLength(plain.users.length + 300);
    expect(seeded.seed_users).toBe(300);
    expect(plain.seed_users).toBeUndefined();
  });

  it('are deterministic: the same tokens, wallets and rules on every seeding, and payee i does not depend on N', () => {
    const a = synthetic(seedState({ now: JAN, seedUsers: 200 }));
    const b = synthetic(seedState({ now: JUNE, seedUsers: 200 }));
    expect(a.users.map((u) => u.user_token)).toEqual(b.users.map((u) => u.user_token));
    expect(a.wallets).toEqual(b.wallets);
    expect(a.rules).toEqual(b.rules);
    const bigger = synthetic(seedState({ now: JAN, seedUsers: 1000 }));
    expect(bigger.users.slice(0, 200)).toEqual(a.users);
    expect(bigger.wallets.slice(0, a.wallets.length)).toEqual(a.wallets);
    // Tokens derive from names as the rest of the seed's do.
    expect(a.users[0]!.user_token).toBe(userToken('synthetic:1'));
    expect(a.wallets[0]!.token).toBe(walletToken('synthetic:1:0'));
  });

  it('are payees within policy: syn-NNNNNN ids and emails, 1–3 active USD-mostly USER_FUNDS wallets, ≤ 3 rules, ≤ 100 %', () => {
    const { users, wallets, rules } = synthetic(seedState({ seedUsers: 2000 }));
    expect(users.map((u) => u.internal_user_id)).toEqual(Array.from({ length: 2000 }, (_, i) => syntheticInternalId(i + 1)));
    expect(users[0]).toMatchObject({ internal_user_id: 'syn-000001', email: 'syn-000001@example.com', status: 'ACTIVE' });
    expect(users[1999]!.email).toBe(syntheticEmail(2000));
    expect(new Set(users.map((u) => u.user_token)).size).toBe(2000);
    const perUser = new Map<string, number>();
    for (const w of wallets) perUser.set(w.user_token, (perUser.get(w.user_token) ?? 0) + 1);
    expect(perUser.size).toBe(2000);
    expect(Math.min(...perUser.values())).toBe(1);
    expect(Math.max(...perUser.values())).toBe(3);
    expect(wallets.every((w) => w.type === 'USER_FUNDS' && w.active && w.balance >= 0)).toBe(true);
    expect(wallets.filter((w) => w.currency_code === 'USD').length / wallets.length).toBeGreaterThan(0.6);
    const counts = Object.values(rules).map((r) => r.length);
    expect(Math.min(...counts)).toBe(0);
    expect(Math.max(...counts)).toBe(3);
    for (const w of wallets) {
      const list = rules[w.token]!;
      const bp = list.reduce((sum, r) => sum + Math.round(r.percentage * 100), 0);
      expect(bp, w.token).toBeLessThanOrEqual(10_000);
      expect(new Set(list.map((r) => r.destination_token)).size).toBe(list.length);
      for (const r of list) {
        expect(findDestination(r.destination_token)?.currency).toBe(w.currency_code);
        expect(r.percentage).toBeGreaterThan(0);
        expect(Math.abs(r.percentage * 100 - Math.round(r.percentage * 100))).toBeLessThan(1e-9);
      }
    }
  });

  it('seed 10 000 payees in well under 2 s', () => {
    const started = performance.now();
    const s = seedState({ seedUsers: 10_000 });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(s.users.filter((u) => u.internal_user_id.startsWith('syn-'))).toHaveLength(10_000);
  });

  it('refuses a count outside 0–100 000, in the seed and in createSandbox before touching DATA_DIR', async () => {
    for (const seedUsers of [-1, 1.5, 100_001, Number.NaN]) expect(() => seedState({ seedUsers }), String(seedUsers)).toThrow(RangeError);
    const dataDir = await mkdtemp(join(tmpdir(), 'masspay-synthetic-'));
    try {
      await expect(createSandbox({ dataDir, seedUsers: 100_001 })).rejects.toThrow();
      expect(await readdir(dataDir)).toEqual([]);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('synthetic payees in a running sandbox', () => {
  it('are found by internal_user_id and email, serve their wallets and rules, and survive a reset', async () => {
    const sb = await startSandbox({ seedUsers: 30 });
    try {
      const found = await sb.call('GET', '/payout/user/lookup?internal_user_id=syn-000030');
      expect(found.status).toBe(200);
      expect(foundUserSchema.parse(found.body)).toMatchObject({ user_token: userToken('synthetic:30'), internal_user_id: 'syn-000030' });
      const user = found.body.user_token;
      const byEmail = await sb.call(
        'GET',
        `/payout/user/lookup?email=syn-000007%40example.com&first_name=${(await sb.call('GET', `/payout/user/${userToken('synthetic:7')}`)).body.first_name}`,
      );
      expect(byEmail.body.user_token).toBe(userToken('synthetic:7'));
      expect((await sb.call('GET', '/payout/user/lookup?internal_user_id=syn-000031')).status).toBe(404);

      const wallets = walletListSchema.parse((await sb.call('GET', `/payout/wallet/${user}`)).body);
      expect(wallets.length).toBeGreaterThanOrEqual(1);
      const rulesPath = `/payout/wallet/${user}/${wallets[0]!.token}/autopayout`;
      const rules = (await sb.call('GET', rulesPath)).body;
      expect(rules).toEqual(sb.sandbox.store.rulesOf(wallets[0]!.token));

      // The named people are as they always were.
      const adaRules = (await sb.call('GET', `/payout/wallet/${ada.userToken}/${ada.usdWallet}/autopayout`)).body;
      expect(adaRules.map((r: any) => [r.destination_token, r.percentage])).toEqual([
        [SEED_DESTINATIONS.evergreen, 60],
        [SEED_DESTINATIONS.lakeside, 25],
      ]);

      expect((await sb.call('POST', '/__sandbox/reset')).status).toBe(200);
      expect((await sb.call('GET', '/payout/user/lookup?internal_user_id=syn-000030')).body.user_token).toBe(user);
      expect((await sb.call('GET', rulesPath)).body).toEqual(rules);
    } finally {
      await sb.close();
    }
  });

  it('apply when DATA_DIR is seeded; a persisted state is kept as it is', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'masspay-synthetic-'));
    try {
      const first = await createSandbox({ dataDir, seedUsers: 3 });
      expect(first.store.users().filter((u) => u.internal_user_id.startsWith('syn-'))).toHaveLength(3);
      await first.close();
      const again = await createSandbox({ dataDir, seedUsers: 10 });
      expect(again.store.state.seed_users).toBe(3);
      expect(again.store.users().filter((u) => u.internal_user_id.startsWith('syn-'))).toHaveLength(3);
      await again.store.reset();
      expect(again.store.state.seed_users).toBe(10);
      await again.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('npm run sandbox:reset honours SANDBOX_SEED_USERS', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'masspay-synthetic-'));
    try {
      const { stdout } = await run('npx', ['tsx', 'src/sandbox/reset.ts'], { env: { ...process.env, DATA_DIR: dataDir, SANDBOX_SEED_USERS: '5' } });
      expect(stdout).toMatch(/reset to the seed with 5 synthetic users/);
      const state = JSON.parse(await readFile(join(dataDir, STATE_FILE), 'utf8')) as SandboxState;
      expect(state.seed_users).toBe(5);
      expect(state.users.map((u) => u.internal_user_id).filter((id) => id.startsWith('syn-'))).toEqual([
        'syn-000001',
        'syn-000002',
        'syn-000003',
        'syn-000004',
        'syn-000005',
      ]);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
