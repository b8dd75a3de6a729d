import { hkdfSync, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { STAFF_ROLES } from '../../api';
import { hashPassword, type ScryptCost } from './passwords';
import { readStaffFile, toDirectory, type StaffAccount, type StaffDirectory } from './staff-file';

export const DEMO_ACCOUNTS = STAFF_ROLES.map((role) => ({ email: `${role}@example.com`, name: `Demo ${role[0]!.toUpperCase()}${role.slice(1)}`, role }));

/**
 * The staff who may sign in: the accounts of `STAFF_FILE` and, on the embedded sandbox only, the three
 * demo accounts with `DEMO_PASSWORD` (a file's account of the same email wins), hashed at `demoHashCost`
 * (new hashes' cost unless told: the tests' consoles take a low one).
 */
export const loadStaff = async ({
  staffFile,
  demoPassword,
  demoHashCost,
}: {
  staffFile?: string;
  demoPassword?: string;
  demoHashCost?: ScryptCost;
}): Promise<StaffDirectory> => {
  // One hash for the one shared (and printed) demo password: scrypt is slow on purpose.
  const demoHash = demoPassword ? await hashPassword(demoPassword, demoHashCost) : undefined;
  const demo: StaffAccount[] = demoHash ? DEMO_ACCOUNTS.map((account) => ({ ...account, passwordHash: demoHash })) : [];
  const fromFile = staffFile ? await readStaffFile(staffFile) : [];
  return toDirectory([...demo, ...fromFile]);
};

/**
 * The 32-byte key that encrypts session cookies: derived from `SESSION_SECRET` (replicas that share it
 * accept each other's sessions), or else a random secret kept in DATA_DIR so a restart keeps sessions.
 */
export const loadSessionKey = async ({ sessionSecret, dataDir }: { sessionSecret?: string; dataDir: string }): Promise<Buffer> => {
  let secret = sessionSecret;
  if (!secret) {
    const file = join(dataDir, 'session-secret');
    try {
      secret = (await readFile(file, 'utf8')).trim();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      secret = randomBytes(32).toString('base64');
      await mkdir(dataDir, { recursive: true });
      await writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'wx' }).catch(async (raced: NodeJS.ErrnoException) => {
        if (raced.code !== 'EEXIST') throw raced;
        secret = (await readFile(file, 'utf8')).trim();
      });
    }
  }
  return Buffer.from(hkdfSync('sha256', secret!, 'masspay-wallet-console', 'session-cookie', 32));
};
