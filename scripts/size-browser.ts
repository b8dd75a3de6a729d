/**
 * `npm run size`: the JS each page of the budget costs as a user waits for it (scripts/page-js.ts) —
 * the built console and the sandbox started here (scripts/browser-stack.ts), each route opened
 * cold in headless Chromium, signed in as an admin. Prints the files per route and the totals; exits
 * 1 when a route is over the budget (150 KiB gzip). `npm run size` then prints the static report
 * (scripts/size-report.ts), the import chains as detail.
 */
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { CHROMIUM } from '../e2e/env';
import { startBrowserStack } from './browser-stack';
import { budgetRoutes, describePageJs, kib, measurePageJs, overBudget, PAGE_JS_BUDGET_KIB } from './page-js';

const main = async () => {
  const { values } = parseArgs({ options: { budget: { type: 'string', default: String(PAGE_JS_BUDGET_KIB) } } });
  const budget = Number(values.budget);
  const stack = await startBrowserStack();
  const browser = await chromium.launch({ ...CHROMIUM, headless: true });
  try {
    const pages = [];
    for (const route of budgetRoutes(stack.ada)) pages.push(await measurePageJs(() => stack.signedInContext(browser), route));
    console.log(`JS fetched before each page's h1, gzip level 9 (Chromium, signed in, cold cache)\n\n${describePageJs(pages, budget)}\n`);
    for (const page of pages) console.log(`${page.route.padEnd(30)} ${kib(page.gzip).padStart(6)} KiB gzip  (budget ${budget} KiB)`);
    const over = overBudget(pages, budget);
    for (const line of over) console.error(`Over budget: ${line}`);
    return over.length > 0 ? 1 : 0;
  } finally {
    await browser.close();
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
