import { expect, test } from '@playwright/test';
import { adaTokens, useRole, walletPath } from './support';

// A support agent on a phone: 390 × 844, nothing cut off, tables scroll inside their own box.
test.use({ viewport: { width: 390, height: 844 } });

for (const scheme of ['light', 'dark'] as const) {
  test(`every page fits a 390 px wide phone (${scheme})`, async ({ page, request }, testInfo) => {
    await page.emulateMedia({ colorScheme: scheme });
    const ada = await adaTokens(request);
    const pages = [
      { name: 'find a user', url: '/', ready: page.getByRole('heading', { level: 1, name: 'Find a user' }) },
      { name: 'user', url: `/users/${ada.user}`, ready: page.getByRole('table', { name: 'Wallets' }) },
      { name: 'wallet', url: walletPath(ada.user, ada.usd), ready: page.getByRole('table', { name: 'Autopay rules' }) },
      { name: 'card wallet', url: walletPath(ada.user, ada.card), ready: page.getByRole('heading', { name: 'Card' }) },
      { name: 'not found', url: '/nowhere', ready: page.getByRole('heading', { level: 1, name: 'Page not found' }) },
    ];
    for (const { name, url, ready } of pages) {
      await page.goto(url);
      await expect(ready).toBeVisible();
      await expect(page.getByRole('button', { name: /Use (dark|light) theme/ })).toBeInViewport();
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, `${name}: the page must not scroll sideways`).toBeLessThanOrEqual(390);
      await testInfo.attach(`${name}-${scheme}.png`, { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
    }
  });
}

test.describe('signed out', () => {
  useRole('signed out');
  test('the sign-in page fits a 390 px wide phone', async ({ page }) => {
    await page.goto('/login');
    await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeInViewport();
    await expect(page.getByLabel('Email')).toBeInViewport();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });
});

test.describe('as the admin', () => {
  useRole('admin');
  test('the audit log and the app bar of an admin fit a 390 px wide phone', async ({ page }) => {
    await page.goto('/audit');
    await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Apply filters', exact: true })).toBeVisible();
    // The app bar keeps its controls on the screen: the audit link, Sign out and the theme button.
    for (const control of [
      page.getByRole('link', { name: 'Audit log', exact: true }),
      page.getByRole('button', { name: 'Sign out', exact: true }),
      page.getByRole('button', { name: /Use (dark|light) theme/ }),
    ]) {
      await expect(control).toBeInViewport();
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth), 'the page must not scroll sideways').toBeLessThanOrEqual(390);
  });
});
