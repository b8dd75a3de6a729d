import { expect, test, type APIRequestContext, type Locator, type Page, type PlaywrightWorkerArgs } from '@playwright/test';
import { changePercentagePath } from '../src/api';
import { SEED_DESTINATIONS } from '../src/sandbox/seed';
import { CONSOLE_URL, SANDBOX_API_KEY, SANDBOX_URL, STAFF, STAFF_PASSWORD, storageStateOf, type Role } from './env';

export { STAFF, STAFF_PASSWORD, storageStateOf, type Role } from './env';

/** A browser state with nobody signed in. */
export const SIGNED_OUT = { cookies: [], origins: [] };

/**
 * The browser state of a spec (or `describe`): a role's saved sign-in (e2e/auth.setup.ts), or nobody.
 * The project's default is the editor. The `request` fixture and `browser.newContext()` follow it too.
 */
export const useRole = (role: Role | 'signed out') => test.use({ storageState: role === 'signed out' ? SIGNED_OUT : storageStateOf(role) });

/**
 * The console the running test's project talks to: replica A, or console 2 for the `stack-2` project.
 * A spec that sets its own `baseURL` (approvals.spec) passes that to the helpers instead.
 */
export const projectBaseURL = () => test.info().project.use.baseURL ?? CONSOLE_URL;

/** The sandbox of the running test's stack (playwright.config.ts: the project's `metadata.sandboxURL`). */
export const sandboxURL = (): string => test.info().project.metadata.sandboxURL ?? SANDBOX_URL;

/**
 * An API client of the console (the test project's replica, or `baseURL`) signed in as `role` (its
 * saved state), apart from the test's own browser and `request`: e.g. to look tokens up while the page
 * is signed out. Dispose of it after use.
 */
export const apiAs = (playwright: PlaywrightWorkerArgs['playwright'], role: Role, baseURL = projectBaseURL()) =>
  playwright.request.newContext({ baseURL, storageState: storageStateOf(role) });

/** The header every change to the console must carry (DESIGN §7); the SPA always sends it. */
export const CSRF_HEADERS = { 'x-requested-with': 'XMLHttpRequest' } as const;

