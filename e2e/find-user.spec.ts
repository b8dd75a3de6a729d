import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { adaTokens, lookupUserToken, resetSandbox, settleAnimations, userPath } from './support';

test.beforeEach(async ({ request }) => {
  await resetSandbox(request);
});

const section = (page: Page, name: string) => page.getByRole('region', { name });

test('by user token: Enter opens the user page', async ({ page, request }) => {
  const ada = await adaTokens(request);
  await page.goto('/');
  const token = section(page, 'By user token').getByRole('textbox', { name: 'User token' });
  await token.fill(ada.user);
  await token.press('Enter');
  await expect(page).toHaveURL(userPath(ada.user));
  await expect(page.getByRole('heading', { level: 1, name: 'Ada Lovelace' })).toBeVisible();
});

test('by user token: a malformed token is flagged; an unknown one lands on the not-found view', async ({ page }) => {
  await page.goto('/');
  const form = section(page, 'By user token');
  const token = form.getByRole('textbox', { name: 'User token' });
  await token.fill('usr_nope');
  await form.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(token).toHaveAccessibleDescription('User token is not a valid token');
  await expect(page).toHaveURL('/');

  await token.fill('usr_00000000-0000-4000-8000-000000000000');
  await form.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'User not found' })).toBeVisible();
});

test('by email and first name: finds Ada, links to her page', async ({ page, request }) => {
  const ada = await adaTokens(request);
  await page.goto('/');
  const form = section(page, 'By email and first name');
  await form.getByRole('textbox', { name: 'Email' }).fill('ada@example.com');
  await form.getByRole('textbox', { name: 'First name' }).fill('Ada');
  await form.getByRole('button', { name: 'Find by email' }).click();

  const result = form.getByRole('status');
  await expect(result).toContainText('Active');
  await result.getByRole('link', { name: 'Ada Lovelace' }).click();
  await expect(page).toHaveURL(userPath(ada.user));
  await expect(page.getByRole('heading', { level: 1, name: 'Ada Lovelace' })).toBeVisible();
});

test('by internal user ID: ext-1002 is Grace Hopper (Enter submits)', async ({ page, request }) => {
  const grace = await lookupUserToken(request, 'ext-1002');
  await page.goto('/');
  const form = section(page, 'By internal user ID');
  const id = form.getByRole('textbox', { name: 'Internal user ID' });
  await id.fill('ext-1002');
  await id.press('Enter');
  const link = form.getByRole('status').getByRole('link', { name: 'Grace Hopper' });
  await expect(link).toHaveAttribute('href', userPath(grace));
});

test('no match: "No user found" is a status, not an alert', async ({ page }) => {
  await page.goto('/');
  const form = section(page, 'By internal user ID');
  await form.getByRole('textbox', { name: 'Internal user ID' }).fill('ext-9999');
  await form.getByRole('button', { name: 'Find by internal ID' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'No user found' })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('recently opened lists Ada after her page was visited; Clear empties it', async ({ page, request }) => {
  const ada = await adaTokens(request);
  await page.goto('/');
  const recent = section(page, 'Recently opened');
  await expect(recent.getByText(/^No recently opened users/)).toBeVisible();

  await page.goto(userPath(ada.user));
  await expect(page.getByRole('heading', { level: 1, name: 'Ada Lovelace' })).toBeVisible();
  await page.getByRole('navigation', { name: 'Breadcrumbs' }).getByRole('link', { name: 'Users', exact: true }).click();

  await expect(recent.getByRole('link', { name: 'Ada Lovelace' })).toHaveAttribute('href', userPath(ada.user));
  // Kept in this browser: a reload still lists her.
  await page.reload();
  await expect(recent.getByRole('link', { name: 'Ada Lovelace' })).toBeVisible();

  await recent.getByRole('button', { name: 'Clear recently opened users' }).click();
  await expect(recent.getByRole('link')).toHaveCount(0);
  await expect(recent.getByText(/^No recently opened users/)).toBeVisible();
  await page.reload();
  await expect(recent.getByRole('link')).toHaveCount(0);
});

test('with a result, a miss, an error under a field and a recent user: no serious axe violations', async ({ page, request }) => {
  const ada = await adaTokens(request);
  await page.goto(userPath(ada.user));
  await expect(page.getByRole('heading', { level: 1, name: 'Ada Lovelace' })).toBeVisible();
  // The page remembers her once its storage code has loaded (a lazy chunk): a full navigation before
  // that would cancel it. Wait until this browser holds her.
  await expect.poll(() => page.evaluate(() => localStorage.getItem('masspay-console:recent-users') ?? '')).toContain(ada.user);
  await page.goto('/');
  await expect(section(page, 'Recently opened').getByRole('link', { name: 'Ada Lovelace' })).toBeVisible();

  const byEmail = section(page, 'By email and first name');
  await byEmail.getByRole('textbox', { name: 'Email' }).fill('ada@example.com');
  await byEmail.getByRole('textbox', { name: 'First name' }).fill('Ada');
  await byEmail.getByRole('button', { name: 'Find by email' }).click();
  await expect(byEmail.getByRole('link', { name: 'Ada Lovelace' })).toBeVisible();

  const byId = section(page, 'By internal user ID');
  await byId.getByRole('textbox', { name: 'Internal user ID' }).fill('ext-9999');
  await byId.getByRole('button', { name: 'Find by internal ID' }).click();
  await expect(byId.getByRole('status')).toContainText('No user found');

  const token = section(page, 'By user token').getByRole('textbox', { name: 'User token' });
  await token.fill('nope');
  await token.press('Enter');
  await expect(token).toHaveAttribute('aria-invalid', 'true');
  await settleAnimations(page);

  const results = await new AxeBuilder({ page }).analyze();
  const blocking = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  expect(blocking).toEqual([]);
});
