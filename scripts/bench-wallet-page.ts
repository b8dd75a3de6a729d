/**
 * `npm run bench:wallet-page [-- --runs <n>] [-- --latency <ms>] [-- --from-site]`: how fast Ada's USD
 * wallet page shows its rules, and how many API round trips stand in the way.
 *
 * Starts the standalone sandbox (SANDBOX_LATENCY_MS=200 by default, so every upstream request costs
 * what a real network would) and the console proxying to it, with an editor to sign in
 * (scripts/browser-stack.ts); then, in headless Chromium, opens the wallet page in a
 * fresh browser context per run and measures, from the page's navigation start, the time until the
 * `Autopay rules` table shows the resolved destination name `Evergreen Bank`. Every `/api/` request
 * is recorded with its start and end; the report gives the number of API calls (destination lookups
 * `/api/payout/service/...` counted apart) and the critical-path depth in round trips: requests are
 * put in waves, a request that started after another one ended being one wave deeper.
 *
 * `--from-site`: each run arrives as staff do from a support ticket or an email, by following a link
 * on a page of another site (`localhost`, served by this script; the console is `127.0.0.1`). The
 * session cookie is SameSite=Strict, so that navigation carries none: the page must learn who is
 * signed in from a request of its own.
 *
 * Prints a table and writes the figures to `bench-results/wallet-page-<timestamp>.json`.
 * The child processes are stopped at the end, also on an error or Ctrl-C.
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { chromium, type Page, type Request } from '@playwright/test';
import { CHROMIUM } from '../e2e/env';
import { untilBrowserSettles } from './browser-settle';
import { startBrowserStack } from './browser-stack';
import { fileStamp, median, wholeNumber, writeResults } from './bench-lib';
const USAGE = 'Usage: npm run bench:wallet-page -- [--runs <n>] [--latency <ms>] [--from-site]';

const readOptions = () => {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      runs: { type: 'string', default: '3' },
      latency: { type: 'string', default: '200' },
      'from-site': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  return {
    help: values.help,
    runs: wholeNumber('runs', values.runs, 1, 50, USAGE),
    latencyMs: wholeNumber('latency', values.latency, 0, 10_000, USAGE),
    fromSite: values['from-site'],
  };
};

/** What the page asks the console: MassPay data under /api, the session under /auth. */
const isServerCall = (pathname: string) => pathname.startsWith('/api/') || pathname.startsWith('/auth/');

interface ApiRequest {
  session?: boolean;
  method: string;
  path: string;
  status: number | null;
  /** Milliseconds since the page's navigation start. */
  start: number;
  end: number;
  lookup: boolean;
  wave?: number;
}

/** Waves of round trips: a request is one wave deeper than the deepest request that ended before it started. */
const assignWaves = (requests: ApiRequest[]) => {
  const sorted = [...requests].sort((a, b) => a.start - b.start);
  for (const r of sorted) {
    const before = sorted.filter((q) => q !== r && q.wave !== undefined && q.end <= r.start);
    r.wave = 1 + Math.max(0, ...before.map((q) => q.wave!));
  }
  return Math.max(0, ...sorted.map((r) => r.wave!));
};

/**
 * In the page: the first moment a table named `Autopay rules` contains `Evergreen Bank` (DOM, then
 * next frame). Plain JavaScript text: tsx would wrap the helpers of a function in `__name(...)`,
 * which does not exist in the page.
 */
const READY_PROBE = `(() => {
  const nameOf = (table) => {
    const label = table.getAttribute('aria-label');
    if (label) return label.trim();
    const ids = table.getAttribute('aria-labelledby');
    if (ids) return ids.split(/\\s+/).map((id) => document.getElementById(id)?.textContent ?? '').join(' ').trim();
    return table.querySelector('caption')?.textContent?.trim() ?? '';
  };
  const check = () => {
    if (window.__ready) return;
    for (const table of document.querySelectorAll('table, [role="table"]')) {
      if (nameOf(table) === 'Autopay rules' && table.textContent.includes('Evergreen Bank')) {
        const ready = { dom: performance.now() };
        window.__ready = ready;
        requestAnimationFrame(() => { ready.frame = performance.now(); });
        return;
      }
    }
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true, attributes: true });
})();`;

interface ResourceEntry {
  name: string;
  startTime: number;
  responseEnd: number;
}

/**
 * A page of another site with one link, to `?to=`: what staff follow from a ticket. `localhost` is not
 * `127.0.0.1`'s site, so the console's SameSite=Strict cookie stays behind when the link is followed.
 */
