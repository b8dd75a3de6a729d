import { z } from 'zod';

/**
 * Query-string fields arrive as strings. MassPay's JS SDK sends absent values as empty strings
 * (`email=`), so empty means absent everywhere; a repeated name arrives as an array and is refused.
 */
const emptyToUndefined = (value: unknown) => (value === '' ? undefined : value);

export const optionalQuery = <T extends z.ZodType>(schema: T) => z.preprocess(emptyToUndefined, schema.optional());

export const queryInt = (label: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, `${label} must be a whole number`)
    .transform(Number)
    .pipe(z.number().min(min, `${label} must be at least ${min}`).max(max, `${label} must be at most ${max}`));

export const queryBool = (label: string) =>
  z.enum(['true', 'false'], { error: `${label} must be true or false` }).transform((value) => value === 'true');

export const queryDate = (label: string) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${label} must be a date written YYYY-MM-DD`)
    .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)), `${label} is not a calendar date`);

export const queryAmount = (label: string) =>
  z
    .string()
    .regex(/^\d{1,12}(\.\d{1,2})?$/, `${label} must be a positive amount with at most two decimals`)
    .transform(Number);
