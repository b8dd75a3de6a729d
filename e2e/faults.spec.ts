import { expect, test, type APIRequestContext, type Locator, type Page, type PlaywrightWorkerArgs } from '@playwright/test';
import {
  adaTokens,
  apiAs,
  autopayRules,
  deleteButtons,
  DEST,
  DEST_LABEL,
  type FaultSettings,
  resetSandbox,
  rulesTable,
  sandboxAdmin,
  startAddingQuickCash,
  walletPath,
} from './support';

// MassPay failing while a staff member adds a rule (issue 7, item 1), through the sandbox's fault
// injection: each case shows a clear alert in the dialog, keeps what was typed, and a retry of the same
// submission (same Idempotency-Key) ends with exactly one new rule. The console runs with
// UPSTREAM_TIMEOUT_MS=3000 (playwright.config.ts); the proxy never retries a POST itself.
//
// Since the change path (issue 13) the console reads the wallet's rules from MassPay before it asks
// MassPay to add one, and a retry of an attempt whose outcome is unknown reads them again and takes the
// rule the first attempt made instead of asking MassPay twice. The sandbox is lenient (no idempotency
// of its own, playwright.config.ts): "exactly one rule" is the console's doing. An add MassPay did not
// answer may still land after the console gave up (the sandbox, like a slow MassPay, finishes it): for
// MASSPAY_SETTLE_MS=4000 after that no change to the wallet is decided, and a retry is told to wait.

test.beforeEach(async ({ request }) => {
  await resetSandbox(request);
});

test.afterEach(async ({ request }) => {
  await sandboxAdmin(request).clearFaults();
});

const PERCENTAGE = '12';
const quickCashRows = (page: Page) =>
  rulesTable(page)
    .getByRole('row')
    .filter({ has: page.getByRole('button', { name: new RegExp(`^Delete rule ${DEST_LABEL.quickCash.source.slice(1)}`) }) });
const saveButton = (dialog: Locator) => dialog.getByRole('button', { name: 'Save', exact: true });

/** The Idempotency-Key of every POST to `/autopayout` the page sends, in order (what the SPA put on the wire). */
const recordAddKeys = (page: Page) => {
  const keys: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().includes('/autopayout')) keys.push(r.headers()['idempotency-key'] ?? '(none)');
  });
  return keys;
};

/** Ada's USD wallet with its add dialog open and 12 % to QuickCash Wallet typed. */
const startAdding = async (page: Page, request: APIRequestContext) => {
  const ada = await adaTokens(request);
  return { ada, dialog: await startAddingQuickCash(page, ada, PERCENTAGE) };
};

/**
 * The dialog's way to try again: the alert's Retry when it has one, else Save (the same values, so the
 * same submission and key). Returns once the page has sent attempt number `attempt`.
 */
const retry = async (dialog: Locator, keys: string[], attempt: number) => {
  const alertRetry = dialog.getByRole('alert').getByRole('button', { name: 'Retry', exact: true });
  await ((await alertRetry.count()) > 0 ? alertRetry : saveButton(dialog)).click();
  await expect.poll(() => keys.length, { message: `attempt ${attempt} is sent` }).toBe(attempt);
};

/**
 * After a failed attempt: the dialog is open with a clear alert and what was typed, ready for another
 * try. The alert says the rule was not added — or, when MassPay may have made it (a timeout, a broken
 * connection), that it may or may not have been, and that saving again is safe.
 */
const expectFailureShown = async (dialog: Locator, message: RegExp, outcome: 'not added' | 'unknown' = 'not added') => {
  const alert = dialog.getByRole('alert');
  await expect(alert).toBeVisible({ timeout: 15_000 });
  if (outcome === 'not added') await expect(alert).toContainText(/^The rule was not added\./);
  else await expect(alert).toContainText(/may or may not have been made\. It is safe to try again/);
  await expect(alert).toContainText(message);
  test.info().annotations.push({ type: 'alert', description: (await alert.textContent()) ?? '' });
  await expect(saveButton(dialog)).toBeEnabled();
  await expect(dialog.getByRole('textbox', { name: 'Destination token' })).toHaveValue(DEST.quickCash);
  await expect(dialog.getByRole('textbox', { name: 'Percentage' })).toHaveValue(PERCENTAGE);
};

/** The final, successful attempt: the dialog closes, "Rule added", the table shows the rule once. */
const expectAddedOnce = async (page: Page, dialog: Locator) => {
  await expect(page.getByRole('status').filter({ hasText: 'Rule added' })).toBeVisible({ timeout: 15_000 });
  await expect(dialog).toBeHidden();
  await expect(deleteButtons(page)).toHaveCount(3);
  await expect(quickCashRows(page)).toHaveCount(1);
  await expect(quickCashRows(page).getByRole('cell', { name: `${PERCENTAGE} %`, exact: true })).toBeVisible();
  await expect(page.getByText('97 % allocated · 3 % unallocated')).toBeVisible();
};

