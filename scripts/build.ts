/**
 * `npm run build` (and `npm start` when the build is missing or stale, through scripts/launch.js): the
 * SPA into dist/ with Vite, its assets precompressed (brotli and gzip, scripts/precompress.ts), then
 * the server's entry points into build/server/ with esbuild — plain ESM that `node` runs without tsx, its packages left to node_modules (the `dependencies` of
 * package.json, which is all a production install has). Last, build/stamp.json: when the build
 * started and what it was made from, which the launcher compares with the sources' times.
 * `--quiet`: warnings only (the launcher's build).
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { build as esbuild, type Metafile } from 'esbuild';
import { build as viteBuild } from 'vite';
import { precompressDir } from './precompress';

const ROOT = path.resolve(import.meta.dirname, '..');
const SERVER_OUT = path.join(ROOT, 'build', 'server');
const STAMP = path.join(ROOT, 'build', 'stamp.json');

/** `npm start`, `npm run sandbox`, `sandbox:reset`, `staff:add`, `audit:verify`: build/server/<name>.js. */
const SERVER_ENTRIES = {
  main: 'src/server/main.ts',
  sandbox: 'src/sandbox/main.ts',
  'sandbox-reset': 'src/sandbox/reset.ts',
  'staff-add': 'scripts/staff-add.ts',
  'audit-verify': 'scripts/audit-verify.ts',
};

/** What the SPA is made from (Vite does not list its inputs); the server's come from esbuild's metafile. */
const SPA_INPUTS = ['index.html', 'vite.config.ts', 'public', 'src/app', 'src/api'];
const SHARED_INPUTS = ['package-lock.json', 'tsconfig.json', 'scripts/build.ts', 'scripts/precompress.ts'];

const packageName = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

/** A package the server imports but a production install (`npm ci --omit=dev`) would not have. */
const undeclaredImports = (metafile: Metafile, dependencies: Record<string, string>) => {
  const external = Object.values(metafile.outputs).flatMap((output) => output.imports.filter((i) => i.external).map((i) => i.path));
  return [...new Set(external.filter((specifier) => !isBuiltin(specifier)).map(packageName))].filter((name) => !(name in dependencies));
};

const main = async () => {
  const { values } = parseArgs({ options: { quiet: { type: 'boolean', default: false } } });
  const startedAt = Date.now();
  // A build cut short must not look finished to the launcher.
  await rm(STAMP, { force: true });

  await viteBuild({ root: ROOT, logLevel: values.quiet ? 'warn' : 'info' });
  // Hashed assets go out as brotli or gzip made here, once (the server picks by Accept-Encoding).
  const compressed = await precompressDir(path.join(ROOT, 'dist', 'assets'));
  if (!values.quiet) console.log(`Precompressed ${compressed.filter((c) => c.br !== undefined).length} assets (brotli and gzip) in dist/assets/`);

  await rm(SERVER_OUT, { recursive: true, force: true });
  const { metafile } = await esbuild({
    absWorkingDir: ROOT,
    entryPoints: SERVER_ENTRIES,
    outdir: SERVER_OUT,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
  });
  const { dependencies } = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  const undeclared = undeclaredImports(metafile, dependencies);
  if (undeclared.length > 0) {
    throw new Error(`The server imports ${undeclared.join(', ')}, not in package.json's dependencies: a production install would not have it.`);
  }

  const serverInputs = Object.keys(metafile.inputs).filter((input) => !input.includes('node_modules/'));
  await mkdir(path.dirname(STAMP), { recursive: true });
  await writeFile(STAMP, `${JSON.stringify({ startedAt, inputs: [...new Set([...SPA_INPUTS, ...SHARED_INPUTS, ...serverInputs])] }, null, 2)}\n`);
  if (!values.quiet)
    console.log(
      `Server: ${Object.keys(SERVER_ENTRIES)
        .map((name) => `build/server/${name}.js`)
        .join(', ')}`,
    );
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
