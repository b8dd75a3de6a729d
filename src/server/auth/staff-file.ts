import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod/mini';
import { staffEmailSchema, staffRoleSchema, type StaffMember } from '../../api';
import { isPasswordHash } from './passwords';

/** One account of `STAFF_FILE`. Trusted-header accounts may have no password: they never sign in here. */
export const staffAccountSchema = z.object({
  email: staffEmailSchema,
  name: z.string({ error: 'is required' }).check(z.trim(), z.minLength(1, 'is required'), z.maxLength(200)),
  role: staffRoleSchema,
  passwordHash: z.optional(z.string().check(z.refine(isPasswordHash, 'passwordHash must be an scrypt hash made by `npm run staff:add`'))),
});
export type StaffAccount = z.infer<typeof staffAccountSchema>;

const staffFileSchema = z.object({ staff: z.array(staffAccountSchema) });

export class StaffFileError extends Error {}

/** The staff, by lower-cased email. */
export type StaffDirectory = ReadonlyMap<string, StaffAccount>;

export const toDirectory = (accounts: readonly StaffAccount[]): StaffDirectory => new Map(accounts.map((account) => [account.email, account]));

export const publicProfile = ({ email, name, role }: StaffAccount): StaffMember => ({ email, name, role });

export const readStaffFile = async (path: string, { missingOk = false } = {}): Promise<StaffAccount[]> => {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (missingOk && (error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new StaffFileError(`STAFF_FILE ${path} cannot be read: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new StaffFileError(`STAFF_FILE ${path} is not valid JSON`);
  }
  const parsed = staffFileSchema.safeParse(json);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new StaffFileError(`STAFF_FILE ${path} is not valid:\n${lines.join('\n')}`);
  }
  const emails = parsed.data.staff.map((account) => account.email);
  const repeated = emails.filter((email, index) => emails.indexOf(email) !== index);
  if (repeated.length > 0) throw new StaffFileError(`STAFF_FILE ${path} lists ${repeated.join(', ')} more than once`);
  return parsed.data.staff;
};

/** Written whole to a temporary file, then renamed over the old one: a reader never sees half a file. */
export const writeStaffFile = async (path: string, accounts: readonly StaffAccount[]) => {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify({ staff: accounts }, null, 2)}\n`, { mode: 0o600 });
  await rename(temporary, path);
};