/** Through the API: Ada's USD wallet holds its two seeded rules and exactly one 12 % QuickCash rule. */
const expectOneNewRule = async (request: APIRequestContext, ada: { user: string; usd: string }) => {
  const rules = await autopayRules(request, ada.user, ada.usd);
  expect(rules.map((r) => r.destination_token).sort()).toEqual([DEST.evergreen, DEST.lakeside, DEST.quickCash].sort());
  expect(rules.filter((r) => r.destination_token === DEST.quickCash).map((r) => r.percentage)).toEqual([Number(PERCENTAGE)]);
  return rules.find((r) => r.destination_token === DEST.quickCash)!;
};

/** Every attempt carried one and the same, well-formed Idempotency-Key. */
const expectOneKey = (keys: string[], attempts: number) => {
  expect(keys).toHaveLength(attempts);
  expect(keys[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(new Set(keys).size).toBe(1);
};

/**
 * The admin's audit log for that key, oldest first: `entries` exactly — `requested` when the console
 * asked MassPay to add, then how that ended; a lone `failed` when reading the wallet failed (MassPay
 * was not asked to add); a lone `succeeded` when a retry found the rule an earlier attempt made. The
 * last one carries the rule's token.
 */
const expectAudited = async (playwright: PlaywrightWorkerArgs['playwright'], ada: { user: string }, key: string, entries: string[], ruleToken: string) => {
  const admin = await apiAs(playwright, 'admin');
  try {
    const answer = await admin.get(`/api/audit?user=${ada.user}&action=add_rule&limit=100`);
    expect(answer.status()).toBe(200);
    const page = (await answer.json()) as { entries: { id: string; idempotencyKey: string | null; outcome: string; ruleToken: string | null }[] };
    const ours = page.entries.filter((e) => e.idempotencyKey === key).sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)));
    expect(ours.map((e) => e.outcome)).toEqual(entries);
    expect(ours.at(-1)?.ruleToken).toBe(ruleToken);
  } finally {
    await admin.dispose();
  }
};

/** The console's MASSPAY_SETTLE_MS (playwright.config.ts). */
const SETTLE_MS = 4_000;

/** The alert of a retry while the first attempt may still land: nothing sent, save again later. */
const expectToldToWait = async (dialog: Locator) => {
  const alert = dialog.getByRole('alert');
  await expect(alert).toContainText(
    /^The first attempt of this change is still running\. Save again in [1-5] s: you will get its outcome, and nothing is done twice\.$/,
  );
  await expect(saveButton(dialog)).toBeEnabled();
  await expect(dialog.getByRole('textbox', { name: 'Percentage' })).toHaveValue(PERCENTAGE);
};

/** Waits out a slow request MassPay is still working on, so that it cannot land in the next test. */
const waitUntil = async (page: Page, deadline: number) => {
  const left = deadline - Date.now();
  if (left > 0) await page.waitForTimeout(left);
};

test('MassPay down (every connection dropped): the console cannot read the wallet, so "nothing was changed"; Save again while still down fails the same way, then adds the rule once', async ({
  page,
  request,
  playwright,
}) => {
  const admin = sandboxAdmin(request);
  const { ada, dialog } = await startAdding(page, request);
  const keys = recordAddKeys(page);
  // Down: every request's connection is dropped before MassPay does anything — the console's read of
  // the wallet's rules, before any add, included.
  await admin.setFaults({ failNext: { count: 10_000, drop: true } });

  await saveButton(dialog).click();
  await expect.poll(() => keys.length).toBe(1);
  await expectFailureShown(dialog, /MassPay could not be reached, so nothing was changed/);
  await expect(dialog.getByRole('alert')).toContainText(/try again/i);

  await retry(dialog, keys, 2);
  await expectFailureShown(dialog, /MassPay could not be reached, so nothing was changed/);
  expect(await autopayRules(request, ada.user, ada.usd).catch(() => 'unreadable while down')).toBe('unreadable while down');
  expect((await admin.stats()).byRoute.createAutopayRule).toBeUndefined();

  await admin.clearFaults();
  await retry(dialog, keys, 3);
  await expectAddedOnce(page, dialog);

  const rule = await expectOneNewRule(request, ada);
  expectOneKey(keys, 3);
  expect((await admin.stats()).byRoute.createAutopayRule).toBe(1);
  await expectAudited(playwright, ada, keys[0]!, ['failed', 'failed', 'requested', 'succeeded'], rule.token);
});