const startOtherSite = async () => {
  const server = http.createServer((request, response) => {
    // The target as the URL parser writes it back: a quote or a `<` in it comes out percent-encoded.
    const to = new URL(new URL(request.url ?? '/', 'http://localhost').searchParams.get('to') ?? '', 'http://127.0.0.1').href;
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(`<!doctype html><title>Ticket</title><a href="${to}">Open the wallet</a>`);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://localhost:${(server.address() as AddressInfo).port}/`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
};

const measure = async (page: Page, url: string, otherSite?: string) => {
  // Playwright's events give method and status; the times come from the page's Resource Timing
  // entries, on the same clock (ms since navigation start) as the ready probe.
  const seen: { method: string; url: string; status: number | null }[] = [];
  const problems: string[] = [];
  const record = (request: Request, status: number | null) => {
    if (isServerCall(new URL(request.url()).pathname)) seen.push({ method: request.method(), url: request.url(), status });
  };
  page.on('requestfinished', (request) => void request.response().then((r) => record(request, r?.status() ?? null)));
  page.on('requestfailed', (request) => record(request, null));
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} ${response.request().method()} ${response.url()}`);
  });

  await page.addInitScript({ content: READY_PROBE });
  if (otherSite) {
    await page.goto(`${otherSite}?to=${encodeURIComponent(url)}`);
    const [navigation] = await Promise.all([
      page.waitForRequest((r) => r.isNavigationRequest() && r.url() === url),
      page.waitForURL(url, { waitUntil: 'commit' }),
      page.getByRole('link', { name: 'Open the wallet' }).click({ noWaitAfter: true }),
    ]);
    // What this mode is for: the page asked for without the session cookie.
    if ((await navigation.allHeaders()).cookie) throw new Error('The link from another site carried the session cookie: this run would measure nothing new.');
  } else await page.goto(url, { waitUntil: 'commit' });
  // Polled from here: the page's CSP forbids the eval that page.waitForFunction needs. The times
  // themselves are taken in the page, so the polling interval does not blur them.
  const deadline = Date.now() + 30_000;
  while (!(await page.evaluate('window.__ready !== undefined && window.__ready.frame !== undefined'))) {
    if (Date.now() > deadline) {
      const snapshot = await page
        .locator('body')
        .ariaSnapshot()
        .catch(() => '(no snapshot)');
      throw new Error(`The rules table never showed "Evergreen Bank":\n${snapshot}\n${problems.join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  // The same fact through the accessibility tree, as the e2e specs see it.
  await page.getByRole('table', { name: 'Autopay rules' }).getByText('Evergreen Bank').first().waitFor({ timeout: 5_000 });
  await page.waitForLoadState('networkidle');
  const { ready, entries } = (await page.evaluate(
    `({ ready: window.__ready, entries: performance.getEntriesByType('resource').map((e) => ({ name: e.name, startTime: e.startTime, responseEnd: e.responseEnd })) })`,
  )) as { ready: { dom: number; frame: number }; entries: ResourceEntry[] };

  // Pair each API request with its timing entry, in order per URL (a URL may be fetched twice).
  const unused = [...seen];
  const requests: ApiRequest[] = entries
    .filter((e) => isServerCall(new URL(e.name).pathname))
    .map((e) => {
      const at = unused.findIndex((r) => r.url === e.name);
      const info = at >= 0 ? unused.splice(at, 1)[0]! : { method: 'GET', url: e.name, status: null };
      const { pathname, search } = new URL(e.name);
      return {
        method: info.method,
        path: pathname + search,
        status: info.status,
        lookup: pathname.startsWith('/api/payout/service/'),
        session: pathname.startsWith('/auth/'),
        start: e.startTime,
        end: e.responseEnd,
      };
    });
  const pageChunk = entries.find((e) => /\/assets\/WalletPage-[^/]*\.js$/.test(new URL(e.name).pathname));

  const depthAll = assignWaves(requests);
  const beforeReady = requests.filter((r) => r.start < ready.dom);
  const depthUntilReady = Math.max(0, ...beforeReady.map((r) => r.wave!));
  requests.sort((a, b) => a.start - b.start);
  return {
    ready_dom_ms: Math.round(ready.dom),
    ready_painted_ms: Math.round(ready.frame),
    page_chunk_loaded_ms: pageChunk ? Math.round(pageChunk.responseEnd) : null,
    // MassPay data (user, wallets, rules); the session check (`/auth/me`) and destination lookups apart.
    api_calls: requests.filter((r) => !r.lookup && !r.session).length,
    session_calls: requests.filter((r) => r.session).length,
    destination_lookups: requests.filter((r) => r.lookup).length,
    api_calls_before_ready: beforeReady.filter((r) => !r.lookup && !r.session).length,
    destination_lookups_before_ready: beforeReady.filter((r) => r.lookup).length,
    depth_until_ready: depthUntilReady,
    depth_all: depthAll,
    requests: requests.map((r) => ({ ...r, start: Math.round(r.start), end: Math.round(r.end) })),
  };
};

const main = async (): Promise<number> => {
  const options = readOptions();
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const browser = { current: undefined as Awaited<ReturnType<typeof chromium.launch>> | undefined };
  const otherSite = options.fromSite ? await startOtherSite() : undefined;
  // With a real MASSPAY_BASE_URL the console wants a staff file: one editor, signed in per run.
  const stack = await startBrowserStack({ latencyMs: options.latencyMs, roles: ['editor'] });
  try {
    const { consoleUrl } = stack;
    const path = `/users/${stack.ada.user}/wallets/${stack.ada.usd}`;

    browser.current = await chromium.launch({ ...CHROMIUM, headless: true });
    const runs = [];
    for (let i = 0; i < options.runs; i++) {
      // A fresh context per run: no HTTP cache, no storage, no warm query cache.
      // Signed in as staff are when they open a wallet; the page still checks the session itself.
      const context = await stack.signedInContext(browser.current);
      try {
        const page = await context.newPage();
        await untilBrowserSettles();
        runs.push(await measure(page, `${consoleUrl}${path}`, otherSite?.url));
      } finally {
        await context.close();
      }
    }

    const last = runs[runs.length - 1]!;
    console.log(`\nWallet page ${path}`);
    console.log(
      `Sandbox latency ${options.latencyMs} ms per upstream request; ${options.runs} cold run(s)` +
        `${otherSite ? ', each arriving by a link from another site (no session cookie on the page request)' : ''}.\n`,
    );
    console.log('  run  ready (DOM)  painted  page chunk in  API calls  lookups  round trips until ready  round trips, all');
    runs.forEach((r, i) =>
      console.log(
        `  ${String(i + 1).padStart(3)}  ${`${r.ready_dom_ms} ms`.padStart(11)}  ${`${r.ready_painted_ms} ms`.padStart(7)}  ${`${r.page_chunk_loaded_ms ?? '?'} ms`.padStart(13)}  ${String(r.api_calls).padStart(9)}  ${String(r.destination_lookups).padStart(7)}  ${String(r.depth_until_ready).padStart(23)}  ${String(r.depth_all).padStart(16)}`,
      ),
    );
    console.log(`\nRequests of the last run (ms since navigation start):`);
    console.log('  wave  start    end  status  request');
    for (const r of last.requests) {
      console.log(
        `  ${String(r.wave).padStart(4)}  ${String(r.start).padStart(5)}  ${String(r.end).padStart(5)}  ${String(r.status ?? 'fail').padStart(6)}  ${r.method} ${r.path}`,
      );
    }
    const figures = {
      page: '/users/{user_token}/wallets/{wallet_token}',
      path,
      started_at: new Date().toISOString(),
      sandbox_latency_ms: options.latencyMs,
      arrived_from_another_site: options.fromSite,
      runs: options.runs,
      median_ready_dom_ms: Math.round(median(runs.map((r) => r.ready_dom_ms))),
      median_ready_painted_ms: Math.round(median(runs.map((r) => r.ready_painted_ms))),
      api_calls: last.api_calls,
      session_calls: last.session_calls,
      destination_lookups: last.destination_lookups,
      depth_until_ready: last.depth_until_ready,
      depth_all: last.depth_all,
      per_run: runs,
    };
    console.log(
      `\nMedian: ready ${figures.median_ready_dom_ms} ms (painted ${figures.median_ready_painted_ms} ms); ${figures.api_calls} API calls + ${figures.destination_lookups} destination lookups + ${figures.session_calls} session check; ${figures.depth_until_ready} round trips deep until ready.`,
    );
    const file = await writeResults(`wallet-page-${fileStamp(new Date())}.json`, figures);
    console.log(`Written: ${file}`);
    return 0;
  } finally {
    await browser.current?.close().catch(() => undefined);
    await otherSite?.close();
    await stack.stop();
  }
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
