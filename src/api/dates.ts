import { z } from 'zod/mini';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Whether `value` is a calendar date written YYYY-MM-DD that exists: Date.parse rolls 2026-02-30 over
 * into March, so the day must survive the round trip. The one date check of the contract, the SPA and
 * the server.
 */
export const isIsoDate = (value: unknown): value is string => {
  if (typeof value !== 'string' || !ISO_DATE.test(value)) return false;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === value;
};

export interface CalendarDateMessages {
  /** Not written YYYY-MM-DD. */
  format: string;
  /** Written so, but no such day. */
  calendar: string;
}

/** A calendar date written YYYY-MM-DD that exists (`isIsoDate`), with messages naming the field. */
export const calendarDateSchema = (
  label: string,
  { format = `${label} must be a date written YYYY-MM-DD`, calendar = `${label} is not a calendar date` }: Partial<CalendarDateMessages> = {},
) => z.string().check(z.regex(ISO_DATE, format), z.refine(isIsoDate, calendar));
