import type { BrowserTxn } from '../../../api';

/** MassPay's types; one it adds later shows as itself. */
const TYPE_LABELS: Partial<Record<string, string>> = { load: 'Load', payout: 'Payout', 'spend back': 'Spend-back', info: 'Info' };
export const transactionTypeLabel = (type: BrowserTxn['type']): string => TYPE_LABELS[type] ?? type;

/** `READY_FOR_PICKUP` → `Ready for pickup`. */
export const transactionStatusLabel = (status: string): string => {
  const words = status.toLowerCase().replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};

export const transactionStatusTone = (status: BrowserTxn['status']): 'success' | 'warning' | 'neutral' =>
  status === 'COMPLETED' ? 'success' : status === 'ERROR' || status === 'HOLD' ? 'warning' : 'neutral';

const dateTimeFormat = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' });

/** MassPay's UTC time in the reader's own time zone, e.g. `Mar 4, 2025, 2:15 PM`; the raw value when it is not a date. */
export const formatLocalDateTime = (iso: string): string => {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTimeFormat.format(date);
};
