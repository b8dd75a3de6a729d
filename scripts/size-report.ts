/**
 * The static detail of `npm run size`, whose budget is the browser's measure (scripts/size-browser.ts):
 * the JavaScript of each page's import chain, file by file. Chunks a page
 * pulls in while it renders are not in its import chain, so this undercounts what a user waits for.
 *
 * From Vite's manifest (`dist/.vite/manifest.json`, written with `build.manifest: true`): the entry
 * chunk of `index.html` and its static imports (recursively), plus the lazy chunk of a page and its
 * static imports (recursively); each file counted once, gzipped at level 9. Prints one table per
 * page (`--summary`: the totals only, as `npm run build` does). With `--budget <KiB>` it exits 1 when
 * the user page's import chain is over it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// `--dist <dir>` reads another build (e.g. `vite build --manifest --outDir /tmp/x`); default: dist/.
// `--budget <KiB>`: exit 1 when the user page is over it; `--summary` prints only the totals.
const { values: args } = parseArgs({
  options: { dist: { type: 'string', default: join(ROOT, 'dist') }, budget: { type: 'string' }, summary: { type: 'boolean', default: false } },
});
const DIST = resolve(args.dist);
const MANIFEST = join(DIST, '.vite', 'manifest.json');
const BUDGET_KIB = args.budget === undefined ? undefined : Number(args.budget);

interface ManifestChunk {
  file: string;
  src?: string;
  name?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}
type Manifest = Record<string, ManifestChunk>;

interface Row {
  file: string;
  role: string;
  raw: number;
  gzip: number;
}

const kib = (bytes: number) => (bytes / 1024).toFixed(1);

const readManifest = (): Manifest => {
  if (!existsSync(MANIFEST)) {
    console.error(`No Vite manifest at ${MANIFEST}.\nSet \`build: { manifest: true }\` in vite.config.ts, then run \`npm run size\` again.`);
    process.exit(2);
  }
  return JSON.parse(readFileSync(MANIFEST, 'utf8')) as Manifest;
};

/** The manifest key of the chunk built from `src` (keys are usually the source path, but look at `src` too). */
const keyOfSource = (manifest: Manifest, src: string): string => {
  if (manifest[src]) return src;
  const found = Object.entries(manifest).find(([, chunk]) => chunk.src === src);
  if (!found) {
    const sources = Object.values(manifest)
      .map((c) => c.src)
      .filter(Boolean)
      .join(', ');
    throw new Error(`The manifest has no chunk built from ${src} (it has: ${sources})`);
  }
  return found[0];
};

/** The chunk at `key` and everything it imports statically, depth first, each once. */
const withStaticImports = (manifest: Manifest, key: string, seen = new Set<string>()): string[] => {
  if (seen.has(key)) return [];
  seen.add(key);
  const chunk = manifest[key];
  if (!chunk) throw new Error(`The manifest names ${key} as an import but has no entry for it`);
  return [key, ...(chunk.imports ?? []).flatMap((child) => withStaticImports(manifest, child, seen))];
};

const sizeOf = (file: string) => {
  const bytes = readFileSync(join(DIST, file));
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
};

/** The initial JS of a page: the entry's closure, then the page's lazy chunk and what it adds. */
const pageRows = (manifest: Manifest, pageSource: string): Row[] => {
  const entryKey = keyOfSource(manifest, 'index.html');
  const seen = new Set<string>();
  const entry = withStaticImports(manifest, entryKey, seen);
  const lazy = withStaticImports(manifest, keyOfSource(manifest, pageSource), seen);
  const row = (key: string, role: string): Row => {
    const { file } = manifest[key]!;
    return { file, role, ...sizeOf(file) };
  };
  return [
    ...entry.map((key, i) => row(key, i === 0 ? 'entry (index.html)' : 'entry import')),
    ...lazy.map((key, i) => row(key, i === 0 ? `lazy page (${pageSource.split('/').pop()})` : 'page import')),
  ];
};

const printTable = (title: string, rows: Row[]) => {
  const total = rows.reduce((sum, r) => ({ raw: sum.raw + r.raw, gzip: sum.gzip + r.gzip }), { raw: 0, gzip: 0 });
  const fileWidth = Math.max(5, ...rows.map((r) => r.file.length));
  const roleWidth = Math.max(4, ...rows.map((r) => r.role.length));
  const line = (file: string, role: string, raw: string, gzip: string) =>
    `  ${file.padEnd(fileWidth)}  ${role.padEnd(roleWidth)}  ${raw.padStart(10)}  ${gzip.padStart(10)}`;
  if (args.summary) return total;
  console.log(`\n${title}`);
  console.log(line('chunk', 'role', 'raw KiB', 'gzip KiB'));
  console.log(line('-'.repeat(fileWidth), '-'.repeat(roleWidth), '-'.repeat(10), '-'.repeat(10)));
  for (const r of rows) console.log(line(r.file, r.role, kib(r.raw), kib(r.gzip)));
  console.log(line('total', '', kib(total.raw), kib(total.gzip)));
  return total;
};

/** The page `--budget` checks, and others reported beside it. */
const PAGES = [
  { name: 'Home page (/)', source: 'src/app/pages/HomePage.tsx', budgeted: false },
  { name: 'User page (/users/:userToken)', source: 'src/app/pages/UserPage.tsx', budgeted: true },
  { name: 'Wallet page (/users/:userToken/wallets/:walletToken)', source: 'src/app/pages/WalletPage.tsx', budgeted: false },
];

const main = () => {
  const manifest = readManifest();
  const totals = PAGES.map((page) => ({ ...page, gzip: printTable(`Initial JS for ${page.name}`, pageRows(manifest, page.source)).gzip }));
  console.log('');
  for (const page of totals) console.log(`${page.name}: ${kib(page.gzip)} KiB gzipped${page.budgeted && BUDGET_KIB ? ` (budget ${BUDGET_KIB} KiB)` : ''}`);
  if (BUDGET_KIB === undefined) return;
  const over = totals.filter((page) => page.budgeted && page.gzip > BUDGET_KIB * 1024);
  for (const page of over) console.error(`Over budget: ${page.name}'s import chain is ${kib(page.gzip - BUDGET_KIB * 1024)} KiB over ${BUDGET_KIB} KiB.`);
  if (over.length > 0) process.exit(1);
};

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
}
