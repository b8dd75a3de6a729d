import { expect, test } from '@playwright/test';
import { SANDBOX_API_KEY } from './env';
import { adaTokens, cardWalletName, resetSandbox, sandboxURL, walletPath } from './support';

test.beforeEach(async ({ request }) => {
  await resetSandbox(request);
});

/** A run of 13 to 19 digits: the length of a card number. */
const PAN_RUN = /\d{13,19}/;
/** Names of the card's secrets. `pin` as a word or a field name, so that words like "shipping" do not count. */
const SECRET_NAMES = [/cvv/i, /\bpin\b|pin_number/i, /card_number/i, /expiration/i];

/** Every string held anywhere in a JSON value, member names included (an answer that is not JSON: none). */
const jsonStrings = (body: string): string[] => {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return [];
  }
  const found: string[] = [];
  const walk = (node: unknown) => {
    if (typeof node === 'string') found.push(node);
    else if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      found.push(...Object.keys(node));
      Object.values(node).forEach(walk);
    }
  };
  walk(json);
  return found;
};

test("Ada's card wallet shows its card, and no answer and no text holds a card number, CVV, PIN or expiry", async ({ page, request }) => {
  const ada = await adaTokens(request);

  // Every answer of the console's API that the page receives, with its body.
  const bodies: Promise<{ url: string; body: string }>[] = [];
  page.on('response', (response) => {
    if (new URL(response.url()).pathname.startsWith('/api/')) {
      bodies.push(
        response.text().then(
          (body) => ({ url: response.url(), body }),
          () => ({ url: response.url(), body: '' }),
        ),
      );
    }
  });

  await page.goto(walletPath(ada.user, ada.card));
  await expect(page.getByRole('heading', { level: 1, name: cardWalletName('4242') })).toBeVisible();
  const card = page.getByRole('region', { name: 'Card' });
  await expect(card.getByRole('heading', { level: 2, name: 'Card' })).toBeVisible();
  // Brand and last four as the wallet list gives them; status and balance from the card route.
  await expect(card.getByText('VISA', { exact: true })).toBeVisible();
  await expect(card.getByText('•••• 4242', { exact: true })).toBeVisible();
  await expect(card.getByText('Active', { exact: true })).toBeVisible();
  await expect(card.getByText('$310.00', { exact: true })).toBeVisible();
  // The rest of the page has settled too (the transactions, the simulation).
  await expect(page.getByRole('heading', { level: 2, name: 'Transactions' })).toBeVisible();
  // The card wallet's history: its opening load.
  await expect(page.getByRole('table', { name: 'Transactions' }).getByRole('row', { name: /^Load .* \$310\.00/ })).toHaveCount(1);
  await page.waitForLoadState('networkidle');

  const answers = await Promise.all(bodies);
  const cardAnswers = answers.filter((a) => new URL(a.url).pathname === `/api/payout/wallet/${ada.user}/${ada.card}/card`);
  expect(cardAnswers).toHaveLength(1);
  // The card route answers these three and nothing else: no number, CVV, PIN or expiry, and no last four either.
  expect(Object.keys(JSON.parse(cardAnswers[0]!.body)).sort()).toEqual(['balance', 'status', 'type']);
  expect(JSON.parse(cardAnswers[0]!.body)).toEqual({ type: 'VISA', status: 'ACTIVE', balance: 310 });

  // MassPay (the sandbox, asked directly with its key) does hold the secrets that must not get through.
  const raw = await request.get(`${sandboxURL()}/payout/wallet/${ada.user}/${ada.card}/card`, { headers: { authorization: `Bearer ${SANDBOX_API_KEY}` } });
  expect(raw.ok()).toBe(true);
  const secret = (await raw.json()) as { card_number: string; cvv: string; pin_number: string; expiration_date: string };
  expect(secret.card_number).toMatch(PAN_RUN);
  expect(secret.cvv).toMatch(/^\d{3,4}$/);
  expect(secret.pin_number).toMatch(/^\d{4,}$/);

  const text = (await page.textContent('body')) ?? '';
  for (const { url, body } of [...answers, { url: 'page text', body: text }]) {
    expect(body, url).not.toMatch(PAN_RUN);
    for (const name of SECRET_NAMES) expect(body, url).not.toMatch(name);
    expect(body, url).not.toContain(secret.card_number);
    if (secret.expiration_date) expect(body, url).not.toContain(secret.expiration_date);
  }
  // The CVV and PIN are a few digits, which other text may hold by chance (a date, an amount): no string
  // of any answer is one of them.
  for (const { url, body } of answers) {
    const values = jsonStrings(body);
    expect(values, url).not.toContain(secret.cvv);
    expect(values, url).not.toContain(secret.pin_number);
    expect(values, url).not.toContain(secret.card_number);
  }
  expect(answers.length).toBeGreaterThanOrEqual(4);
});

test('a wallet that is not a card has no Card section', async ({ page, request }) => {
  const ada = await adaTokens(request);
  await page.goto(walletPath(ada.user, ada.usd));
  await expect(page.getByRole('heading', { level: 2, name: 'Transactions' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Autopay rules' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Card' })).toHaveCount(0);
});
