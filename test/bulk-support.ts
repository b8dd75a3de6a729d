// Test support for bulk jobs: rows the sandbox's seed allows (one add per wallet, a destination of the
// wallet's currency it does not pay yet, a small share), and a job made of them, as the dry run would
// leave it (`ready`, every row a `change`), written straight into the console's database.
import { randomUUID } from 'node:crypto';
import type { AutopayRule, BulkChange } from '../src/api';
import { rulesFingerprint } from '../src/server/approvals/store';
import type { SqlRunner } from '../src/server/audit/db';
import { SEED_DESTINATIONS } from '../src/sandbox/seed';
import type { SandboxState } from '../src/sandbox/state';

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

/** A job as its dry run leaves it: `ready`, its wallets' rules then, every row a `change`. Returns its id. */
export const insertReadyJob = async (
  db: SqlRunner,
  state: SandboxState,
  rows: readonly PlannedRow[],
  { requestedBy = 'editor@example.com', fileName = 'bulk.csv' } = {},
): Promise<string> => {
  const id = randomUUID();
  await db.query(`INSERT INTO bulk_jobs (id, file_name, requested_by, requested_by_name, status, row_count) VALUES ($1, $2, $3, $4, 'ready', $5)`, [
    id,
    fileName,
    requestedBy,
    requestedBy,
    rows.length,
  ]);
  const wallets = new Map(rows.map((row) => [row.walletToken, row]));
  for (const [walletToken, row] of wallets) {
    const before: AutopayRule[] = state.rules[walletToken] ?? [];
    const currency = state.wallets.find((wallet) => wallet.token === walletToken)!.currency_code;
    await db.query(
      `INSERT INTO bulk_wallets (job_id, wallet_token, user_token, currency, rules_before, rules_after, fingerprint) VALUES ($1, $2, $3, $4, $5::jsonb, $5::jsonb, $6)`,
      [id, walletToken, row.userToken, currency, JSON.stringify(before), rulesFingerprint(before)],
    );
  }
  for (const row of rows) {
    const input = {
      user_token: row.userToken,
      wallet_token: row.walletToken,
      action: 'add',
      destination_token: row.change.destinationToken,
      percentage: row.change.percentage,
    };
    await db.query(
      `INSERT INTO bulk_rows (job_id, line, input, user_token, wallet_token, verdict, change) VALUES ($1, $2, $3::jsonb, $4, $5, 'change', $6::jsonb)`,
      [id, row.line, JSON.stringify(input), row.userToken, row.walletToken, JSON.stringify(row.change)],
    );
  }
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
