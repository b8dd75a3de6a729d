import { expect, test } from '@playwright/test';
import { staffBadge } from './support';

test('the console page loads', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveTitle('MassPay Wallet Console');
  await expect(page.getByRole('heading', { name: 'Find a user', level: 1 })).toBeVisible();
  // The product name is in the app bar as text, not as a heading.
  await expect(page.getByText('MassPay Wallet Console', { exact: true }).first()).toBeVisible();
  await expect(page.getByRole('heading', { name: 'MassPay Wallet Console' })).toHaveCount(0);
  // Signed in (the suite's default is the editor): who, in which role, and a way out.
  await expect(staffBadge(page, 'editor')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign out', exact: true })).toBeVisible();
});

test('the health check answers', async ({ request }) => {
  const response = await request.get('/healthz');
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ status: 'ok' });
});
