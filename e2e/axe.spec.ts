import AxeBuilder from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { adaTokens, resetSandbox, settleAnimations, userPath, walletPath } from './support';

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

for (const theme of ['light', 'dark'] as const) {
  test.describe(`axe, ${theme} theme`, () => {
    for (const view of views) {
      test(`${view.name}: no serious or critical violations`, async ({ page, request }) => {
        await page.emulateMedia({ colorScheme: theme });
        // Pick the theme on the home page first (the choice is the app's, kept across pages or not).
        await page.goto('/');
        await switchTo(page, theme);
        await view.open(page, request);
        // The theme survives the navigation; if it does not, switch again on this page.
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
    }
  });
}
