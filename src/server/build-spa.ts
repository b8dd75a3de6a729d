import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** What the SPA is built from: a change to any of these makes `dist/` stale. */
const SOURCES = ['index.html', 'vite.config.ts', 'package-lock.json', 'public', 'src/app', 'src/api'];

const newestMtime = async (target: string): Promise<number> => {
  const info = await stat(target).catch(() => undefined);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  const entries = await readdir(target);
  const times = await Promise.all(entries.map((entry) => newestMtime(path.join(target, entry))));
  return Math.max(info.mtimeMs, ...times);
};

/** `npm start` builds the SPA when `dist/` is missing or older than its sources, so a fresh clone just works. */
export const buildSpaIfStale = async (rootDir: string, distDir: string): Promise<void> => {
  const built = await newestMtime(path.join(distDir, 'index.html'));
  const sources = Math.max(...(await Promise.all(SOURCES.map((s) => newestMtime(path.join(rootDir, s))))));
  if (built > 0 && built >= sources) return;
  console.log(built === 0 ? 'Building the console (first start)…' : 'Sources changed since the last build: rebuilding the console…');
  const viteBin = path.join(rootDir, 'node_modules', 'vite', 'bin', 'vite.js');
  const build = spawn(process.execPath, [viteBin, 'build', '--logLevel', 'warn'], { cwd: rootDir, stdio: 'inherit' });
  const [code] = (await once(build, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`vite build failed (exit code ${String(code)})`);
};
