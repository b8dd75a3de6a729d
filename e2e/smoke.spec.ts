import { expect, test } from '@playwright/test';

test('the console page loads', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveTitle('MassPay Wallet Console');
  await expect(page.getByRole('heading', { name: 'MassPay Wallet Console', level: 1 })).toBeVisible();
});

test('the health check answers', async ({ request }) => {
  const response = await request.get('/healthz');
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ status: 'ok' });
});
