import { expect, test, type Page } from '@playwright/test';
import { adaTokens, resetSandbox, sandboxAdmin, userPath, walletPath } from './support';

test.beforeEach(async ({ request }) => {
  await resetSandbox(request);
});

test.afterEach(async ({ request }) => {
  await sandboxAdmin(request).clearFaults();
});

// The proxy retries GETs twice and the SPA may retry too: give the alert time to appear.
const FAILURE_SHOWN = { timeout: 30_000 };

const failureAlerts = (page: Page) => page.getByRole('alert').filter({ has: page.getByRole('button', { name: 'Retry', exact: true }) });

/** Clicks Retry in each failure alert (a page may show one per section) until none is left. */
const retryAll = async (page: Page) => {
  const alerts = failureAlerts(page);
  for (let left = await alerts.count(); left > 0; left = await alerts.count()) {
    await alerts.first().getByRole('button', { name: 'Retry', exact: true }).click();
    await expect(alerts, 'Retry makes its alert go away').toHaveCount(left - 1);
  }
};

test('an upstream failure on the user page shows an alert; Retry recovers', async ({ page, request }) => {
  const ada = await adaTokens(request);
  const admin = sandboxAdmin(request);
  await admin.setFaults({ failureRate: 1, failureStatus: 503 });

  await page.goto(userPath(ada.user));
  await expect(failureAlerts(page).first()).toBeVisible(FAILURE_SHOWN);
  await expect(page.getByRole('table', { name: 'Wallets' })).toHaveCount(0);

  await admin.clearFaults();
  await retryAll(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Ada Lovelace' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Wallets' }).getByRole('link', { name: /^Wallet / })).toHaveCount(3);
  await expect(page.getByRole('navigation', { name: 'Breadcrumbs' }).getByText('Ada Lovelace', { exact: true })).toBeVisible();
});

test('an upstream failure on the wallet page shows an alert; Retry recovers', async ({ page, request }) => {
  const ada = await adaTokens(request);
  const admin = sandboxAdmin(request);
  await admin.setFaults({ failureRate: 1, failureStatus: 503 });

  await page.goto(walletPath(ada.user, ada.usd));
  await expect(failureAlerts(page).first()).toBeVisible(FAILURE_SHOWN);
  await expect(page.getByRole('table', { name: 'Autopay rules' })).toHaveCount(0);

  await admin.clearFaults();
  await retryAll(page);
  await expect(page.getByRole('table', { name: 'Autopay rules' }).getByRole('button', { name: /^Delete rule / })).toHaveCount(2);
  await expect(page.getByText('85 % allocated · 15 % unallocated')).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Breadcrumbs' }).getByRole('link', { name: 'Ada Lovelace', exact: true })).toBeVisible();
});
