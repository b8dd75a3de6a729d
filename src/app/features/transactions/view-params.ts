import { readDate, readOneOf, readPage, writeView as writeUrlView, type ViewChange } from '../../lib/url-view';
import type { TransactionsView, TransactionType } from './api/get-transactions';

/** The search params that hold the transactions view, so that a reload or a shared link reopens it. */
export const TX_PARAMS = { size: 'txSize', type: 'txType', from: 'txFrom', to: 'txTo', page: 'txPage' } as const;

export const PAGE_SIZES = [10, 25, 50] as const;
export const DEFAULT_PAGE_SIZE = 10;

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

/** Reads the view from the URL; a value that makes no sense (a hand-edited link) falls back to its default. */
export const readView = (params: URLSearchParams): ParsedView => {
  const type = readOneOf(
    params.get(TX_PARAMS.type),
    TYPE_OPTIONS.flatMap((o) => (o.value ? [o.value] : [])),
  );
  const from = readDate(params.get(TX_PARAMS.from));
  const to = readDate(params.get(TX_PARAMS.to));
  const view: TransactionsView = {
    page: readPage(params.get(TX_PARAMS.page)),
    size: readOneOf(params.get(TX_PARAMS.size), PAGE_SIZES) ?? DEFAULT_PAGE_SIZE,
    ...(type ? { type } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
  };
  return from && to && from > to ? { view, rangeError: 'To must be on or after From' } : { view };
};

/**
 * `params` with the view's changes applied: defaults are left out of the URL, other params are
 * kept, and any change of filter or page size goes back to page 1.
 */
export const writeView = (params: URLSearchParams, change: ViewChange<keyof typeof TX_PARAMS>): URLSearchParams =>
  writeUrlView(params, TX_PARAMS, change, { size: DEFAULT_PAGE_SIZE });
