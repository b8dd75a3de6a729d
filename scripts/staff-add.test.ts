// `npm run staff:add`: the one way staff accounts get into STAFF_FILE (README, DESIGN §7).
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../src/server/auth/passwords';
import { readStaffFile } from '../src/server/auth/staff-file';

let dir: string;
let file: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'staff-add-'));
  file = join(dir, 'staff.json');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Runs the command as a person would, the password on standard input. */
const staffAdd = (args: string[], stdin: string, env: Record<string, string> = {}) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = execFile('npx', ['tsx', 'scripts/staff-add.ts', ...args], { env: { ...process.env, ...env } }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin!.end(stdin);
  });

describe('npm run staff:add', () => {
  it('creates the file (mode 0600) with the account and only a scrypt hash of the password', async () => {
    const result = await staffAdd(['--email', ' Ann@Example.com ', '--name', 'Ann Lee', '--role', 'editor'], 'correct horse battery staple\n', { STAFF_FILE: file });
    expect(result).toMatchObject({ code: 0, stdout: expect.stringContaining('Added ann@example.com (editor)') });
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain('correct horse');
    const [ann, ...others] = await readStaffFile(file);
    expect(others).toEqual([]);
    expect(ann).toMatchObject({ email: 'ann@example.com', name: 'Ann Lee', role: 'editor', passwordHash: expect.stringMatching(/^scrypt\$/) });
    expect(await verifyPassword('correct horse battery staple', ann!.passwordHash)).toBe(true);
    expect(await verifyPassword('wrong horse battery staple', ann!.passwordHash)).toBe(false);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('adds a second account and replaces the one of an email already there', async () => {
    expect((await staffAdd(['--file', file, '--email', 'bo@example.com', '--name', 'Bo', '--role', 'viewer'], 'another long password\n')).code).toBe(0);
    const replaced = await staffAdd(['--file', file, '--email', 'ann@example.com', '--name', 'Ann Lee', '--role', 'admin'], 'a brand new password\n');
    expect(replaced.stdout).toContain('Updated ann@example.com (admin)');
    const accounts = await readStaffFile(file);
    expect(accounts.map((a) => [a.email, a.role])).toEqual([['ann@example.com', 'admin'], ['bo@example.com', 'viewer']]);
    expect(await verifyPassword('a brand new password', accounts[0]!.passwordHash)).toBe(true);
  });

  it.each([
    ['a short password', ['--email', 'c@example.com', '--name', 'C', '--role', 'viewer'], 'short\n', /at least 12 characters/],
    ['no password at all', ['--email', 'c@example.com', '--name', 'C', '--role', 'viewer'], '', /No password was given/],
    ['a bad role and email', ['--email', 'nope', '--name', 'C', '--role', 'boss'], 'long enough password\n', /email: Enter an email address[\s\S]*role: must be viewer, editor or admin/],
  ])('refuses %s, exit 1, the file unchanged', async (_name, args, stdin, message) => {
    const before = await readFile(file, 'utf8');
    const result = await staffAdd(['--file', file, ...args], stdin);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(await readFile(file, 'utf8')).toBe(before);
  });
});
