/**
 * Writes the e2e console's `STAFF_FILE` (the path in that variable): the three accounts of e2e/env.ts,
 * with the one e2e password hashed as `npm run staff:add` would. Run by playwright.config.ts just
 * before the console starts; writing it again only changes the salts.
 */
import { hashPassword } from '../src/server/auth/passwords';
import { writeStaffFile } from '../src/server/auth/staff-file';
import { ROLES, STAFF, STAFF_PASSWORD } from './env';

const file = process.env.STAFF_FILE;
if (!file) {
  console.error('make-staff-file: STAFF_FILE is not set');
  process.exit(1);
}

const accounts = await Promise.all(ROLES.map(async (role) => ({ ...STAFF[role], passwordHash: await hashPassword(STAFF_PASSWORD) })));
await writeStaffFile(file, accounts);