test('MassPay’s adds down (every POST dropped, reads fine): "may or may not have been made", Save again at once is told to wait, then adds the rule once', async ({
  page,
  request,
  playwright,
}) => {
  const admin = sandboxAdmin(request);
  const { ada, dialog } = await startAdding(page, request);
  const keys = recordAddKeys(page);
  // The console reads the wallet, asks MassPay to add, and the connection drops before MassPay does anything.
  await admin.setFaults({ failNext: { count: 10_000, drop: true, methods: ['POST'] } });

  await saveButton(dialog).click();
  await expect.poll(() => keys.length).toBe(1);
  const failedAt = Date.now();
  await expectFailureShown(dialog, /The connection to MassPay broke after the change was sent/, 'unknown');
  await expect(dialog.getByRole('alert')).toContainText(/try again/i);

  // At once: the add that got no answer may still land, so the console does not ask MassPay again yet.
  await retry(dialog, keys, 2);
  await expectToldToWait(dialog);
  expect(await autopayRules(request, ada.user, ada.usd)).toHaveLength(2);
  expect((await admin.stats()).byRoute.createAutopayRule).toBe(1);

  // Once it can no longer land, the same submission asks MassPay again, and adds the rule once.
  await admin.clearFaults();
  await waitUntil(page, failedAt + SETTLE_MS + 500);
  await retry(dialog, keys, 3);
  await expectAddedOnce(page, dialog);

  const rule = await expectOneNewRule(request, ada);
  expectOneKey(keys, 3);
  expect((await admin.stats()).byRoute.createAutopayRule).toBe(2);
  await expectAudited(playwright, ada, keys[0]!, ['requested', 'unknown', 'requested', 'succeeded'], rule.token);
});

test('slower than the proxy’s timeout, retried before the slow add lands: "did not answer in time", told to wait, then the rule that landed — exactly one rule', async ({
  page,
  request,
  playwright,
}) => {
  const admin = sandboxAdmin(request);
  const { ada, dialog } = await startAdding(page, request);
  const keys = recordAddKeys(page);
  const LATENCY = 6_000; // the proxy gives up after 3 s; MassPay adds the rule after 6 s
  // Only the add is slow: the console's reads of the wallet before it are answered at once.
  await admin.setFaults({ latencyMs: LATENCY, latencyMethods: ['POST'] });

  const sentAt = Date.now();
  await saveButton(dialog).click();
  await expectFailureShown(dialog, /MassPay did not answer within 3 s/, 'unknown');
  await admin.clearFaults();

  // Retried at once: the slow add has not landed, and may still: nothing is sent, the dialog says to wait.
  expect(Date.now() - sentAt).toBeLessThan(LATENCY);
  await retry(dialog, keys, 2);
  await expectToldToWait(dialog);
  expect(await autopayRules(request, ada.user, ada.usd)).toHaveLength(2);

  // MassPay finishes the slow add; the next retry reads the wallet and takes that rule.
  await expect.poll(async () => (await autopayRules(request, ada.user, ada.usd)).length, { timeout: 10_000 }).toBe(3);
  await retry(dialog, keys, 3);
  await expectAddedOnce(page, dialog);
  const rule = await expectOneNewRule(request, ada);
  await page.reload();
  await expect(deleteButtons(page)).toHaveCount(3);
  await expect(quickCashRows(page)).toHaveCount(1);

  expectOneKey(keys, 3);
  expect((await admin.stats()).byRoute.createAutopayRule).toBe(1);
  await expectAudited(playwright, ada, keys[0]!, ['requested', 'unknown', 'succeeded'], rule.token);
});

test('slower than the proxy’s timeout, retried after the slow add’s time has passed: the rule that landed, exactly one rule', async ({
  page,
  request,
  playwright,
}) => {
  const admin = sandboxAdmin(request);
  const { ada, dialog } = await startAdding(page, request);
  const keys = recordAddKeys(page);
  const LATENCY = 4_500;
  // Only the add is slow: the console's reads of the wallet before it are answered at once.
  await admin.setFaults({ latencyMs: LATENCY, latencyMethods: ['POST'] });

  const sentAt = Date.now();
  await saveButton(dialog).click();
  await expectFailureShown(dialog, /MassPay did not answer within 3 s/, 'unknown');
  await admin.clearFaults();

  // Past the moment MassPay finished the slow add (the sandbox, like a slow MassPay, finishes a request
  // the console gave up on), and past the settle time.
  await waitUntil(page, sentAt + 3_000 + SETTLE_MS + 500);
  const landed = (await autopayRules(request, ada.user, ada.usd)).find((r) => r.destination_token === DEST.quickCash);
  expect(landed, 'the slow add landed after the console gave up').toBeDefined();
  await expect(dialog).toBeVisible();

  await retry(dialog, keys, 2);
  await expectAddedOnce(page, dialog);
  const rule = await expectOneNewRule(request, ada);
  expect(rule.token).toBe(landed!.token);
  expectOneKey(keys, 2);
  // A retry of an unknown outcome reads the wallet first: it takes the rule that landed, MassPay is not asked again.
  expect((await admin.stats()).byRoute.createAutopayRule).toBe(1);
  await expectAudited(playwright, ada, keys[0]!, ['requested', 'unknown', 'succeeded'], rule.token);
});

