import type { TransactionsView, TransactionType } from './api/get-transactions';

/** The search params that hold the transactions view, so that a reload or a shared link reopens it. */
export const TX_PARAMS = { page: 'txPage', size: 'txSize', type: 'txType', from: 'txFrom', to: 'txTo' } as const;

export const PAGE_SIZES = [10, 25, 50] as const;
export const DEFAULT_PAGE_SIZE = 10;
/** MassPay's own bound on `page`. */
export const MAX_PAGE = 100_000;

export const TYPE_OPTIONS: readonly { value: TransactionType | ''; label: string }[] = [
  { value: '', label: 'All' },
  { value: 'load', label: 'Loads' },
  { value: 'payout', label: 'Payouts' },
  { value: 'spendback', label: 'Spend-backs' },
];

export interface ParsedView {
  view: TransactionsView;
  /** A date range whose From comes after its To: nothing is asked of MassPay until it is fixed. */
  rangeError?: string;
}

const isDate = (value: string | null): value is string => {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
};

/** Reads the view from the URL; a value that makes no sense (a hand-edited link) falls back to its default. */
export const readView = (params: URLSearchParams): ParsedView => {
  const pageText = params.get(TX_PARAMS.page) ?? '';
  const page = /^\d{1,6}$/.test(pageText) ? Math.min(MAX_PAGE, Math.max(1, Number(pageText))) : 1;
  const sizeNumber = Number(params.get(TX_PARAMS.size));
  const size = (PAGE_SIZES as readonly number[]).includes(sizeNumber) ? sizeNumber : DEFAULT_PAGE_SIZE;
  const typeText = params.get(TX_PARAMS.type);
  const type = TYPE_OPTIONS.find((o) => o.value !== '' && o.value === typeText)?.value || undefined;
  const fromText = params.get(TX_PARAMS.from);
  const toText = params.get(TX_PARAMS.to);
  const from = isDate(fromText) ? fromText : undefined;
  const to = isDate(toText) ? toText : undefined;
  const view: TransactionsView = { page, size, ...(type ? { type } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}) };
  return from && to && from > to ? { view, rangeError: 'To must be on or after From' } : { view };
};

/**
 * `params` with the view's changes applied: defaults are left out of the URL, other params are
 * kept, and any change of filter or page size goes back to page 1.
 */
export const writeView = (params: URLSearchParams, change: Partial<Record<keyof typeof TX_PARAMS, string | number | undefined>>): URLSearchParams => {
  const next = new URLSearchParams(params);
  const set = (name: string, value: string | number | undefined, fallback?: string) => {
    if (value === undefined || value === '' || String(value) === fallback) next.delete(name);
    else next.set(name, String(value));
  };
  for (const key of ['size', 'type', 'from', 'to'] as const) {
    if (key in change) set(TX_PARAMS[key], change[key], key === 'size' ? String(DEFAULT_PAGE_SIZE) : undefined);
  }
  if ('page' in change) set(TX_PARAMS.page, change.page, '1');
  else next.delete(TX_PARAMS.page);
  return next;
};
