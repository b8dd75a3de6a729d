// The static report's budget check (`--budget`): it must fail
// when the user page's import chain is over it. Run here on a small synthetic build.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
let dist: string;

/** Random bytes barely compress: each chunk's gzip size is about its raw size. */
const chunk = (kib: number) => randomBytes(kib * 1024);

beforeAll(async () => {
  dist = await mkdtemp(join(tmpdir(), 'size-report-'));
  await mkdir(join(dist, '.vite'), { recursive: true });
  await mkdir(join(dist, 'assets'));
  const files = { 'entry.js': 100, 'shared.js': 20, 'home.js': 5, 'user.js': 10, 'wallet.js': 30 };
  await Promise.all(Object.entries(files).map(([file, kib]) => writeFile(join(dist, 'assets', file), chunk(kib))));
  const manifest = {
    'index.html': { file: 'assets/entry.js', src: 'index.html', isEntry: true, imports: ['_shared.js'] },
    '_shared.js': { file: 'assets/shared.js' },
    'src/app/pages/HomePage.tsx': { file: 'assets/home.js', src: 'src/app/pages/HomePage.tsx', isDynamicEntry: true },
    'src/app/pages/UserPage.tsx': { file: 'assets/user.js', src: 'src/app/pages/UserPage.tsx', isDynamicEntry: true, imports: ['_shared.js'] },
    'src/app/pages/WalletPage.tsx': { file: 'assets/wallet.js', src: 'src/app/pages/WalletPage.tsx', isDynamicEntry: true },
  };
  await writeFile(join(dist, '.vite', 'manifest.json'), JSON.stringify(manifest));
});
afterAll(() => rm(dist, { recursive: true, force: true }));

const report = (budget: number) =>
  run('npx', ['tsx', 'scripts/size-report.ts', '--summary', '--dist', dist, '--budget', String(budget)]).then(
    ({ stdout }) => ({ code: 0, stdout, stderr: '' }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );

describe('the initial-JS budget', () => {
  it('counts the entry, its imports and the user page once each (about 130 KiB here), and passes under the budget', async () => {
    const { code, stdout } = await report(140);
    expect(code).toBe(0);
    const kib = Number(/User page \(\/users\/:userToken\): ([\d.]+) KiB/.exec(stdout)?.[1]);
    expect(kib).toBeGreaterThan(128);
    expect(kib).toBeLessThan(134); // shared.js counted once, not twice
  });

  it('fails (exit 1) with a message naming the page when over it', async () => {
    const { code, stderr } = await report(120);
    expect(code).toBe(1);
    expect(stderr).toMatch(/Over budget: User page .* KiB over 120 KiB/);
  });
});
