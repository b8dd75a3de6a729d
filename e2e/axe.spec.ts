import AxeBuilder from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { adaTokens, consoleChanges, DEST, resetSandbox, sandboxAdmin, settleAnimations, useRole, userPath, walletPath, type Role } from './support';

test.beforeEach(async ({ request }) => {
  await resetSandbox(request);
});

type Theme = 'light' | 'dark';

/** The app bar's theme button names the theme it switches to. */
const switchTo = async (page: Page, theme: Theme) => {
  const toTheme = page.getByRole('button', { name: theme === 'dark' ? 'Use dark theme' : 'Use light theme', exact: true });
  const fromTheme = page.getByRole('button', { name: theme === 'dark' ? 'Use light theme' : 'Use dark theme', exact: true });
  await expect(toTheme.or(fromTheme)).toBeVisible();
  if (await toTheme.isVisible()) await toTheme.click();
  await expect(fromTheme).toBeVisible();
};

interface View {
  name: string;
  /** Who looks at it; the editor when not said. */
  as?: Role | 'signed out';
  open(page: Page, request: APIRequestContext): Promise<void>;
  /** What to do once the page is loaded and themed (open a dialog). */
  then?(page: Page): Promise<void>;
}

const views: View[] = [
  {
    name: 'find a user (/)',
    open: async (page) => {
      await page.goto('/');
      await expect(page.getByRole('heading', { level: 1, name: 'Find a user' })).toBeVisible();
    },
  },
  {
    name: 'user page',
    open: async (page, request) => {
      const ada = await adaTokens(request);
      await page.goto(userPath(ada.user));
      await expect(page.getByRole('table', { name: 'Wallets' }).getByRole('link', { name: /^Wallet / })).toHaveCount(3);
    },
  },
  {
    name: 'wallet page',
    open: async (page, request) => {
      const ada = await adaTokens(request);
      await page.goto(walletPath(ada.user, ada.usd));
      await expect(page.getByRole('table', { name: 'Autopay rules' }).getByRole('button', { name: /^Delete rule / })).toHaveCount(2);
    },
  },
  {
    name: 'add dialog',
    open: async (page, request) => {
      const ada = await adaTokens(request);
      await page.goto(walletPath(ada.user, ada.usd));
      await expect(page.getByRole('button', { name: 'Add rule', exact: true })).toBeEnabled();
    },
    then: async (page) => {
      await page.getByRole('button', { name: 'Add rule', exact: true }).click();
      await expect(page.getByRole('dialog', { name: 'Add autopay rule' })).toBeVisible();
    },
  },
  {
    name: 'delete dialog',
    open: async (page, request) => {
      const ada = await adaTokens(request);
      await page.goto(walletPath(ada.user, ada.usd));
      await expect(page.getByRole('button', { name: /^Delete rule Evergreen Bank/ })).toBeVisible();
    },
    then: async (page) => {
      await page.getByRole('button', { name: /^Delete rule Evergreen Bank/ }).click();
      await expect(page.getByRole('alertdialog', { name: 'Delete autopay rule?' })).toBeVisible();
    },
  },
  {
    name: 'change percentage dialog',
    open: async (page, request) => {
      const ada = await adaTokens(request);
      await page.goto(walletPath(ada.user, ada.usd));
      await expect(page.getByRole('button', { name: /^Edit rule Evergreen Bank/ })).toBeVisible();
    },
    then: async (page) => {
      await page.getByRole('button', { name: /^Edit rule Evergreen Bank/ }).click();
      const dialog = page.getByRole('dialog', { name: 'Change percentage' });
      await expect(dialog).toBeVisible();
      // With a refusal under the field, so that the error colours are checked too.
      await dialog.getByRole('textbox', { name: 'Percentage' }).fill('90');
      await dialog.getByRole('button', { name: 'Save', exact: true }).click();
      await expect(dialog.getByRole('textbox', { name: 'Percentage' })).toHaveAttribute('aria-invalid', 'true');
    },
  },
  {
    name: 'sign-in page (/login)',
    as: 'signed out',
    open: async (page) => {
      await page.goto('/login');
      await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
    },
  },
  {
    name: 'sign-in page with its errors',
    as: 'signed out',
    open: async (page) => {
      await page.goto('/login');
      await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
    },
    then: async (page) => {
      // Empty fields first (errors under them, nothing sent), then an unknown account (the generic
      // alert): no real account's failure count grows.
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await expect(page.getByLabel('Password')).toHaveAttribute('aria-invalid', 'true');
      await page.getByLabel('Email').fill('nobody@example.com');
      await page.getByLabel('Password').fill('not-a-password-of-anyone');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await expect(page.getByRole('alert')).toHaveText('The email or password is not right.');
    },
  },
  {
    name: 'audit log (/audit)',
    as: 'admin',
    open: async (page, request) => {
      // At least one entry, whatever ran before: the admin adds a rule (admins may).
      const ada = await adaTokens(request);
      const added = await consoleChanges(request).addRule(ada.user, ada.usd, { destination_token: DEST.quickCash, percentage: 5 });
      expect(added.ok(), await added.text()).toBe(true);
      await page.goto(`/audit?user=${ada.user}`);
      await expect(page.getByRole('table', { name: 'Audit log' }).getByRole('cell', { name: 'Succeeded', exact: true }).first()).toBeVisible();
    },
  },
  {
    name: 'audit log, refused to a viewer',
    as: 'viewer',
    open: async (page) => {
      await page.goto('/audit');
      await expect(page.getByRole('alert')).toHaveText('Only admins can read the audit log.');
    },
  },
  {
    name: 'wallet page, read by a viewer',
    as: 'viewer',
    open: async (page, request) => {
      const ada = await adaTokens(request);
      await page.goto(walletPath(ada.user, ada.usd));
      await expect(page.getByText('You can view these rules. Changing them needs the editor role.')).toBeVisible();
      await expect(page.getByRole('table', { name: 'Autopay rules' }).getByRole('row')).toHaveCount(3);
    },
  },
  {
    name: 'user not found',
    open: async (page) => {
      await page.goto(userPath('usr_00000000-0000-4000-8000-000000000000'));
      await expect(page.getByRole('heading', { name: 'User not found' })).toBeVisible();
    },
  },
  {
    name: 'page not found',
    open: async (page) => {
      await page.goto('/no/such/page');
      await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
    },
  },
];

