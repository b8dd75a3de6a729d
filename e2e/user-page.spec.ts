import { expect, test } from '@playwright/test';
import type { Request } from '@playwright/test';
import {
  adaTokens,
  cardWalletName,
  DEST_LABEL,
  lookupUserToken,
  projectBaseURL,
  resetSandbox,
  rulesTable,
  shortWalletName,
  staffBadge,
  userPath,
  walletPath,
} from './support';

test.beforeEach(async ({ request }) => {
  await resetSandbox(request);
});

test('Ada’s page shows her name, email, status and three wallets', async ({ page, request }) => {
  const ada = await adaTokens(request);
  await page.goto(userPath(ada.user));

  await expect(page.getByRole('heading', { level: 1, name: 'Ada Lovelace' })).toBeVisible();
  await expect(page.getByText('ada@example.com')).toBeVisible();
  await expect(page.getByText(/^active$/i).first()).toBeVisible();

  const table = page.getByRole('table', { name: 'Wallets' });
  await expect(table).toBeVisible();
  const links = table.getByRole('link', { name: /^Wallet / });
  await expect(links).toHaveCount(3);

  const rowOf = (name: string) => table.getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) });

  const usd = rowOf(shortWalletName(ada.usd));
  await expect(usd).toHaveCount(1);
  await expect(usd.getByRole('cell', { name: '$1,250.75', exact: true })).toBeVisible();
  await expect(usd.getByRole('cell', { name: '85 %', exact: true })).toBeVisible();

  const card = rowOf(cardWalletName('4242'));
  await expect(card).toHaveCount(1);
  await expect(card.getByRole('cell', { name: '$310.00', exact: true })).toBeVisible();
  await expect(card.getByRole('cell', { name: /visa/i })).toBeVisible();

  const inactive = rowOf(shortWalletName(ada.inactive));
  await expect(inactive).toHaveCount(1);
  await expect(inactive.getByRole('cell', { name: '$0.00', exact: true })).toBeVisible();
  await expect(inactive).toContainText(/inactive/i);
});

test('a wallet row’s link opens the wallet; the breadcrumbs lead back', async ({ page, request }) => {
  const ada = await adaTokens(request);
  await page.goto(userPath(ada.user));

  const crumbsOnUser = page.getByRole('navigation', { name: 'Breadcrumbs' });
  await expect(crumbsOnUser.getByRole('link', { name: 'Users', exact: true })).toBeVisible();
  await expect(crumbsOnUser.getByText('Ada Lovelace', { exact: true })).toBeVisible();

  await page
    .getByRole('table', { name: 'Wallets' })
    .getByRole('link', { name: cardWalletName('4242'), exact: true })
    .click();
  await expect(page).toHaveURL(walletPath(ada.user, ada.card));
  await expect(page.getByRole('heading', { level: 1, name: cardWalletName('4242') })).toBeVisible();
  await expect(page.getByText('No autopay rules')).toBeVisible();

  const crumbs = page.getByRole('navigation', { name: 'Breadcrumbs' });
  await expect(crumbs.getByRole('link', { name: 'Users', exact: true })).toBeVisible();
  await expect(crumbs.getByText(cardWalletName('4242'), { exact: true })).toBeVisible();
  await crumbs.getByRole('link', { name: 'Ada Lovelace', exact: true }).click();
  await expect(page).toHaveURL(userPath(ada.user));
  await expect(page.getByRole('heading', { level: 1, name: 'Ada Lovelace' })).toBeVisible();
});

