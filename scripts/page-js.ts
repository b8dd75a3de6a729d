/**
 * The JS a page costs as a user waits for it (issue 17 item 5): in Chromium, signed in, cold cache,
 * every JavaScript file whose request started before the page's `h1` was in the document, each
 * counted by its gzip size (level 9, whatever encoding the server chose). Shared by `npm run size`
 * (scripts/size-browser.ts) and `npm run bench:first-paint`. No e2e spec checks it yet: every route
 * is over the budget today, so such a spec would fail every `npm test` (issue 17 item 5).
 */
import { gzipSync } from 'node:zlib';
import type { BrowserContext, Page, Response } from '@playwright/test';
import { untilBrowserSettles } from './browser-settle';

export const PAGE_JS_BUDGET_KIB = 150;

/** The routes the budget covers (DESIGN's UI contract), with the paths of the seeded payee Ada. */
export const budgetRoutes = (ada: { user: string; usd: string }) => [
  { name: '/', path: '/' },
  { name: '/users/:user', path: `/users/${ada.user}` },
  { name: '/users/:user/wallets/:wallet', path: `/users/${ada.user}/wallets/${ada.usd}` },
  { name: '/audit', path: '/audit' },
  { name: '/approvals', path: '/approvals' },
];

/**
 * In the page, before any of its scripts: the first moment an `h1` with text is in the document and
 * rendered (`window.__h1`, ms since navigation start). Plain JavaScript text: the page's CSP forbids
 * the eval that page.waitForFunction needs, and tsx would wrap helpers in `__name(...)`.
 */
export const H1_PROBE = `(() => {
  const check = () => {
    if (window.__h1 !== undefined) return;
    const h1 = document.querySelector('h1');
    if (h1 && h1.textContent.trim() && h1.checkVisibility()) window.__h1 = { at: performance.now(), text: h1.textContent.trim() };
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true });
})();`;

/** Waits (polling from outside, see H1_PROBE) until the page's h1 is in the document; returns when, in ms since navigation start. */
export const waitForH1 = async (page: Page, timeoutMs = 30_000): Promise<{ at: number; text: string }> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const h1 = (await page.evaluate('window.__h1')) as { at: number; text: string } | undefined;
    if (h1) return h1;
    if (Date.now() > deadline) throw new Error(`No h1 within ${timeoutMs} ms at ${page.url()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

export interface PageJs {
  route: string;
  h1: string;
  h1Ms: number;
  files: { path: string; gzip: number; startMs: number }[];
  gzip: number;
}

const isJs = (url: string) => new URL(url).pathname.endsWith('.js');

/** Opens `path` in a fresh context from `newContext` (signed in, no HTTP cache: a cold load) and measures its JS. */
export const measurePageJs = async (newContext: () => Promise<BrowserContext>, route: { name: string; path: string }): Promise<PageJs> => {
  const context = await newContext();
  try {
    const page = await context.newPage();
    await untilBrowserSettles();
    const bodies = new Map<string, Promise<Buffer>>();
    page.on('response', (response: Response) => {
      if (isJs(response.url()) && !bodies.has(response.url())) bodies.set(response.url(), response.body());
    });
    await page.addInitScript({ content: H1_PROBE });
    await page.goto(route.path, { waitUntil: 'commit' });
    const h1 = await waitForH1(page);
    // A Resource Timing entry appears when its response has ended: let every request started before the h1 finish.
    await page.waitForLoadState('networkidle');
    const entries = (await page.evaluate(`performance.getEntriesByType('resource').map((e) => ({ name: e.name, startTime: e.startTime }))`)) as {
      name: string;
      startTime: number;
    }[];
    const before = entries.filter((e) => e.name && isJs(e.name) && e.startTime <= h1.at);
    const files = await Promise.all(
      before.map(async (e) => {
        const body = await bodies.get(e.name);
        if (!body) throw new Error(`No response recorded for ${e.name}`);
        return { path: new URL(e.name).pathname, gzip: gzipSync(body, { level: 9 }).length, startMs: Math.round(e.startTime) };
      }),
    );
    return { route: route.name, h1: h1.text, h1Ms: Math.round(h1.at), files, gzip: files.reduce((sum, f) => sum + f.gzip, 0) };
  } finally {
    await context.close();
  }
};

export const kib = (bytes: number) => (bytes / 1024).toFixed(1);

/** One line per route over the budget, naming it and by how much; empty when all are within it. */
export const overBudget = (pages: Pick<PageJs, 'route' | 'gzip' | 'files'>[], budgetKiB = PAGE_JS_BUDGET_KIB): string[] =>
  pages
    .filter((p) => p.gzip > budgetKiB * 1024)
    .map(
      (p) => `${p.route}: ${kib(p.gzip)} KiB gzip of JS before its h1 (${p.files.length} files), ${kib(p.gzip - budgetKiB * 1024)} KiB over ${budgetKiB} KiB`,
    );

/** A table: per route, the files and their gzip sizes, then the total against the budget. */
export const describePageJs = (pages: PageJs[], budgetKiB = PAGE_JS_BUDGET_KIB): string =>
  pages
    .map((p) =>
      [
        `${p.route} — h1 "${p.h1}" at ${p.h1Ms} ms: ${kib(p.gzip)} KiB gzip in ${p.files.length} JS files (budget ${budgetKiB} KiB)`,
        ...[...p.files].sort((a, b) => b.gzip - a.gzip).map((f) => `  ${kib(f.gzip).padStart(7)} KiB  ${String(f.startMs).padStart(5)} ms  ${f.path}`),
      ].join('\n'),
    )
    .join('\n\n');