const check = (theme: Theme, view: View) =>
  test(`${view.name}: no serious or critical violations`, async ({ page, request }) => {
    // The console starts in the system's scheme; the app bar's button then offers the other one.
    await page.emulateMedia({ colorScheme: theme });
    await view.open(page, request);
    await switchTo(page, theme);
    await view.then?.(page);
    await settleAnimations(page);

    const results = await new AxeBuilder({ page }).analyze();
    const blocking = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    const others = results.violations.filter((v) => !blocking.includes(v));
    for (const v of others) {
      console.log(`[axe ${theme} · ${view.name}] ${v.impact ?? 'n/a'} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    }
    const summary = blocking.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html.slice(0, 300), summary: n.failureSummary })),
    }));
    expect(summary, JSON.stringify(summary, null, 2)).toEqual([]);
  });

for (const theme of ['light', 'dark'] as const) {
  test.describe(`axe, ${theme} theme`, () => {
    for (const view of views) {
      const as = view.as;
      if (!as) check(theme, view);
      else {
        // The browser state of that role (or nobody); the `request` fixture follows it too.
        test.describe(as === 'signed out' ? 'signed out' : `as the ${as}`, () => {
          useRole(as);
          check(theme, view);
        });
      }
    }
  });
}

// While a page still loads: its placeholders (skeletons that pulse forever, so not settled first) are
// checked too — a label on an element without a role is itself a serious violation.
const analyzeNow = async (page: Page, name: string) => {
  const results = await new AxeBuilder({ page }).analyze();
  const blocking = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html.slice(0, 300) })) }));
  expect(blocking, `${name}: ${JSON.stringify(blocking, null, 2)}`).toEqual([]);
};

/** MassPay slow on reads: the console's pages stay in their loading states for a few seconds. */
const slowReads = (request: APIRequestContext) => sandboxAdmin(request).setFaults({ latencyMs: 4_000, latencyMethods: ['GET'] });

test.describe('axe, while loading', () => {
  test('user page: its wallets loading', async ({ page, request }) => {
    const ada = await adaTokens(request);
    await slowReads(request);
    await page.goto(userPath(ada.user));
    await expect(page.getByRole('progressbar', { name: /^Loading (user|wallets)$/ }).first()).toBeVisible();
    await analyzeNow(page, 'user page, loading');
  });

  test('wallet page: its rules, card and transactions loading', async ({ page, request }) => {
    const ada = await adaTokens(request);
    await slowReads(request);
    await page.goto(walletPath(ada.user, ada.usd));
    await expect(page.getByRole('progressbar', { name: 'Loading autopay rules' })).toBeVisible();
    await analyzeNow(page, 'wallet page, loading');
  });

  test.describe('as the admin', () => {
    useRole('admin');
    test('audit page: its entries loading', async ({ page }) => {
      // The audit log is the console's own: its answer is held back in the browser instead.
      await page.route('**/api/audit?**', async (route) => {
        await new Promise((resolve) => setTimeout(resolve, 3_000));
        await route.continue().catch(() => {});
      });
      await page.goto('/audit');
      await expect(page.getByRole('progressbar', { name: 'Loading audit entries' }).first()).toBeVisible();
      await analyzeNow(page, 'audit page, loading');
    });
  });
});
