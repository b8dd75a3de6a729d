import { expect, test, type Page } from '@playwright/test';

// MUI's default page backgrounds: #fff light, #121212 dark.
const LIGHT = 'rgb(255, 255, 255)';
const DARK = 'rgb(18, 18, 18)';
const background = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

/** The body's background when an h1 first enters the document (before that frame is painted). */
const FIRST_FRAME_PROBE = `new MutationObserver((_, observer) => {
  if (!document.querySelector('h1')) return;
  window.__firstBackground = getComputedStyle(document.body).backgroundColor;
  observer.disconnect();
}).observe(document, { childList: true, subtree: true });`;

test('the theme follows the system from the first frame; the toggle switches it, and the choice survives a reload', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.addInitScript({ content: FIRST_FRAME_PROBE });
  await page.goto('/');
  const heading = page.getByRole('heading', { level: 1, name: 'Find a user' });
  await expect(heading).toBeVisible();
  // Not drawn light first and then switched: dark when the heading first appeared, and still.
  expect(await page.evaluate(() => (window as unknown as { __firstBackground?: string }).__firstBackground)).toBe(DARK);
  expect(await background(page)).toBe(DARK);

  await page.getByRole('button', { name: 'Use light theme', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Use dark theme', exact: true })).toBeVisible();
  expect(await background(page)).toBe(LIGHT);
  // The rest of the page follows too: the heading's text is dark on light.
  expect(await heading.evaluate((h) => getComputedStyle(h).color)).not.toBe('rgb(255, 255, 255)');

  await page.reload();
  await expect(heading).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __firstBackground?: string }).__firstBackground)).toBe(LIGHT);
  expect(await background(page)).toBe(LIGHT);
  await expect(page.getByRole('button', { name: 'Use dark theme', exact: true })).toBeVisible();
});
