// `npm run staff:add`: the one way staff accounts get into STAFF_FILE (README, DESIGN §7).
import { execFile, spawn } from 'node:child_process';
import { randomBytes, scryptSync } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
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
    const result = await staffAdd(['--email', ' Ann@Example.com ', '--name', 'Ann Lee', '--role', 'editor'], 'correct horse battery staple\n', {
      STAFF_FILE: file,
    });
    expect(result).toMatchObject({ code: 0, stdout: expect.stringContaining('Added ann@example.com (editor)') });
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain('correct horse');
    const [ann, ...others] = await readStaffFile(file);
    expect(others).toEqual([]);
    // OWASP's low-memory scrypt set: N = 2^15, r = 8, p = 3 (32 MiB a hash).
    expect(ann).toMatchObject({ email: 'ann@example.com', name: 'Ann Lee', role: 'editor', passwordHash: expect.stringMatching(/^scrypt\$32768\$8\$3\$/) });
    expect(await verifyPassword('correct horse battery staple', ann!.passwordHash)).toBe(true);
    expect(await verifyPassword('wrong horse battery staple', ann!.passwordHash)).toBe(false);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('adds a second account and replaces the one of an email already there', async () => {
    expect((await staffAdd(['--file', file, '--email', 'bo@example.com', '--name', 'Bo', '--role', 'viewer'], 'another long password\n')).code).toBe(0);
    const replaced = await staffAdd(['--file', file, '--email', 'ann@example.com', '--name', 'Ann Lee', '--role', 'admin'], 'a brand new password\n');
    expect(replaced.stdout).toContain('Updated ann@example.com (admin)');
    const accounts = await readStaffFile(file);
    expect(accounts.map((a) => [a.email, a.role])).toEqual([
      ['ann@example.com', 'admin'],
      ['bo@example.com', 'viewer'],
    ]);
    expect(await verifyPassword('a brand new password', accounts[0]!.passwordHash)).toBe(true);
  });

  it.each([
    ['a short password', ['--email', 'c@example.com', '--name', 'C', '--role', 'viewer'], 'short\n', /at least 12 characters/],
    ['no password at all', ['--email', 'c@example.com', '--name', 'C', '--role', 'viewer'], '', /No password was given/],
    [
      'a bad role and email',
      ['--email', 'nope', '--name', 'C', '--role', 'boss'],
      'long enough password\n',
      /email: Enter an email address[\s\S]*role: must be viewer, editor or admin/,
    ],
  ])('refuses %s, exit 1, the file unchanged', async (_name, args, stdin, message) => {
    const before = await readFile(file, 'utf8');
    const result = await staffAdd(['--file', file, ...args], stdin);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(await readFile(file, 'utf8')).toBe(before);
  });
});

/** A hash as `staff:add` made them before p = 3: scrypt N = 2^15, r = 8, p = 1. */
const olderHash = (password: string) => {
  const salt = randomBytes(16);
  const key = scryptSync(password.normalize('NFC'), salt, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
  return ['scrypt', 2 ** 15, 8, 1, salt.toString('base64'), key.toString('base64')].join('$');
};

describe('older password hashes', () => {
  it('still sign in (each hash is checked at the cost it names)', async () => {
    const stored = olderHash('an older long password');
    expect(await verifyPassword('an older long password', stored)).toBe(true);
    expect(await verifyPassword('another long password', stored)).toBe(false);
  });

  it('are named in a warning when the server starts, with what to do', async () => {
    const staffFile = join(dir, 'mixed-staff.json');
    const current = await staffAdd(['--file', staffFile, '--email', 'new@example.com', '--name', 'New', '--role', 'viewer'], 'a current long password\n');
    expect(current.code).toBe(0);
    const accounts = await readStaffFile(staffFile);
    accounts.push({ email: 'old@example.com', name: 'Old', role: 'editor', passwordHash: olderHash('an older long password') });
    await writeFile(staffFile, JSON.stringify({ staff: accounts }));

    const dataDir = await mkdtemp(join(tmpdir(), 'staff-warning-'));
    const child = spawn('npx', ['tsx', 'src/server/main.ts', '--api-only'], {
      env: { ...process.env, STAFF_FILE: staffFile, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ALLOWED_HOSTS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      await new Promise<void>((resolve, reject) => {
        child.on('exit', (code) => reject(new Error(`the server exited (${code}) before it listened:\n${output}`)));
        const poll = setInterval(() => {
          if (!output.includes('Demo sign-in')) return;
          clearInterval(poll);
          resolve();
        }, 50);
      });
    } finally {
      process.kill(-child.pid!, 'SIGTERM');
      await new Promise((resolve) => child.once('close', resolve));
      await rm(dataDir, { recursive: true, force: true });
    }
    const warning = output.split('\n').find((line) => line.includes('older than scrypt'));
    expect(warning).toMatch(/1 staff account\(s\) have a password hash older than scrypt N=32768, r=8, p=3.*npm run staff:add.*: old@example\.com$/);
    expect(warning).not.toContain('new@example.com');
  }, 90_000);
});
