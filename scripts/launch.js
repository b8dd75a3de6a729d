// `npm start`, `npm run sandbox`, `sandbox:reset`, `staff:add`, `audit:verify`: `node scripts/launch.js
// <entry> [args…]` runs build/server/<entry>.js, building first (scripts/build.ts) when the build is
// missing or older than its sources, so that `npm install && npm start` on a fresh clone just works.
// Plain JS without dependencies: it must run on a production install (`npm ci --omit=dev`), where
// tsx, Vite and esbuild are absent and the build is all there is.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';

const ROOT = path.resolve(import.meta.dirname, '..');
const ENTRIES = ['main', 'sandbox', 'sandbox-reset', 'staff-add', 'audit-verify'];
const STAMP = path.join(ROOT, 'build', 'stamp.json');
const LOCK = path.join(ROOT, 'build', '.building');
const BUILD_TOOLS = ['tsx', 'vite', 'esbuild'];

/** A reason not to start, said in one message (thrown, so the build lock is let go first). */
class LaunchError extends Error {}

/** The newest modification time under `target` (0 when absent); tests are no input of the build. */
const newestMtime = (target) => {
  const info = statSync(target, { throwIfNoEntry: false });
  if (!info) return 0;
  if (!info.isDirectory()) return /\.test\.[jt]sx?$/.test(target) ? 0 : info.mtimeMs;
  return Math.max(info.mtimeMs, ...readdirSync(target).map((name) => newestMtime(path.join(target, name))));
};

/** Why the build cannot run as it is, or undefined when it can. */
const staleness = () => {
  const outputs = ['dist/index.html', ...ENTRIES.map((name) => `build/server/${name}.js`)];
  if (!existsSync(STAMP) || outputs.some((output) => !existsSync(path.join(ROOT, output)))) return 'missing';
  // A tree without sources (a production image, a copied build) runs the build it was given.
  if (!existsSync(path.join(ROOT, 'src'))) return undefined;
  const { startedAt, inputs } = JSON.parse(readFileSync(STAMP, 'utf8'));
  return inputs.some((input) => newestMtime(path.join(ROOT, input)) > startedAt) ? 'changed' : undefined;
};

/** One build at a time: `npm start` and `npm run sandbox` started together must not both write dist/. */
const withBuildLock = async (work) => {
  await mkdir(path.dirname(LOCK), { recursive: true });
  for (;;) {
    try {
      await mkdir(LOCK);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      // A lock this old was left by a build that was killed.
      const info = await stat(LOCK).catch(() => undefined);
      if (info && Date.now() - info.mtimeMs > 10 * 60_000) await rm(LOCK, { recursive: true, force: true });
      else await sleep(250);
    }
  }
  try {
    return await work();
  } finally {
    await rm(LOCK, { recursive: true, force: true });
  }
};

const buildIfStale = async () => {
  if (!staleness()) return;
  await withBuildLock(async () => {
    const reason = staleness(); // another launcher may have built while this one waited
    if (!reason) return;
    const missingTools = BUILD_TOOLS.filter((name) => !existsSync(path.join(ROOT, 'node_modules', name, 'package.json')));
    if (missingTools.length > 0) {
      throw new LaunchError(
        `The console's build in build/ and dist/ is ${reason === 'missing' ? 'missing' : 'older than its sources'}, and this install cannot build it ` +
          `(no ${missingTools.join(', ')}: dev dependencies, left out by --omit=dev). Run \`npm ci && npm run build\` first, then start again.`,
      );
    }
    console.log(reason === 'missing' ? 'Building the console (first start)…' : 'Sources changed since the last build: rebuilding the console…');
    const build = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts', '--quiet'], { cwd: ROOT, stdio: 'inherit' });
    if (build.status !== 0) throw new LaunchError(`The build failed (exit code ${build.status ?? build.signal}).`);
  });
};

// `build`: only build when missing or stale (scripts/production-start.test.ts), run nothing.
const [name] = process.argv.splice(2, 1);
try {
  if (name !== 'build' && !ENTRIES.includes(name)) throw new LaunchError(`Usage: node scripts/launch.js build|${ENTRIES.join('|')} [arguments…]`);
  await buildIfStale();
} catch (error) {
  console.error(error instanceof LaunchError ? error.message : error);
  process.exit(1);
}
if (name === 'build') process.exit(0);
const entry = path.join(ROOT, 'build', 'server', `${name}.js`);
// The entry sees itself as the script run (audit-verify checks), with its own arguments after it.
process.argv[1] = entry;
// Stack traces name the TypeScript sources (esbuild writes the maps beside the build).
process.setSourceMapsEnabled(true);
await import(pathToFileURL(entry).href);
