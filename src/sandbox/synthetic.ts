import { z } from 'zod';
import { fromCents } from '../api';
import { DESTINATIONS, type Destination } from './catalog';
import { createRandom, type Random } from './ids';
import { addRule, addUser, addWallet, createSeed, DAY_MS, FIRST_NAMES, LAST_NAMES, randomSplit, TIMEZONES, type Builder } from './seed';
import type { SandboxState } from './state';

/** SANDBOX_SEED_USERS's bounds: enough for bulk tests and benchmarks, small enough to stay in memory. */
export const MAX_SEED_USERS = 100_000;
export const seedUsersSchema = z.number().int().min(0).max(MAX_SEED_USERS);

/** The lookup key of synthetic payee `i` (1-based): `syn-000001` … `syn-100000`. */
export const syntheticInternalId = (i: number) => `syn-${String(i).padStart(6, '0')}`;
export const syntheticEmail = (i: number) => `${syntheticInternalId(i)}@example.com`;
/** The name their tokens derive from, as the seed's other users' do (`userToken(name)`, `walletToken(\`${name}:${w}\`)`). */
export const syntheticName = (i: number) => `synthetic:${i}`;

const OTHER_CURRENCIES = ['EUR', 'GBP', 'MXN', 'PHP', 'CAD'];
const byCurrency = new Map<string, Destination[]>();
for (const d of DESTINATIONS) byCurrency.set(d.currency, [...(byCurrency.get(d.currency) ?? []), d]);

/** `count` distinct items of `items`, by a partial Fisher–Yates shuffle. */
const sample = <T>(random: Random, items: readonly T[], count: number): T[] => {
  const pool = [...items];
  for (let k = 0; k < count; k++) {
    const j = random.int(k, pool.length - 1);
    [pool[k], pool[j]] = [pool[j]!, pool[k]!];
  }
  return pool.slice(0, count);
};

/**
 * Payee `i` draws from its own PRNG stream, so it is the same whatever N is and whatever the rest
 * of the seed holds: `syn-000042` has the same wallets and rules with 100 synthetic users or 10 000.
 */
const addSyntheticPayee = (state: SandboxState, now: number, i: number) => {
  const random = createRandom((0x5eed_0000 ^ Math.imul(i, 0x9e37_79b1)) >>> 0);
  const b: Builder = { state, now, random };
  const name = syntheticName(i);
  const user = addUser(b, name, random.pick(FIRST_NAMES), random.pick(LAST_NAMES), syntheticEmail(i), syntheticInternalId(i), 'ACTIVE', random.pick(TIMEZONES));
  const walletCount = random.int(1, 3);
  for (let w = 0; w < walletCount; w++) {
    const currency = random.next() < 0.75 ? 'USD' : random.pick(OTHER_CURRENCIES);
    const wallet = addWallet(b, user, `${name}:${w}`, {
      balance: fromCents(random.int(0, 500_000)),
      currency_code: currency,
      type: 'USER_FUNDS',
      active: true,
    });
    // Within the strict policy whatever the sandbox's mode: distinct destinations in the wallet's currency, ≤ 100 %.
    const candidates = byCurrency.get(currency) ?? [];
    const chosen = sample(random, candidates, random.int(0, Math.min(3, candidates.length)));
    randomSplit(random, chosen.length).forEach((percentage, r) => addRule(b, wallet, `${name}:${w}:${r}`, chosen[r]!.destination_token, percentage));
  }
};

/**
 * Appends `count` synthetic payees after everyone else, so the rest of the seed (named people,
 * generated users, their tokens and history) is byte-identical with or without them. They have no
 * history: they exist to be many, and history would multiply the state file.
 */
export const addSyntheticPayees = (state: SandboxState, count: number): SandboxState => {
  if (!seedUsersSchema.safeParse(count).success) throw new RangeError(`seedUsers must be a whole number from 0 to ${MAX_SEED_USERS}`);
  if (count === 0) return state;
  // The same day-aligned clock as createSeed's, so their creation dates line up with everyone else's.
  const now = Math.floor(Date.parse(state.seeded_at) / DAY_MS) * DAY_MS;
  for (let i = 1; i <= count; i++) addSyntheticPayee(state, now, i);
  state.seed_users = count;
  return state;
};

export interface SeedOptions {
  now?: number;
  /** Synthetic payees beside the named and generated users (SANDBOX_SEED_USERS). */
  seedUsers?: number;
}

/** The seed the store starts from and resets to: DESIGN §3's, plus any synthetic payees. */
export const seedState = ({ now, seedUsers = 0 }: SeedOptions = {}): SandboxState => addSyntheticPayees(createSeed(now), seedUsers);
