import { readFile } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import Papa from 'papaparse';
import { SANDBOX_SEED_USERS } from './env';
import { adaTokens, autopayRules, DEST, focusIsWithin, lookupUserToken, resetSandbox, sandboxAdmin, settleAnimations, tabTo, wallets } from './support';

// Bulk rule changes (issue 15) in Chromium against the built console (replica A, PostgreSQL): a CSV of
// the seed's named payees and the sandbox's synthetic cohort (SANDBOX_SEED_USERS) is uploaded, dry-run,
// applied with a visible progress bar, and its results CSV parsed; by keyboard alone; axe; 390 px.
// Jobs outlive a sandbox reset (they are the console's): each test uploads a file of its own name.

const HEADER = 'internal_user_id,wallet_token,currency,action,destination_token,percentage';

interface Cohort {
  csv: string;
  /** The CSV's lines (header = 1) the dry run will change, and those it refuses. */
  changes: number[];
  refused: number[];
  /** Wallets with a change row. */
  wallets: number;
}

/**
 * Ada's USD wallet (60 % Evergreen + 25 % Lakeside) set to 50 % Evergreen and given 10 % QuickCash,
 * Grace's EUR wallet 20 % to Rhein Sparkasse, an unknown user (refused), and each synthetic payee's
 * first rule removed (read from the sandbox now, so every remove is a change).
 */
const buildCohort = async (request: APIRequestContext): Promise<Cohort> => {
  const lines = [
    HEADER,
    `ext-1001,,USD,set,${DEST.evergreen},50`,
    `ext-1001,,USD,add,${DEST.quickCash},10`,
    `ext-1002,,EUR,add,${DEST.rhein},20`,
    `ext-9999,,USD,remove,${DEST.evergreen},`,
  ];
  const changes = [2, 3, 4];
  let wallets_ = 2;
  for (let i = 1; i <= SANDBOX_SEED_USERS; i++) {
    const id = `syn-${String(i).padStart(6, '0')}`;
    const user = await lookupUserToken(request, id);
    for (const wallet of await wallets(request, user)) {
      const [rule] = await autopayRules(request, user, wallet.token);
      if (!rule) continue;
      lines.push(`${id},${wallet.token},,remove,${rule.destination_token},`);
      changes.push(lines.length);
      wallets_ += 1;
      break;
    }
  }
  return { csv: `${lines.join('\r\n')}\r\n`, changes, refused: [5], wallets: wallets_ };
};

const uniqueName = () => `cohort-${crypto.randomUUID().slice(0, 8)}.csv`;
const csvPayload = (name: string, csv: string) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });

