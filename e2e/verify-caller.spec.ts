import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { SANDBOX_API_KEY } from './env';
import { apiAs, lookupUserToken, resetSandbox, sandboxURL, settleAnimations, useRole, userPath } from './support';

// Issue 16 item 4: a payee's date of birth (and a sign-up link that would let its holder take the
// account over) never reach the browser; staff verify a caller against the date on the server.

test.beforeEach(async ({ request }) => {
  await resetSandbox(request);
});

/** Every answer of the console's API the page receives, with its body. */
const recordAnswers = (page: Page) => {
  const bodies: Promise<string>[] = [];
  page.on('response', (response) => {
    if (new URL(response.url()).pathname.startsWith('/api/')) bodies.push(response.text().catch(() => ''));
  });
  return async () => Promise.all(bodies);
};

const verifyCaller = (page: Page) => {
  const region = page.getByRole('region', { name: 'Verify caller' });
  return {
    region,
    date: region.getByLabel('Date of birth the caller gives'),
    verify: region.getByRole('button', { name: 'Verify', exact: true }),
    answer: region.getByRole('status'),
  };
};

test('an editor verifies Ada’s caller: a wrong date does not match, the right one does; the date is in no answer, and both checks are in the audit log', async ({
  page,
  request,
  playwright,
}) => {
  const ada = await lookupUserToken(request, 'ext-1001');
  const answers = recordAnswers(page);
  await page.goto(userPath(ada));
  await expect(page.getByRole('heading', { level: 1, name: 'Ada Lovelace' })).toBeVisible();

  const caller = verifyCaller(page);
  await expect(caller.region.getByRole('heading', { level: 2, name: 'Verify caller' })).toBeVisible();
  await caller.date.fill('1815-12-11');
  await caller.verify.click();
  await expect(caller.answer).toHaveText(/^Does not match/);
  await expect(caller.date).toHaveValue('');

  await caller.date.fill('1815-12-10');
  await caller.date.press('Enter');
  await expect(caller.answer).toHaveText(/^Matches/);
  await settleAnimations(page);
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);

  for (const body of await answers()) {
    expect(body).not.toContain('1815-12-10');
    expect(body).not.toContain('date_of_birth');
  }
  expect(await page.textContent('body')).not.toContain('1815');

  const admin = await apiAs(playwright, 'admin');
  try {
    const audit = await (await admin.get(`/api/audit?action=verify_caller&user=${ada}`)).json();
    expect(audit.entries.map((e: { outcome: string; staffEmail: string }) => [e.outcome, e.staffEmail])).toEqual([
      ['succeeded', 'editor@example.com'],
      ['refused', 'editor@example.com'],
    ]);
  } finally {
    await admin.dispose();
  }
});

test.describe('as a viewer', () => {
  useRole('viewer');

  test('a viewer verifies a caller too; the payee’s sign-up link, which MassPay does send, is in no answer', async ({ page, request }) => {
    const alan = await lookupUserToken(request, 'ext-1003');
    // MassPay (the sandbox, asked directly with its key) holds both secrets for Alan.
    const raw = await (await request.get(`${sandboxURL()}/payout/user/${alan}`, { headers: { authorization: `Bearer ${SANDBOX_API_KEY}` } })).json();
    expect(raw.activation_url).toMatch(/^https:\/\//);
    expect(raw.date_of_birth).toBe('1912-06-23');

    const answers = recordAnswers(page);
    await page.goto(userPath(alan));
    await expect(page.getByRole('heading', { level: 1, name: 'Alan Turing' })).toBeVisible();
    const caller = verifyCaller(page);
    await caller.date.fill('1912-06-23');
    await caller.verify.click();
    await expect(caller.answer).toHaveText(/^Matches/);

    for (const body of await answers()) {
      expect(body).not.toContain(raw.activation_url);
      expect(body).not.toContain('activation_url');
      expect(body).not.toContain(raw.date_of_birth);
    }
  });
});
