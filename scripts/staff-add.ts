/**
 * `npm run staff:add -- --email E --name "N" --role viewer|editor|admin [--file path]`: adds a staff
 * account to STAFF_FILE (or `--file`), creating the file when absent, or updates the account of that
 * email. The password is read from standard input — one line; with a terminal, a prompt that does not
 * echo — and only its scrypt hash is written.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { staffAccountSchema, readStaffFile, writeStaffFile } from '../src/server/auth/staff-file';
import { hashPassword } from '../src/server/auth/passwords';

const USAGE =
  'Usage: npm run staff:add -- --email <email> --name "<name>" --role viewer|editor|admin [--file <staff.json>]\n(the password is read from standard input; the file defaults to STAFF_FILE)';
export const MIN_PASSWORD_LENGTH = 12;

const fail = (message: string): never => {
  console.error(message);
  process.exit(1);
};

/** One line from stdin; on a terminal, typed without echo after a prompt. */
const readPassword = () =>
  new Promise<string>((resolve, reject) => {
    const terminal = process.stdin.isTTY === true;
    const lines = createInterface({ input: process.stdin, output: terminal ? process.stderr : undefined, terminal });
    if (terminal) {
      process.stderr.write('Password (not shown): ');
      // Swallow the echo of what is typed; the prompt above is already written.
      (lines as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => undefined;
    }
    let answered = false;
    lines.once('line', (line) => {
      answered = true;
      if (terminal) process.stderr.write('\n');
      lines.close();
      resolve(line.replace(/\r$/, ''));
    });
    lines.once('close', () => (answered ? undefined : reject(new Error('No password was given on standard input.'))));
  });

const main = async () => {
  const { values } = parseArgs({
    options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, file: { type: 'string' } },
    strict: true,
  }).valueOf() as { values: Record<string, string | undefined> };
  const file = values.file ?? process.env.STAFF_FILE;
  if (!file) fail(`No staff file: set STAFF_FILE or pass --file.\n${USAGE}`);
  const draft = staffAccountSchema.safeParse({ email: values.email, name: values.name, role: values.role });
  if (!draft.success) fail(`${draft.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('\n')}\n${USAGE}`);

  const password = await readPassword();
  if (password.length < MIN_PASSWORD_LENGTH) fail(`The password must be at least ${MIN_PASSWORD_LENGTH} characters.`);
  const accounts = await readStaffFile(file!, { missingOk: true });
  const account = { ...draft.data!, passwordHash: await hashPassword(password) };
  const existing = accounts.findIndex((candidate) => candidate.email === account.email);
  if (existing >= 0) accounts[existing] = account;
  else accounts.push(account);
  await writeStaffFile(file!, accounts);
  console.log(`${existing >= 0 ? 'Updated' : 'Added'} ${account.email} (${account.role}) in ${file}`);
};

main().catch((error: unknown) => fail((error as Error).message));