/** Serious or critical axe violations on the page as it is now (rule id and the first offending target). */
const blockingViolations = async (page: Page) => {
  await settleAnimations(page);
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes[0]?.target.join(' ')}`);
};

const dryRunTable = (page: Page) => page.getByRole('table', { name: 'Dry run' });

test.beforeEach(async ({ request }) => {
  await resetSandbox(request);
});
test.afterEach(async ({ request }) => {
  await sandboxAdmin(request).clearFaults();
});

test('upload a cohort, see its dry run, apply it with a progress bar, and download the results as CSV', async ({ page, request }) => {
  const cohort = await buildCohort(request);
  expect(cohort.changes.length).toBeGreaterThanOrEqual(6);
  const name = uniqueName();

  await page.goto('/');
  await page.getByRole('link', { name: 'Bulk changes' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Bulk changes' })).toBeVisible();
  await page.getByLabel('CSV file').setInputFiles(csvPayload(name, cohort.csv));
  await page.getByRole('button', { name: 'Dry run' }).click();

  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page).toHaveURL(/\/bulk\/[0-9a-f-]{36}$/);
  const counts = page.getByRole('region', { name: 'Dry run counts' });
  await expect(counts).toHaveText(`Rows${cohort.changes.length + cohort.refused.length}Will change${cohort.changes.length}Already so0Refused1`, {
    timeout: 15_000,
  });
  await expect(dryRunTable(page).getByRole('row')).toHaveCount(1 + cohort.changes.length + cohort.refused.length);
  await expect(dryRunTable(page).getByRole('row').filter({ hasText: 'ext-9999' })).toContainText('Refused');

  // Each MassPay write takes 1.5 s: the run lasts long enough to be watched.
  await sandboxAdmin(request).setFaults({ latencyMs: 1_500, latencyMethods: ['POST', 'DELETE'] });
  await page.getByRole('button', { name: 'Apply' }).click();
  const confirm = page.getByRole('alertdialog', { name: `Apply ${cohort.changes.length} changes to ${cohort.wallets} wallets?` });
  await confirm.getByRole('button', { name: 'Apply' }).click();
  const progress = page.getByRole('progressbar', { name: 'Job progress' });
  await expect(progress).toBeVisible();
  await expect(page.getByText('Running', { exact: true })).toBeVisible();
  await expect(progress).toHaveAttribute('aria-valuetext', new RegExp(`^\\d+ of ${cohort.changes.length} rows done$`));
  await expect(page.getByText('The job is complete.')).toBeVisible({ timeout: 30_000 });
  await expect(progress).toHaveAttribute('aria-valuenow', '100');
  await expect(page.getByText(`${cohort.changes.length} applied · 0 already so · 0 refused · 0 failed`)).toBeVisible();

  const downloading = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download results' }).click();
  const download = await downloading;
  const text = (await readFile(await download.path(), 'utf8')).replace(/^\uFEFF/, '');
  const { data, errors } = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
  expect(errors).toEqual([]);
  const byLine = new Map(data.map((row) => [Number(row.line), row]));
  expect([...byLine.keys()].sort((a, b) => a - b)).toEqual([...cohort.changes, ...cohort.refused].sort((a, b) => a - b));
  for (const line of cohort.changes) {
    expect(byLine.get(line), `line ${line}`).toMatchObject({ verdict: 'change', outcome: 'applied', rule_token: expect.stringMatching(/^autopayout_/) });
  }
  expect(byLine.get(5)).toMatchObject({ verdict: 'refused', outcome: '' });

  const ada = await adaTokens(request);
  const rules = await autopayRules(request, ada.user, ada.usd);
  expect(Object.fromEntries(rules.map((rule) => [rule.destination_token, rule.percentage]))).toEqual({
    [DEST.evergreen]: 50,
    [DEST.lakeside]: 25,
    [DEST.quickCash]: 10,
  });

  // The jobs list shows who ran it, when and how it ended.
  await page.getByRole('link', { name: 'Bulk changes' }).first().click();
  const row = page.getByRole('table', { name: 'Bulk jobs' }).getByRole('row').filter({ hasText: name });
  await expect(row).toContainText('Completed');
  await expect(row).toContainText('Eddie Editor');
});

test('by keyboard alone, at 390 px, with no serious or critical axe violation on /bulk, /bulk/:id or its dialog', async ({ page, request }) => {
  const cohort = await buildCohort(request);
  const name = uniqueName();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/bulk');
  await expect(page.getByRole('heading', { level: 1, name: 'Bulk changes' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Bulk changes' })).toBeInViewport();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeInViewport();
  expect(await blockingViolations(page)).toEqual([]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth), 'the page must not scroll sideways').toBeLessThanOrEqual(390);

  // The file chooser opens from the keyboard (Space on the focused input), as the browser's own would.
  const file = page.getByLabel('CSV file');
  await tabTo(page, file);
  const choosing = page.waitForEvent('filechooser');
  await page.keyboard.press('Space');
  await (await choosing).setFiles(csvPayload(name, cohort.csv));
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Dry run' })).toBeFocused();
  await page.keyboard.press('Enter');

  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(dryRunTable(page).getByRole('row')).toHaveCount(1 + cohort.changes.length + cohort.refused.length, { timeout: 15_000 });
  await expect(page.getByRole('table', { name: 'Wallets' }).getByRole('row')).toHaveCount(1 + cohort.wallets);
  expect(await blockingViolations(page)).toEqual([]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth), 'the page must not scroll sideways').toBeLessThanOrEqual(390);

  // The verdict filter, from the keyboard: the native select's arrow keys (All, Will change, Already so, Refused) and the URL.
  const verdict = page.getByRole('combobox', { name: 'Verdict' });
  await tabTo(page, verdict);
  for (const expected of ['change', 'noop', 'refused']) {
    await page.keyboard.press('ArrowDown');
    await expect(page).toHaveURL(new RegExp(`\\?verdict=${expected}$`));
  }
  await expect(dryRunTable(page).getByRole('row')).toHaveCount(2);
  await expect(verdict).toBeFocused();
  await page.keyboard.press('Home');
  await expect(page).toHaveURL(/\/bulk\/[0-9a-f-]{36}$/);
  await expect(dryRunTable(page).getByRole('row')).toHaveCount(1 + cohort.changes.length + cohort.refused.length);

  const apply = page.getByRole('button', { name: 'Apply' });
  await tabTo(page, apply);
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('alertdialog', { name: /^Apply \d+ changes/ });
  // The focus moves into the confirmation: Tab reaches Cancel, then Apply.
  await expect.poll(() => focusIsWithin(dialog), { message: 'focus moves into the confirmation' }).toBe(true);
  expect(await blockingViolations(page)).toEqual([]);
  await tabTo(page, dialog.getByRole('button', { name: 'Apply' }), { backwards: false });
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Job started' })).toBeVisible();
  // The Apply button is gone: the focus is on the run's own heading.
  await expect(page.getByRole('heading', { level: 2, name: /^(Progress|Outcome)$/ })).toBeFocused();
  await expect(page.getByRole('progressbar', { name: 'Job progress' })).toBeVisible();
  await expect(page.getByText('The job is complete.')).toBeVisible({ timeout: 30_000 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth), 'the page must not scroll sideways').toBeLessThanOrEqual(390);

  // Reopened later (a new tab on the same address), the job is still there with its outcome.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Download results' })).toBeVisible();
  expect(await blockingViolations(page)).toEqual([]);
});