/** Fills in /login as `role` (or with another password) and presses Sign in; the page must show the form. */
export const signInThroughForm = async (page: Page, role: Role, password = STAFF_PASSWORD) => {
  await page.getByLabel('Email').fill(STAFF[role].email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
};

/** The app bar's "name · role" of a signed-in staff member. */
export const staffBadge = (page: Page, role: Role) => page.getByText(`${STAFF[role].name} · ${role}`, { exact: true });

/** Fixed destinations of the seed (DESIGN §3). */
export const DEST = SEED_DESTINATIONS;

/** How the console labels those destinations (payer · delivery type · country · currency). */
export const DEST_LABEL = {
  evergreen: 'Evergreen Bank · Bank deposit · USA · USD',
  lakeside: 'Lakeside Credit Union · Bank deposit · USA · USD',
  exampleCard: /^Example Card Services · .+ · USA · USD$/,
  quickCash: /^QuickCash Wallet · .+ · USA · USD$/,
} as const;

export interface FaultSettings {
  latencyMs?: number;
  /** Only these methods are slowed (all when absent): a slow write behind fast reads. */
  latencyMethods?: ('GET' | 'POST' | 'DELETE')[];
  failureRate?: number;
  failureStatus?: number;
  failNext?: {
    count: number;
    status?: number;
    drop?: boolean;
    phase?: 'before' | 'after';
    methods?: ('GET' | 'POST' | 'DELETE')[];
  };
}

export interface SandboxStats {
  requests: number;
  byRoute: Record<string, number>;
}

const adminHeaders = { authorization: `Bearer ${SANDBOX_API_KEY}` };

const ok = async (answer: Awaited<ReturnType<APIRequestContext['get']>>, what: string): Promise<any> => {
  if (!answer.ok()) throw new Error(`${what} answered ${answer.status()}: ${await answer.text()}`);
  return answer.json();
};

/** The standalone sandbox's admin routes (`/__sandbox/...`), called directly with the test key. */
export const sandboxAdmin = (request: APIRequestContext) => ({
  setFaults: async (faults: FaultSettings) =>
    ok(await request.put(`${sandboxURL()}/__sandbox/faults`, { headers: adminHeaders, data: faults }), 'PUT /__sandbox/faults'),
  clearFaults: async () => ok(await request.delete(`${sandboxURL()}/__sandbox/faults`, { headers: adminHeaders }), 'DELETE /__sandbox/faults'),
  /** Restores the seed (tokens are stable across resets). */
  reset: async () => ok(await request.post(`${sandboxURL()}/__sandbox/reset`, { headers: adminHeaders }), 'POST /__sandbox/reset'),
  stats: async (): Promise<SandboxStats> => ok(await request.get(`${sandboxURL()}/__sandbox/stats`, { headers: adminHeaders }), 'GET /__sandbox/stats'),
  resetStats: async () => ok(await request.delete(`${sandboxURL()}/__sandbox/stats`, { headers: adminHeaders }), 'DELETE /__sandbox/stats'),
});

/** Clean slate for a spec that changes state: no faults, the seed restored, request counters at 0. */
export const resetSandbox = async (request: APIRequestContext) => {
  const admin = sandboxAdmin(request);
  await admin.clearFaults();
  await admin.reset();
  await admin.resetStats();
};

/**
 * The console's API for changes, as the SPA calls it (session cookie of `request`, the CSRF header).
 * Answers as they come: the caller checks the status.
 */
export const consoleChanges = (request: APIRequestContext) => ({
  addRule: (userToken: string, walletToken: string, rule: { destination_token: string; percentage: number }, headers: Record<string, string> = {}) =>
    request.post(`/api/payout/wallet/${userToken}/${walletToken}/autopayout`, { headers: { ...CSRF_HEADERS, ...headers }, data: rule }),
  deleteRule: (userToken: string, walletToken: string, ruleToken: string) =>
    request.delete(`/api/payout/wallet/${userToken}/${walletToken}/autopayout?token=${encodeURIComponent(ruleToken)}`, { headers: CSRF_HEADERS }),
  /** The console's own percentage change (`PATCH /api/console/wallet/…/autopayout/{rule}`, DESIGN §8). */
  changePercentage: (userToken: string, walletToken: string, ruleToken: string, percentage: number, headers: Record<string, string> = {}) =>
    request.patch(changePercentagePath(userToken, walletToken, ruleToken), { headers: { ...CSRF_HEADERS, ...headers }, data: { percentage } }),
});

/** A user's token, looked up through the console's proxy by internal user ID (e.g. `ext-1001`). */
export const lookupUserToken = async (request: APIRequestContext, internalId: string): Promise<string> => {
  const found = await ok(await request.get(`/api/payout/user/lookup?internal_user_id=${encodeURIComponent(internalId)}`), `lookup of ${internalId}`);
  return found.user_token as string;
};

export interface WalletInfo {
  token: string;
  balance: number;
  currency_code: string;
  type: 'MASSPAY_CARD' | 'USER_FUNDS';
  card_type?: string;
  last_4?: string;
  active: boolean;
}

/** A user's wallets through the console's proxy, in MassPay's (creation) order. */
export const wallets = async (request: APIRequestContext, userToken: string): Promise<WalletInfo[]> =>
  ok(await request.get(`/api/payout/wallet/${userToken}`), `wallets of ${userToken}`);

/** A user's wallet tokens, in MassPay's (creation) order. */
export const walletTokens = async (request: APIRequestContext, userToken: string): Promise<string[]> => (await wallets(request, userToken)).map((w) => w.token);

export interface RuleInfo {
  token: string;
  destination_token: string;
  percentage: number;
  attr_set_token?: string;
}

/** A wallet's autopay rules through the console's proxy. */
export const autopayRules = async (request: APIRequestContext, userToken: string, walletToken: string): Promise<RuleInfo[]> =>
  ok(await request.get(`/api/payout/wallet/${userToken}/${walletToken}/autopayout`), `rules of ${walletToken}`);

/** Ada's user token and her three wallets (DESIGN §3), found through the API as a user of the console would. */
export const adaTokens = async (request: APIRequestContext) => {
  const user = await lookupUserToken(request, 'ext-1001');
  const all = await wallets(request, user);
  const find = (what: string, predicate: (w: WalletInfo) => boolean) => {
    const wallet = all.find(predicate);
    if (!wallet) throw new Error(`Ada has no ${what} wallet: ${JSON.stringify(all)}`);
    return wallet.token;
  };
  return {
    user,
    usd: find('active USD USER_FUNDS', (w) => w.type === 'USER_FUNDS' && w.active && w.currency_code === 'USD'),
    card: find('card', (w) => w.type === 'MASSPAY_CARD'),
    inactive: find('inactive', (w) => !w.active),
  };
};

/** Grace's user token and her USD and EUR wallets. */
export const graceTokens = async (request: APIRequestContext) => {
  const user = await lookupUserToken(request, 'ext-1002');
  const all = await wallets(request, user);
  const usd = all.find((w) => w.currency_code === 'USD');
  const eur = all.find((w) => w.currency_code === 'EUR');
  if (!usd || !eur) throw new Error(`Grace's wallets are not as seeded: ${JSON.stringify(all)}`);
  return { user, usd: usd.token, eur: eur.token };
};

/** The console's name for a non-card wallet: `Wallet <first 8>…<last 4>`. */
export const shortWalletName = (walletToken: string) => `Wallet ${walletToken.slice(0, 8)}…${walletToken.slice(-4)}`;

/** How the console shows a long token (the audit log's cells): its first 8 and last 4 characters. */
export const shortToken = (token: string) => (token.length > 14 ? `${token.slice(0, 8)}…${token.slice(-4)}` : token);

/** The console's name for a card wallet: `Wallet ••<last 4>`. */
export const cardWalletName = (last4: string) => `Wallet ••${last4}`;

export const userPath = (userToken: string) => `/users/${userToken}`;
export const walletPath = (userToken: string, walletToken: string) => `/users/${userToken}/wallets/${walletToken}`;

/** Collects the browser's requests that match, e.g. every POST to `/autopayout`. */
export const recordRequests = (page: Page, method: string, urlPart: string) => {
  const seen: string[] = [];
  page.on('request', (r) => {
    if (r.method() === method && r.url().includes(urlPart)) seen.push(r.url());
  });
  return seen;
};

/**
 * Waits until no CSS transition or animation runs (dialogs fade in): axe and focus checks see the end
 * state. An animation without end (a spinner, a progress bar's stripes) never settles and is not waited for.
 */
export const settleAnimations = async (page: Page) => {
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity));
};

