import type { DeliveryType } from '../../api';

const moneyFormats = new Map<string, Intl.NumberFormat>();

/** Money in the wallet's own currency, e.g. `$1,250.75`, `€842.10`. */
export const formatMoney = (amount: number, currency: string): string => {
  let format = moneyFormats.get(currency);
  if (!format) {
    try {
      format = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    } catch {
      format = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    }
    moneyFormats.set(currency, format);
  }
  return format.format(amount);
};

// Built on first use, not at module load: an Intl formatter costs the first render a few milliseconds.
let percentFormat: Intl.NumberFormat | undefined;
/** `85 %`, `33.33 %`: the number as given, at most two decimals. */
export const formatPercent = (value: number): string => `${(percentFormat ??= new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 })).format(value)} %`;

/** `b48268c1…caa3`: enough to tell tokens apart at a glance; the full token is one hover away. */
export const shortToken = (token: string): string => (token.length > 14 ? `${token.slice(0, 8)}…${token.slice(-4)}` : token);

/** `BANK_DEPOSIT` → `Bank deposit`. */
export const deliveryTypeLabel = (type: DeliveryType | string): string => {
  const words = type.toLowerCase().replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};
