import { z } from 'zod/mini';
import { internalUserIdSchema, lookupEmailSchema, lookupFirstNameSchema, userTokenSchema } from '../../../api';

/**
 * The three "Find a user" forms: the shared contract's field schemas (the server checks the same),
 * after trimming what was pasted and asking for what is missing.
 */
const required = (message: string) => z.string().check(z.trim(), z.minLength(1, message));

export const tokenFormSchema = z.object({
  user_token: z.pipe(required('Enter a user token'), userTokenSchema),
});
export type TokenFormValues = z.input<typeof tokenFormSchema>;
export type TokenFormOutput = z.output<typeof tokenFormSchema>;

export const emailFormSchema = z.object({
  email: z.pipe(required('Enter an email address'), lookupEmailSchema),
  first_name: z.pipe(required('Enter a first name'), lookupFirstNameSchema),
});
export type EmailFormValues = z.input<typeof emailFormSchema>;
export type EmailFormOutput = z.output<typeof emailFormSchema>;

export const internalIdFormSchema = z.object({
  internal_user_id: z.pipe(required('Enter an internal user ID'), internalUserIdSchema),
});
export type InternalIdFormValues = z.input<typeof internalIdFormSchema>;
export type InternalIdFormOutput = z.output<typeof internalIdFormSchema>;
