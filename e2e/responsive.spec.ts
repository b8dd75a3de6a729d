import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
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

test.describe('the app bar of an admin, who has the most in it', () => {
  useRole('admin');

  /** The wallet page scrolled well past its top; the app bar's box as the screen shows it then. */
  const scrolledWalletPage = async (page: Page, request: APIRequestContext) => {
    const ada = await adaTokens(request);
    await page.goto(walletPath(ada.user, ada.usd));
    await expect(page.getByRole('table', { name: 'Transactions' })).toBeVisible();
    const banner = page.getByRole('banner');
    const before = await banner.boundingBox();
    await page.mouse.wheel(0, 600);
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(300);
    return { banner, before: before! };
  };

  test('on a phone: two rows under the console name, and it scrolls away with the page', async ({ page, request }) => {
    const { banner, before } = await scrolledWalletPage(page, request);
    // Its controls stayed one row under the name (they stacked in four, 147 px kept on a screen of 844).
    expect(before.height, 'the app bar at 390 px').toBeLessThanOrEqual(120);
    await expect(banner).not.toBeInViewport();
    await page.mouse.wheel(0, -2000);
    for (const name of ['Approvals', 'Bulk changes', 'Audit log']) await expect(banner.getByRole('link', { name, exact: true })).toBeInViewport();
    await expect(banner.getByRole('button', { name: 'Sign out', exact: true })).toBeInViewport();
    await expect(banner.getByRole('button', { name: /Use (dark|light) theme/ })).toBeInViewport();
  });

  test.describe('on a desktop', () => {
    test.use({ viewport: { width: 1280, height: 720 } });
    test('one row, kept at the top of the screen while the page scrolls', async ({ page, request }) => {
      const { banner, before } = await scrolledWalletPage(page, request);
      expect(before.height, 'the app bar at 1280 px').toBeLessThanOrEqual(64);
      await expect(banner).toBeInViewport();
      expect((await banner.boundingBox())!.y).toBe(0);
      await expect(banner.getByRole('button', { name: 'Sign out', exact: true })).toBeInViewport();
    });
  });
});
