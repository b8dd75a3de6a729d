import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Staff passwords, hashed with scrypt (node:crypto). Stored as `scrypt$N$r$p$salt$hash` (base64), so
 * the cost can be raised without breaking old hashes: each is checked at the cost it names.
 *
 * New hashes use one of OWASP's current scrypt parameter sets, the one that keeps memory low:
 * N = 2^15, r = 8, p = 3 — 32 MiB per check (p multiplies the time, not the memory: node computes the
 * p blocks one after another), about three times the work of the p = 1 hashes made before.
 */
export const SCRYPT_COST = { N: 2 ** 15, r: 8, p: 3 } as const;
/** scrypt's parameters: a hash names the ones it was made with. */
export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}
const KEY_LENGTH = 32;
const PREFIX = 'scrypt';

const derive = (password: string, salt: Buffer, { N, r, p }: ScryptCost) =>
  new Promise<Buffer>((resolve, reject) => {
    const options: ScryptOptions = { N, r, p, maxmem: 128 * N * r * 2 };
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key)));
  });

/** A new hash of `password`, at `cost` (new accounts get SCRYPT_COST; the hash names its cost). */
export const hashPassword = async (password: string, cost: ScryptCost = SCRYPT_COST): Promise<string> => {
  const salt = randomBytes(16);
  const key = await derive(password, salt, cost);
  return [PREFIX, cost.N, cost.r, cost.p, salt.toString('base64'), key.toString('base64')].join('$');
};

const parse = (stored: string) => {
  const [prefix, N, r, p, salt, key] = stored.split('$');
  if (prefix !== PREFIX || !salt || !key) return undefined;
  const cost: ScryptCost = { N: Number(N), r: Number(r), p: Number(p) };
  if (!Object.values(cost).every((n) => Number.isInteger(n) && n > 0)) return undefined;
  return { cost, salt: Buffer.from(salt, 'base64'), key: Buffer.from(key, 'base64') };
};

export const isPasswordHash = (stored: string) => parse(stored) !== undefined;

/** Whether a hash was made with less work (N·r·p) than new hashes get: its owner should set the password again. */
export const isOlderHash = (stored: string) => {
  const parsed = parse(stored);
  return parsed !== undefined && parsed.cost.N * parsed.cost.r * parsed.cost.p < SCRYPT_COST.N * SCRYPT_COST.r * SCRYPT_COST.p;
};

/** The emails of accounts whose password hash is older than new ones (named in a warning at start). */
export const accountsWithOlderHashes = (accounts: Iterable<{ email: string; passwordHash?: string }>): string[] =>
  [...accounts].filter((account) => account.passwordHash !== undefined && isOlderHash(account.passwordHash)).map((account) => account.email);

/** A hash no password matches, checked when the account does not exist, so timing tells nothing. */
let decoy: Promise<string> | undefined;
const decoyHash = () => (decoy ??= hashPassword(randomBytes(16).toString('hex')));

/** Makes the decoy at start, so the first sign-in for an unknown email is not slower than the rest. */
export const warmPasswordChecks = async () => void (await decoyHash());

/** How a sign-in's password is checked (tests wrap `verifyPassword` to count the checks). */
export type PasswordCheck = (password: string, stored: string | undefined) => Promise<boolean>;

/** True when `password` matches `stored`; with no `stored` hash it spends the same time and says no. */
export const verifyPassword: PasswordCheck = async (password, stored) => {
  const parsed = parse(stored ?? (await decoyHash()));
  if (!parsed) return false;
  const key = await derive(password, parsed.salt, parsed.cost);
  return key.length === parsed.key.length && timingSafeEqual(key, parsed.key) && stored !== undefined;
};