test('a cold wallet page has its data asked for by the page itself, each read once', async ({ page, request }) => {
  const ada = await adaTokens(request);
  const apiReads: Request[] = [];
  page.on('request', (r) => {
    if (r.method() === 'GET' && new URL(r.url()).pathname.startsWith('/api/')) apiReads.push(r);
  });
  await page.goto(walletPath(ada.user, ada.usd));
  await expect(page.getByRole('heading', { level: 1, name: shortWalletName(ada.usd) })).toBeVisible();
  await expect(rulesTable(page).getByRole('row').filter({ hasText: DEST_LABEL.evergreen })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Change history' })).toBeVisible();

  // The reads the server names in the page (`<link rel="preload" as="fetch">`) leave without the
  // SPA's own headers, while the page's code is still loading; the SPA's requests for the same URLs
  // take those answers. Asked again by the SPA, a URL would show twice, once with its header.
  const firstReads = [
    `/api/payout/user/${ada.user}`,
    `/api/payout/wallet/${ada.user}`,
    `/api/payout/wallet/${ada.user}/${ada.usd}/autopayout`,
    `/api/console/wallet/${ada.user}/${ada.usd}/history`,
  ];
  for (const path of firstReads) {
    const sent = apiReads.filter((r) => new URL(r.url()).pathname + new URL(r.url()).search === path);
    expect(sent, path).toHaveLength(1);
    expect(await sent[0]!.headerValue('x-requested-with'), path).toBeNull();
  }
  // Every other read is the SPA's own (its CSRF header), and none is asked twice.
  for (const r of apiReads.filter((r) => !firstReads.includes(new URL(r.url()).pathname)))
    expect(await r.headerValue('x-requested-with'), r.url()).toBe('XMLHttpRequest');
  const urls = apiReads.map((r) => r.url());
  expect(urls.length, urls.join('\n')).toBe(new Set(urls).size);
});

test('a wallet link followed from another site opens the wallet signed in, though the page request had no session cookie', async ({ page, request }) => {
  const ada = await adaTokens(request);
  const target = new URL(walletPath(ada.user, ada.usd), projectBaseURL()).href;
  // A support ticket on another site (a name the browser never resolves: Playwright answers for it).
  await page.route('http://tickets.example/**', (route) =>
    route.fulfill({ contentType: 'text/html; charset=utf-8', body: `<!doctype html><title>Ticket</title><a href="${target}">Ada’s USD wallet</a>` }),
  );
  await page.goto('http://tickets.example/ticket/1');
  const sessionChecks: Request[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/auth/me') sessionChecks.push(r);
  });
  const [navigation] = await Promise.all([
    page.waitForRequest((r) => r.isNavigationRequest() && r.url() === target),
    page.getByRole('link', { name: 'Ada’s USD wallet' }).click(),
  ]);
  // The session cookie is SameSite=Strict: a navigation from another site leaves it behind.
  expect((await navigation.allHeaders()).cookie).toBeUndefined();

  await expect(page.getByRole('heading', { level: 1, name: shortWalletName(ada.usd) })).toBeVisible();
  await expect(rulesTable(page).getByRole('row').filter({ hasText: DEST_LABEL.evergreen })).toBeVisible();
  await expect(staffBadge(page, 'editor')).toBeVisible();
  // Who is signed in was asked once, by the page itself (the preload the server named, sent as a
  // same-site request with the cookie), not a second time by the SPA.
  expect(sessionChecks).toHaveLength(1);
  expect(await sessionChecks[0]!.headerValue('x-requested-with')).toBeNull();
});

test('Alan has no wallets: the empty state says so', async ({ page, request }) => {
  const alan = await lookupUserToken(request, 'ext-1003');
  await page.goto(userPath(alan));
  await expect(page.getByRole('heading', { level: 1, name: 'Alan Turing' })).toBeVisible();
  await expect(page.getByText('No wallets')).toBeVisible();
});

test('an unknown user has the not-found view', async ({ page }) => {
  await page.goto(userPath('usr_00000000-0000-4000-8000-000000000000'));
  await expect(page.getByRole('heading', { name: 'User not found' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Wallets' })).toHaveCount(0);
});

test('an unknown route has the not-found view', async ({ page }) => {
  await page.goto('/no/such/page');
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
});
