import { z } from 'zod/mini';

/**
 * A calendar date written YYYY-MM-DD that exists: Date.parse rolls 2000-02-30 over into March, so the
 * day must survive the round trip.
 */
export const calendarDateSchema = (label: string) =>
  z.string().check(
    z.regex(/^\d{4}-\d{2}-\d{2}$/, `${label} must be a date written YYYY-MM-DD`),
    z.refine((value) => {
      const ms = Date.parse(`${value}T00:00:00Z`);
      return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === value;
    }, `${label} is not a calendar date`),
  );
