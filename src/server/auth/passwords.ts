import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Staff passwords, hashed with scrypt (node:crypto). Stored as `scrypt$N$r$p$salt$hash` (base64), so
 * the cost can be raised later without breaking old hashes. N = 2^15 costs ~32 MiB and tens of
 * milliseconds per check: cheap for one sign-in, ruinous for guessing offline.
 */
const COST = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const PREFIX = 'scrypt';

const derive = (password: string, salt: Buffer, { N, r, p }: { N: number; r: number; p: number }) =>
  new Promise<Buffer>((resolve, reject) => {
    const options: ScryptOptions = { N, r, p, maxmem: 128 * N * r * 2 };
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key)));
  });

export const hashPassword = async (password: string): Promise<string> => {
  const salt = randomBytes(16);
  const key = await derive(password, salt, COST);
  return [PREFIX, COST.N, COST.r, COST.p, salt.toString('base64'), key.toString('base64')].join('$');
};

const parse = (stored: string) => {
  const [prefix, N, r, p, salt, key] = stored.split('$');
  if (prefix !== PREFIX || !salt || !key) return undefined;
  const cost = { N: Number(N), r: Number(r), p: Number(p) };
  if (!Object.values(cost).every((n) => Number.isInteger(n) && n > 0)) return undefined;
  return { cost, salt: Buffer.from(salt, 'base64'), key: Buffer.from(key, 'base64') };
};

export const isPasswordHash = (stored: string) => parse(stored) !== undefined;

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
