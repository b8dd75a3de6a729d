import type { AutopayRule, BrowserUser, BrowserWallet } from '../../../api';

/** The columns of the wallets CSV, in order: one row per autopay rule, one per wallet without rules. */
export const WALLET_CSV_COLUMNS = [
  'user_token',
  'internal_user_id',
  'user_name',
  'wallet_token',
  'wallet_type',
  'currency',
  'balance',
  'active',
  'card_brand',
  'last_4',
  'rule_token',
  'destination_token',
  'destination_name',
  'percentage',
] as const;

export type WalletCsvColumn = (typeof WALLET_CSV_COLUMNS)[number];
export type WalletCsvRow = Record<WalletCsvColumn, string>;

export interface WalletExportInput {
  userToken: string;
  /** Absent when the user could not be loaded: the name and internal ID stay empty. */
  user: Pick<BrowserUser, 'first_name' | 'last_name' | 'internal_user_id'> | undefined;
  wallets: readonly { wallet: BrowserWallet; rules: readonly AutopayRule[] }[];
  /** Payer names by destination token; a destination missing here gets an empty name. */
  destinationNames: ReadonlyMap<string, string>;
}

const fractionDigitsCache = new Map<string, number>();
/** The currency's minor-unit digits (USD 2, JPY 0, KWD 3), or 2 for a code Intl does not know. */
const fractionDigitsOf = (currency: string): number => {
  let digits = fractionDigitsCache.get(currency);
  if (digits === undefined) {
    try {
      digits = new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    fractionDigitsCache.set(currency, digits);
  }
  return digits;
};

/**
 * A plain number for spreadsheets: a dot for decimals, no grouping, no float noise
 * (`1250.7500000001` → `1250.75`), and never `-0`.
 */
const plainNumber = (value: number, minDigits: number, maxDigits: number): string =>
  new Intl.NumberFormat('en-US', {
    useGrouping: false,
    minimumFractionDigits: minDigits,
    maximumFractionDigits: maxDigits,
    signDisplay: 'negative',
  }).format(value);

/** A balance with its currency's decimals: `1250.75`, `310.00`, `5000` (JPY). */
export const formatAmount = (amount: number, currency: string): string => {
  const digits = fractionDigitsOf(currency);
  return plainNumber(amount, digits, digits);
};

/** A rule's share as MassPay holds it, at most two decimals: `60`, `12.5`, `33.33`. */
export const formatPercentage = (percentage: number): string => plainNumber(percentage, 0, 2);

/** The rows of the CSV, wallets in the order given, each wallet's rules in theirs. */
export const walletRows = ({ userToken, user, wallets, destinationNames }: WalletExportInput): WalletCsvRow[] =>
  wallets.flatMap(({ wallet, rules }) => {
    const base = {
      user_token: userToken,
      internal_user_id: user?.internal_user_id ?? '',
      user_name: user ? `${user.first_name} ${user.last_name}` : '',
      wallet_token: wallet.token,
      wallet_type: wallet.type,
      currency: wallet.currency_code,
      balance: formatAmount(wallet.balance, wallet.currency_code),
      active: String(wallet.active),
      card_brand: wallet.card_type ?? '',
      last_4: wallet.last_4 ?? '',
    };
    const noRule = { rule_token: '', destination_token: '', destination_name: '', percentage: '' };
    if (rules.length === 0) return [{ ...base, ...noRule }];
    return rules.map((rule) => ({
      ...base,
      rule_token: rule.token,
      destination_token: rule.destination_token,
      destination_name: destinationNames.get(rule.destination_token) ?? '',
      percentage: formatPercentage(rule.percentage),
    }));
  });

const twoDigits = (n: number) => String(n).padStart(2, '0');

/** `wallets-<internal ID, else user token>-<YYYY-MM-DD, local date>.csv`, safe as a file name anywhere. */
export const walletsCsvFileName = (userToken: string, user: Pick<BrowserUser, 'internal_user_id'> | undefined, date: Date): string => {
  const who = (user?.internal_user_id || userToken).replace(/[^A-Za-z0-9._-]+/g, '_');
  const day = `${date.getFullYear()}-${twoDigits(date.getMonth() + 1)}-${twoDigits(date.getDate())}`;
  return `wallets-${who}-${day}.csv`;
};