const statusCases: { name: string; fault: FaultSettings; failures: number; message: RegExp }[] = [
  { name: 'a 500 on the add', fault: { failNext: { count: 1, status: 500, methods: ['POST'] } }, failures: 1, message: /Try again in a moment/ },
  { name: '503 twice, then fine', fault: { failNext: { count: 2, status: 503, methods: ['POST'] } }, failures: 2, message: /Try again in a moment/ },
];

for (const { name, fault, failures, message } of statusCases) {
  test(`${name}: an alert each time, the values kept, the retry adds the rule once`, async ({ page, request, playwright }) => {
    const admin = sandboxAdmin(request);
    const { ada, dialog } = await startAdding(page, request);
    const keys = recordAddKeys(page);
    await admin.setFaults(fault);

    await saveButton(dialog).click();
    await expect.poll(() => keys.length).toBe(1);
    await expectFailureShown(dialog, message);
    for (let attempt = 2; attempt <= failures; attempt++) {
      await retry(dialog, keys, attempt);
      await expectFailureShown(dialog, message);
    }
    // Nothing was made by the failed attempts.
    expect(await autopayRules(request, ada.user, ada.usd)).toHaveLength(2);

    // The fault used itself up: the next attempt goes through, the fault is not cleared by hand.
    await retry(dialog, keys, failures + 1);
    await expectAddedOnce(page, dialog);

    const rule = await expectOneNewRule(request, ada);
    expectOneKey(keys, failures + 1);
    expect((await admin.stats()).byRoute.createAutopayRule).toBe(failures + 1);
    await expectAudited(
      playwright,
      ada,
      keys[0]!,
      [...Array<string>(failures).fill('failed'), 'succeeded'].flatMap((o) => ['requested', o]),
      rule.token,
    );
  });
}

test('the connection dropped in the middle of an add: "may or may not have been made", the retry finds the rule made, one rule', async ({
  page,
  request,
  playwright,
}) => {
  const admin = sandboxAdmin(request);
  const { ada, dialog } = await startAdding(page, request);
  const keys = recordAddKeys(page);
  // MassPay makes and stores the rule, then the connection drops before the answer.
  await admin.setFaults({ failNext: { count: 1, drop: true, phase: 'after', methods: ['POST'] } });

  await saveButton(dialog).click();
  await expect.poll(() => keys.length).toBe(1);
  await expectFailureShown(dialog, /The connection to MassPay broke after the change was sent/, 'unknown');
  const made = await expectOneNewRule(request, ada);

  await retry(dialog, keys, 2);
  await expectAddedOnce(page, dialog);
  expect((await expectOneNewRule(request, ada)).token).toBe(made.token);
  expectOneKey(keys, 2);
  // The retry read the wallet, found the rule the first attempt made, and did not ask MassPay again.
  expect((await admin.stats()).byRoute.createAutopayRule).toBe(1);
  await expectAudited(playwright, ada, keys[0]!, ['requested', 'unknown', 'succeeded'], made.token);
});

test('MassPay down while a wallet page opens: an alert with Retry, which works once MassPay is back', async ({ page, request }) => {
  const admin = sandboxAdmin(request);
  const ada = await adaTokens(request);
  await admin.setFaults({ failNext: { count: 10_000, drop: true } });

  await page.goto(walletPath(ada.user, ada.usd));
  // The proxy retries a GET twice and the SPA once more before it says so.
  const alerts = page.getByRole('alert').filter({ has: page.getByRole('button', { name: 'Retry', exact: true }) });
  await expect(alerts.first()).toBeVisible({ timeout: 30_000 });
  await expect(alerts.first()).toContainText(/MassPay could not be reached|MassPay is unavailable/);
  await expect(rulesTable(page)).toHaveCount(0);

  // Retry while still down: it asks MassPay again and still says so.
  const asked = (await admin.stats()).requests;
  await alerts.first().getByRole('button', { name: 'Retry', exact: true }).click();
  await expect.poll(async () => (await admin.stats()).requests).toBeGreaterThan(asked);
  await expect(alerts.first()).toBeVisible({ timeout: 30_000 });
  await expect(rulesTable(page)).toHaveCount(0);

  await admin.clearFaults();
  for (let left = await alerts.count(); left > 0; left = await alerts.count()) {
    await alerts.first().getByRole('button', { name: 'Retry', exact: true }).click();
    await expect(alerts, 'Retry makes its alert go away').toHaveCount(left - 1, { timeout: 15_000 });
  }
  await expect(deleteButtons(page)).toHaveCount(2);
  await expect(page.getByText('85 % allocated · 15 % unallocated')).toBeVisible();
});
