/**
 * `npm run bench:first-paint [-- --runs <n>]`: how soon a cold page shows its heading, beside the
 * floor page (issue 18 item 11). The floor is ../shared/floor-page (FLOOR_PAGE_DIR to point
 * elsewhere): the console's stack with one table and nothing else, built once into a cache
 * directory (npm ci, vite build) and served by `vite preview` as its README says. The console is
 * the build, with the sandbox, signed in as an admin (scripts/browser-stack.ts).
 *
 * In headless Chromium, `runs` rounds (10 by default), each opening in turn — a fresh context each,
 * so no cache — the floor page, the console's `/` and Ada's user page, and timing from navigation
 * start to the first moment the page's h1 is in the document (scripts/page-js.ts's probe). Prints
 * the medians, each console page as a ratio of the floor's in the same run, against the budget
 * (≤ 1.3 ×), and writes the figures to bench-results/first-paint-<timestamp>.json. Exit 1 over budget.
 * For reading beside them: the same floor build served with the console's Cross-Origin-Opener-Policy
 * header, loaded in the same rounds (see main()); no verdict rests on it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type BrowserContext } from '@playwright/test';
import { CHROMIUM } from '../e2e/env';
import { fileStamp, median, wholeNumber, writeResults } from './bench-lib';
import { untilBrowserSettles } from './browser-settle';
import { freePort, startBrowserStack } from './browser-stack';
import { H1_PROBE, waitForH1 } from './page-js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FLOOR_SOURCE = path.resolve(process.env.FLOOR_PAGE_DIR ?? path.join(ROOT, '..', 'shared', 'floor-page'));
const FLOOR_BUILD = path.join(ROOT, 'node_modules', '.cache', 'floor-page');
const FLOOR_H1 = 'Token allocations';
const BUDGET_RATIO = 1.3;
const USAGE = 'Usage: npm run bench:first-paint -- [--runs <n>]';

/** What the floor page is built from: a digest of its lock file, config and sources. */
const floorSourceDigest = async () => {
  const files = [
    'package-lock.json',
    'index.html',
    'vite.config.ts',
    ...(await readdir(path.join(FLOOR_SOURCE, 'src'))).map((f) => path.join('src', f)),
  ].sort();
  const hash = createHash('sha256');
  for (const file of files) hash.update(file).update(await readFile(path.join(FLOOR_SOURCE, file)));
  return hash.digest('hex');
};

/** The floor page built once per version of its sources, in a copy with its own node_modules. */
const buildFloor = async () => {
  const stamp = path.join(FLOOR_BUILD, '.built-from');
  const wanted = await floorSourceDigest();
  if (existsSync(path.join(FLOOR_BUILD, 'dist', 'index.html')) && (await readFile(stamp, 'utf8').catch(() => '')) === wanted) return;
  console.log(`Building the floor page from ${FLOOR_SOURCE} in ${FLOOR_BUILD} (npm ci, vite build) …`);
  await rm(FLOOR_BUILD, { recursive: true, force: true });
  await mkdir(FLOOR_BUILD, { recursive: true });
  await cp(FLOOR_SOURCE, FLOOR_BUILD, { recursive: true, filter: (src) => !/node_modules|[/\\]dist$/.test(src) });
  for (const args of [
    ['ci', '--no-audit', '--no-fund'],
    ['exec', '--', 'vite', 'build', '--logLevel', 'warn'],
  ]) {
    const done = spawnSync('npm', args, { cwd: FLOOR_BUILD, stdio: 'inherit' });
    if (done.status !== 0) throw new Error(`npm ${args.join(' ')} in ${FLOOR_BUILD} failed (${done.status})`);
  }
  await writeFile(stamp, wanted);
};

/**
 * The floor page under `vite preview`, as its README serves it; with `headers`, the same build served
 * with those response headers too (a config of the bench's own beside the build: preview reads only
 * `preview` and the build's output directory from it).
 */
