/**
 * The CSV files scripts/bench-bulk.ts uploads, built from the sandbox's own synthetic seed: the payees
 * `syn-000001…` of src/sandbox/synthetic.ts have the same wallets and rules whatever else the sandbox
 * holds, so the bench knows each wallet's rules without asking, and every destination is a real one
 * of the sandbox's catalog.
 */
import Papa from 'papaparse';
import type { AutopayRule, BulkAction, Wallet } from '../src/api';
import { DESTINATIONS } from '../src/sandbox/catalog';
import { seedState } from '../src/sandbox/synthetic';

const COLUMNS = ['internal_user_id', 'wallet_token', 'action', 'destination_token', 'percentage'] as const;
type Row = [action: BulkAction, destination: string, percentage?: number];

interface SyntheticWallet {
  internalId: string;
  wallet: Wallet;
  rules: readonly AutopayRule[];
}

/** Every active USER_FUNDS wallet of the first `seedUsers` synthetic payees, with its seeded rules. */
export const syntheticWallets = (seedUsers: number): SyntheticWallet[] => {
  const state = seedState({ seedUsers });
  const internalIds = new Map(state.users.filter((user) => user.internal_user_id?.startsWith('syn-')).map((user) => [user.user_token, user.internal_user_id!]));
  return state.wallets
    .filter((wallet) => internalIds.has(wallet.user_token) && wallet.type === 'USER_FUNDS' && wallet.active)
    .map((wallet) => ({ internalId: internalIds.get(wallet.user_token)!, wallet, rules: state.rules[wallet.token] ?? [] }));
};

const hundredths = (value: number) => Math.round(value * 100) / 100;

/**
 * Two rows that each change the wallet (`set`, `add` and `remove` in turn), in the order that keeps it
 * within 100 % at every step; undefined when its currency has too few destinations for two.
 */
const twoChanges = ({ wallet, rules }: SyntheticWallet, index: number): Row[] | undefined => {
  const unused = DESTINATIONS.filter((d) => d.currency === wallet.currency_code && !rules.some((rule) => rule.destination_token === d.destination_token));
  const [first, second] = rules;
  if (!first)
    return unused.length >= 2
      ? [
          ['add', unused[0]!.destination_token, 10],
          ['set', unused[1]!.destination_token, 20],
        ]
      : undefined;
  const half = hundredths(first.percentage / 2);
  if (unused[0] && index % 2 === 1 && half > 0 && half < first.percentage) {
    // Lower a rule, then give what it freed to a destination without one.
    return [
      ['set', first.destination_token, half],
      ['set', unused[0].destination_token, hundredths(first.percentage - half)],
    ];
  }
  if (unused[0])
    return [
      ['remove', first.destination_token],
      ['add', unused[0].destination_token, first.percentage],
    ];
  if (second)
    return [
      ['remove', first.destination_token],
      ['set', second.destination_token, hundredths(second.percentage + first.percentage)],
    ];
  return undefined;
};

const toCsv = (rows: { wallet: SyntheticWallet; row: Row }[]) =>
  Papa.unparse({
    fields: [...COLUMNS],
    data: rows.map(({ wallet, row: [action, destination, percentage] }) => [
      wallet.internalId,
      wallet.wallet.token,
      action,
      destination,
      percentage === undefined ? '' : String(percentage),
    ]),
  });

/** `walletCount` wallets, two `change` rows each (the dry run should find every row a change). */
export const changesFile = (wallets: readonly SyntheticWallet[], walletCount: number) => {
  const rows: { wallet: SyntheticWallet; row: Row }[] = [];
  let used = 0;
  for (const [index, wallet] of wallets.entries()) {
    if (used === walletCount) break;
    const planned = twoChanges(wallet, index);
    if (!planned) continue;
    used++;
    for (const row of planned) rows.push({ wallet, row });
  }
  if (used < walletCount) throw new Error(`Only ${used} synthetic wallets can take two changes; more SANDBOX_SEED_USERS are needed for ${walletCount}.`);
  return { csv: toCsv(rows), rows: rows.length, wallets: used };
};

/**
 * `rowCount` rows spread evenly over every wallet, each row of a wallet naming another destination of
 * the whole catalog (`set`, a few %): a change, a no-op, a cap or a currency mismatch, as it falls.
 * For the memory figure: a file at the row limit whose rows all need reading.
 */
export const largeFile = (wallets: readonly SyntheticWallet[], rowCount: number) => {
  const perWallet = Math.ceil(rowCount / wallets.length);
  if (perWallet > DESTINATIONS.length) throw new Error(`${wallets.length} wallets are too few for ${rowCount} rows without duplicates.`);
  const rows: { wallet: SyntheticWallet; row: Row }[] = [];
  for (const [index, wallet] of wallets.entries()) {
    for (let k = 0; k < perWallet && rows.length < rowCount; k++) {
      rows.push({ wallet, row: ['set', DESTINATIONS[(index + k) % DESTINATIONS.length]!.destination_token, 1 + k] });
    }
  }
  return { csv: toCsv(rows), rows: rows.length, wallets: Math.ceil(rows.length / perWallet) };
};
