import { z } from 'zod/mini';

/**
 * Query-string fields arrive as strings. MassPay's JS SDK sends absent values as empty strings
 * (`email=`), so empty means absent everywhere; a repeated name arrives as an array and is refused.
 */
const emptyToUndefined = (value: unknown) => (value === '' ? undefined : value);

export const optionalQuery = <T extends z.ZodMiniType>(schema: T) => z.pipe(z.transform(emptyToUndefined), z.optional(schema));

export const queryInt = (label: string, min: number, max: number) =>
  z.pipe(
    z.pipe(z.string().check(z.regex(/^\d{1,9}$/, `${label} must be a whole number`)), z.transform(Number)),
    z.number().check(z.gte(min, `${label} must be at least ${min}`), z.lte(max, `${label} must be at most ${max}`)),
  );

/**
 * A whole number from 1 in the query of one of the console's own lists (`?page=`, `?limit=`), at most
 * `max` (and six digits): a page past the end is an empty page, not an error.
 */
export const positiveIntQuery = (max = 999_999) =>
  z.pipe(
    z.string().check(z.regex(/^[1-9]\d{0,5}$/, 'Must be a whole number from 1')),
    z.pipe(z.transform(Number), z.number().check(z.lte(max, `Must be at most ${max}`))),
  );

export const queryBool = (label: string) =>
  z.pipe(
    z.enum(['true', 'false'], { error: `${label} must be true or false` }),
    z.transform((value) => value === 'true'),
  );

export const queryAmount = (label: string) =>
  z.pipe(z.string().check(z.regex(/^\d{1,12}(\.\d{1,2})?$/, `${label} must be a positive amount with at most two decimals`)), z.transform(Number));