const startFloor = async (headers?: Record<string, string>): Promise<{ url: string; child: ChildProcess }> => {
  const port = await freePort();
  const config: string[] = [];
  if (headers) {
    const file = path.join(FLOOR_BUILD, 'vite.bench-headers.config.mjs');
    await writeFile(file, `export default ${JSON.stringify({ preview: { headers } })};\n`);
    config.push('--config', file);
  }
  const child = spawn('npx', ['vite', 'preview', ...config, '--host', '127.0.0.1', '--port', String(port), '--strictPort'], {
    cwd: FLOOR_BUILD,
    stdio: 'ignore',
    detached: true,
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { url, child };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`The floor page's vite preview did not answer at ${url}`);
};

/** One cold load: ms from navigation start until the h1 is in the document. */
const timeToH1 = async (context: BrowserContext, url: string, expected?: string) => {
  try {
    const page = await context.newPage();
    await untilBrowserSettles();
    await page.addInitScript({ content: H1_PROBE });
    await page.goto(url, { waitUntil: 'commit' });
    const h1 = await waitForH1(page);
    if (expected && h1.text !== expected) throw new Error(`${url} showed the h1 "${h1.text}", not "${expected}"`);
    return h1.at;
  } finally {
    await context.close();
  }
};

const main = async () => {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' }, help: { type: 'boolean', short: 'h', default: false } } });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const runs = wholeNumber('runs', values.runs, 1, 100, USAGE);
  await buildFloor();
  const stack = await startBrowserStack();
  // The console's pages carry Cross-Origin-Opener-Policy; leaving a fresh tab's about:blank for such a
  // page, Chromium moves it to a new browsing context group (a renderer process of its own), which the
  // floor page, served without it, never does. The same floor page served with the console's header
  // shows what that costs here (README, "Loading"); the budget stays on the plain floor page.
  const coop = (await fetch(stack.consoleUrl)).headers.get('cross-origin-opener-policy');
  const floor = await startFloor();
  const floorWithCoop = coop ? await startFloor({ 'Cross-Origin-Opener-Policy': coop }) : undefined;
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ ...CHROMIUM, headless: true });
    const b = browser;
    const pages = [
      { role: 'floor', name: 'floor page', open: async () => timeToH1(await b.newContext(), floor.url, FLOOR_H1) },
      ...(floorWithCoop
        ? [{ role: 'floor + COOP', name: 'floor page + COOP', open: async () => timeToH1(await b.newContext(), floorWithCoop.url, FLOOR_H1) }]
        : []),
      { role: 'console', name: 'console /', open: async () => timeToH1(await stack.signedInContext(b), '/', 'Find a user') },
      { role: 'console', name: 'console /users/:user', open: async () => timeToH1(await stack.signedInContext(b), `/users/${stack.ada.user}`) },
    ].map((p) => ({ ...p, times: [] as number[] }));
    // A warm-up round for the servers' own first requests, not counted.
    for (const p of pages) await p.open();
    for (let i = 0; i < runs; i++) for (const p of pages) p.times.push(Math.round(await p.open()));

    const floorMedian = median(pages.find((p) => p.role === 'floor')!.times);
    console.log(`\nTime to h1, ${runs} cold loads each, interleaved (headless Chromium; budget ≤ ${BUDGET_RATIO} × the floor page)\n`);
    console.log('  page                    median    ratio   runs (ms)');
    const figures = pages.map((p) => ({
      role: p.role,
      page: p.name,
      median_ms: median(p.times),
      ratio: Math.round((median(p.times) / floorMedian) * 100) / 100,
      runs_ms: p.times,
    }));
    for (const f of figures)
      console.log(`  ${f.page.padEnd(22)} ${`${Math.round(f.median_ms)} ms`.padStart(8)}  ${`${f.ratio.toFixed(2)} ×`.padStart(7)}   ${f.runs_ms.join(' ')}`);
    const withCoop = pages.find((p) => p.role === 'floor + COOP');
    const besideCoop = withCoop
      ? pages.filter((p) => p.role === 'console').map((p) => ({ page: p.name, ratio: Math.round((median(p.times) / median(withCoop.times)) * 100) / 100 }))
      : [];
    if (withCoop)
      console.log(
        `\n  Beside the floor page served with the console's Cross-Origin-Opener-Policy (${coop}): ` +
          `${besideCoop.map((r) => `${r.page} ${r.ratio.toFixed(2)} ×`).join(', ')} (for reading only; the budget is on the floor page as it is)`,
      );
    const over = figures.filter((f) => f.role === 'console' && f.ratio > BUDGET_RATIO);
    for (const f of over) console.error(`Over budget: ${f.page} shows its h1 at ${f.ratio} × the floor page's (budget ${BUDGET_RATIO} ×)`);
    const file = await writeResults(`first-paint-${fileStamp(new Date())}.json`, {
      started_at: new Date().toISOString(),
      runs,
      budget_ratio: BUDGET_RATIO,
      pages: figures,
      console_cross_origin_opener_policy: coop,
      ratios_beside_floor_with_coop: besideCoop,
    });
    console.log(`\nWritten: ${file}`);
    return over.length > 0 ? 1 : 0;
  } finally {
    await browser?.close();
    for (const server of [floor, floorWithCoop]) {
      try {
        if (server) process.kill(-server.child.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    await stack.stop();
  }
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