/**
 * Presses Tab or Shift+Tab until `target` has the focus, as a keyboard user walks to it. The direction
 * is Tab when `target` comes after the focused element in document order, else Shift+Tab (or forced).
 * Fails when it is not reached within `max` presses.
 */
export const tabTo = async (page: Page, target: Locator, { backwards, max = 60 }: { backwards?: boolean; max?: number } = {}) => {
  await expect(target).toBeVisible();
  const before =
    backwards ??
    (await target.evaluate((el) => {
      const active = document.activeElement;
      if (!active || active === document.body) return false;
      return Boolean(el.compareDocumentPosition(active) & Node.DOCUMENT_POSITION_FOLLOWING);
    }));
  const key = before ? 'Shift+Tab' : 'Tab';
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press(key);
  }
  await expect(target, `reached by ${key} within ${max} presses`).toBeFocused({ timeout: 1 });
};

/** Whether the focus is inside `container` (a dialog, say). */
export const focusIsWithin = (container: Locator) => container.evaluate((el) => el.contains(document.activeElement));

// ---------------------------------------------------------------------------------------------
// The wallet page's rules and add dialog, as the specs that change rules drive them.

export const rulesTable = (page: Page) => page.getByRole('table', { name: 'Autopay rules' });
export const deleteButtons = (page: Page) => rulesTable(page).getByRole('button', { name: /^Delete rule / });
export const editButtons = (page: Page) => rulesTable(page).getByRole('button', { name: /^Edit rule / });
export const editDialog = (page: Page) => page.getByRole('dialog', { name: 'Change percentage' });
export const addDialog = (page: Page) => page.getByRole('dialog', { name: 'Add autopay rule' });

/**
 * Opens Ada's USD wallet (60 % + 25 %) and its add dialog, and types `percentage` % to QuickCash
 * Wallet; nothing is saved yet. Waits for the destination's name, so it is looked up (and cached)
 * before any fault is injected.
 */
export const startAddingQuickCash = async (page: Page, ada: { user: string; usd: string }, percentage = '12') => {
  await page.goto(walletPath(ada.user, ada.usd));
  await expect(deleteButtons(page)).toHaveCount(2);
  await page.getByRole('button', { name: 'Add rule', exact: true }).click();
  const dialog = addDialog(page);
  await expect(dialog).toBeVisible();
  await dialog.getByRole('textbox', { name: 'Destination token' }).fill(DEST.quickCash);
  await dialog.getByRole('textbox', { name: 'Percentage' }).fill(percentage);
  await expect(dialog.getByText(/QuickCash Wallet/).first()).toBeVisible();
  return dialog;
};
