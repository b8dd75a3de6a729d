// Test support for bulk jobs: rows the sandbox's seed allows (one add per wallet, a destination of the
// wallet's currency it does not pay yet, a small share), uploaded as a CSV through the console, whose
// dry run then makes each of them a `change`.
import type { BulkChange, StaffRole } from '../src/api';
import { SEED_DESTINATIONS } from '../src/sandbox/seed';
import type { SandboxState } from '../src/sandbox/state';
import type { RunningConsole } from './server-support';

export interface PlannedRow {
  line: number;
  userToken: string;
  walletToken: string;
  change: BulkChange;
}

const SEED_CURRENCY: Record<string, string> = {
  [SEED_DESTINATIONS.evergreen]: 'USD',
  [SEED_DESTINATIONS.lakeside]: 'USD',
  [SEED_DESTINATIONS.quickCash]: 'USD',
  [SEED_DESTINATIONS.exampleCard]: 'USD',
  [SEED_DESTINATIONS.bancoEjemplo]: 'MXN',
  [SEED_DESTINATIONS.rhein]: 'EUR',
};

/** Up to `count` adds, one per wallet (its first free destination of its currency), lines from 2. */
export const planAdds = (state: SandboxState, count: number): PlannedRow[] => {
  const currencyOf = new Map(Object.entries(SEED_CURRENCY));
  const walletCurrency = new Map(state.wallets.map((wallet) => [wallet.token, wallet.currency_code]));
  for (const [wallet, rules] of Object.entries(state.rules)) for (const rule of rules) currencyOf.set(rule.destination_token, walletCurrency.get(wallet)!);
  const active = new Set(state.users.filter((user) => user.status === 'ACTIVE').map((user) => user.user_token));
  const rows: PlannedRow[] = [];
  for (const wallet of state.wallets) {
    if (rows.length >= count) break;
    if (wallet.type !== 'USER_FUNDS' || !wallet.active || !active.has(wallet.user_token)) continue;
    const rules = state.rules[wallet.token] ?? [];
    const freeBp = 10_000 - rules.reduce((sum, rule) => sum + Math.round(rule.percentage * 100), 0);
    const destination = [...currencyOf].find(
      ([token, currency]) => currency === wallet.currency_code && !rules.some((rule) => rule.destination_token === token),
    );
    if (!destination || freeBp < 10) continue;
    rows.push({
      line: rows.length + 2,
      userToken: wallet.user_token,
      walletToken: wallet.token,
      change: { action: 'add_rule', destinationToken: destination[0], percentage: 0.1, ruleToken: null, previousPercentage: null, attrSetToken: null },
    });
  }
  return rows;
};

/** The rows as a CSV file (header line 1, then one line per row in line order). */
export const csvOf = (rows: readonly PlannedRow[]) =>
  [
    'user_token,wallet_token,action,destination_token,percentage',
    ...rows.map((row) => `${row.userToken},${row.walletToken},add,${row.change.destinationToken},${row.change.percentage}`),
  ].join('\r\n');

/** Uploads the rows through `POST /api/console/bulk` (as `as`) and waits for the server's dry run to end; returns the job's id. */
export const uploadJob = async (
  c: Pick<RunningConsole, 'call'>,
  rows: readonly PlannedRow[],
  { as = 'editor' as StaffRole, fileName = 'bulk.csv' } = {},
): Promise<string> => {
  const uploaded = await c.call('POST', `/api/console/bulk?name=${encodeURIComponent(fileName)}`, {
    as,
    body: csvOf(rows),
    headers: { 'content-type': 'text/csv' },
  });
  if (uploaded.status !== 202) throw new Error(`the upload answered ${uploaded.status}: ${uploaded.text}`);
  const { id } = uploaded.body as { id: string };
  // `ready`, or `awaiting_approval` under an approval policy.
  await until('the dry run', async () => !['resolving', undefined].includes((await c.call('GET', `/api/console/bulk/${id}`, { as })).body?.status));
  return id;
};

/** Polls `check` every 25 ms until it holds (or throws after `ms`). */
export const until = async (what: string, check: () => boolean | Promise<boolean>, ms = 30_000) => {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};
