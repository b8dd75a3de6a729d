import { isIsoDate } from '../../api';

/**
 * Paged, filtered views kept in the URL (a wallet's transactions, the audit log), so that a reload or
 * a shared link reopens them: how their values are read back — a hand-edited link falls back to the
 * defaults — and written, with the defaults left out.
 */

/** The highest `page` MassPay's history and the console's audit log take. */
export const MAX_PAGE = 100_000;

/** A page number: a whole number, at least 1, at most `MAX_PAGE`; anything else is page 1. */
export const readPage = (text: string | null | undefined): number => (text && /^\d{1,6}$/.test(text) ? Math.min(MAX_PAGE, Math.max(1, Number(text))) : 1);

/** One of `allowed` (compared as written in the URL), else undefined. */
export const readOneOf = <T extends string | number>(text: string | null | undefined, allowed: readonly T[]): T | undefined =>
  text ? allowed.find((value) => String(value) === text) : undefined;

/** A calendar date written YYYY-MM-DD that exists, else undefined. */
export const readDate = (text: string | null | undefined): string | undefined => (isIsoDate(text) ? text : undefined);

export type ViewChange<K extends string> = Partial<Record<K, string | number | undefined>>;

/**
 * `params` with `change` applied under the view's param `names` (written in their order): a value that
 * is empty or its default is left out, params that are not the view's are kept, and any change but of
 * the page goes back to page 1.
 */
export const writeView = <K extends string>(
  params: URLSearchParams,
  names: Readonly<Record<K | 'page', string>>,
  change: ViewChange<K | 'page'>,
  defaults: ViewChange<K | 'page'> = {},
): URLSearchParams => {
  const next = new URLSearchParams(params);
  const fallbacks: ViewChange<string> = { page: 1, ...defaults };
  for (const [key, name] of Object.entries<string>(names)) {
    if (!(key in change)) {
      if (key === 'page') next.delete(name);
      continue;
    }
    const value = (change as ViewChange<string>)[key];
    if (value === undefined || value === '' || String(value) === String(fallbacks[key])) next.delete(name);
    else next.set(name, String(value));
  }
  return next;
};
