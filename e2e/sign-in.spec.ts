import { expect, test, type Page, type PlaywrightWorkerArgs } from '@playwright/test';
import { CONSOLE_URL } from './env';
import { adaTokens, apiAs, signInThroughForm, STAFF, STAFF_PASSWORD, staffBadge, useRole, walletPath } from './support';

// Everyone here starts signed out. Wrong passwords are few on purpose: 5 failures per account lock it
// for 15 minutes (the viewer's account here; the other specs use the editor's and the admin's).
useRole('signed out');

/** Ada's tokens through the API, with the viewer's saved session (this page's context has none). */
const adaAsViewer = async (playwright: PlaywrightWorkerArgs['playwright']) => {
  const api = await apiAs(playwright, 'viewer');
  try {
    return await adaTokens(api);
  } finally {
    await api.dispose();
  }
};

const loginHeading = (page: Page) => page.getByRole('heading', { level: 1, name: 'Sign in' });
const rulesTable = (page: Page) => page.getByRole('table', { name: 'Autopay rules' });

test('signed out, a deep link lands on /login; a wrong password is refused; the right one returns to the link; Sign out ends the session', async ({
  page,
  playwright,
}) => {
  const ada = await adaAsViewer(playwright);
  const deepLink = walletPath(ada.user, ada.usd);

  // The deep link: the session gate sends to /login and remembers where to go.
  await page.goto(deepLink);
  await expect(loginHeading(page)).toBeVisible();
  await expect(page).toHaveURL((url) => url.pathname === '/login' && url.searchParams.get('next') === deepLink);
  await expect(page.getByText('Sign in to continue where you were.')).toBeVisible();
  await expect(rulesTable(page)).toHaveCount(0);
  // Nothing of the wallet was fetched for a signed-out page, and the API says so too.
  expect((await page.request.get(`/api/payout/wallet/${ada.user}`)).status()).toBe(401);

  // A wrong password: one generic alert, still on /login, no session.
  await signInThroughForm(page, 'viewer', 'not-the-right-password');
  const alert = page.getByRole('alert');
  await expect(alert).toHaveCount(1);
  await expect(alert).toHaveText('The email or password is not right.');
  await expect(page).toHaveURL((url) => url.pathname === '/login' && url.searchParams.get('next') === deepLink);
  expect(await page.context().cookies()).toEqual([]);
  expect((await page.request.get('/auth/me')).status()).toBe(401);

  // An unknown email gets the very same answer: the form does not tell which accounts exist.
  await page.getByLabel('Email').fill('nobody@example.com');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('alert')).toHaveCount(1);
  await expect(page.getByRole('alert')).toHaveText('The email or password is not right.');

  // The right password: back on the deep link, signed in as the viewer.
  await signInThroughForm(page, 'viewer');
  await expect(rulesTable(page)).toBeVisible();
  await expect(page).toHaveURL((url) => url.pathname === deepLink && url.search === '');
  await expect(staffBadge(page, 'viewer')).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
  const me = await page.request.get('/auth/me');
  expect(me.status()).toBe(200);
  expect(await me.json()).toEqual(STAFF.viewer);

  // The session cookie cannot be read by scripts, is not sent cross-site, and ends with the browser.
  const cookies = await page.context().cookies();
  expect(cookies).toHaveLength(1);
  expect(cookies[0]).toMatchObject({ httpOnly: true, sameSite: 'Strict', expires: -1 });

  // Sign out: back on /login (without a `next`: the next person starts from the home page).
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(loginHeading(page)).toBeVisible();
  await expect(page).toHaveURL((url) => url.pathname === '/login' && url.search === '');
  await expect(staffBadge(page, 'viewer')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Sign out' })).toHaveCount(0);

  // The deep link goes to /login again, and this page's context gets 401 from the API.
  await page.goto(deepLink);
  await expect(loginHeading(page)).toBeVisible();
  await expect(page).toHaveURL((url) => url.pathname === '/login' && url.searchParams.get('next') === deepLink);
  const after = await page.request.get(`/api/payout/wallet/${ada.user}/${ada.usd}/autopayout`);
  expect(after.status()).toBe(401);
  expect(after.headers()['content-type']).toMatch(/^application\/problem\+json/);
  expect((await page.request.get('/auth/me')).status()).toBe(401);
});

test('the sign-in form says what is missing before asking the server, and Enter submits it', async ({ page }) => {
  const logins: string[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/auth/login')) logins.push(r.method());
  });
  await page.goto('/login');
  await expect(loginHeading(page)).toBeVisible();
  await expect(page.getByLabel('Email')).toBeFocused();

  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByLabel('Email')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Password')).toHaveAttribute('aria-invalid', 'true');
  expect(logins).toEqual([]);

  // Keyboard only: type, Tab, type, Enter. Without a `next`, the home page.
  await page.getByLabel('Email').focus();
  await page.keyboard.type(STAFF.viewer.email);
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Password')).toBeFocused();
  await page.keyboard.type(STAFF_PASSWORD);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Find a user' })).toBeVisible();
  await expect(page).toHaveURL((url) => url.pathname === '/');
  await expect(staffBadge(page, 'viewer')).toBeVisible();
  expect(logins).toEqual(['POST']);

  // Signed in, /login itself sends on to the home page.
  await page.goto('/login');
  await expect(page.getByRole('heading', { level: 1, name: 'Find a user' })).toBeVisible();
});

test('`next` only ever returns to a page of the console', async ({ page }) => {
  await page.goto(`/login?next=${encodeURIComponent('//evil.example/steal')}`);
  await expect(loginHeading(page)).toBeVisible();
  await signInThroughForm(page, 'viewer');
  await expect(page.getByRole('heading', { level: 1, name: 'Find a user' })).toBeVisible();
  await expect(page).toHaveURL(`${CONSOLE_URL}/`);
});

test('the API refuses a change without the CSRF header, even with a valid session', async ({ playwright }) => {
  const api = await apiAs(playwright, 'editor');
  try {
    const ada = await adaTokens(api);
    const bare = await api.post(`/api/payout/wallet/${ada.user}/${ada.usd}/autopayout`, { data: { destination_token: 'x', percentage: 1 } });
    expect(bare.status()).toBe(403);
    const crossOrigin = await api.post(`/api/payout/wallet/${ada.user}/${ada.usd}/autopayout`, {
      headers: { 'x-requested-with': 'XMLHttpRequest', origin: 'https://evil.example' },
      data: { destination_token: 'x', percentage: 1 },
    });
    expect(crossOrigin.status()).toBe(403);
  } finally {
    await api.dispose();
  }
});
