import { z } from 'zod/mini';

export const USER_STATUSES = ['ACTIVE', 'LOCKED', 'DEACTIVE'] as const;

/** `StoredUser` (#7). */
export const storedUserSchema = z.object({
  user_token: z.string(),
  status: z.enum(USER_STATUSES),
  created_on: z.string(),
  internal_user_id: z.string(),
  first_name: z.string(),
  middle_name: z.optional(z.string()),
  last_name: z.string(),
  email: z.string(),
  timezone: z.string(),
  address1: z.optional(z.string()),
  address2: z.optional(z.string()),
  city: z.optional(z.string()),
  state_province: z.optional(z.string()),
  postal_code: z.optional(z.string()),
  country: z.optional(z.string()),
  language: z.optional(z.string()),
  mobile_number: z.optional(z.string()),
  business_name: z.optional(z.string()),
  date_of_birth: z.optional(z.string()),
  metadata: z.optional(z.record(z.string(), z.unknown())),
  activation_url: z.optional(z.string()),
});
export type StoredUser = z.infer<typeof storedUserSchema>;

/** `FoundUser` (#8). `status` was added by MassPay in 2025 and is in no SDK yet: optional. */
export const foundUserSchema = z.object({
  user_token: z.string(),
  first_name: z.string(),
  last_name: z.string(),
  internal_user_id: z.string(),
  status: z.optional(z.enum([...USER_STATUSES, 'CLOSED'])),
});
export type FoundUser = z.infer<typeof foundUserSchema>;

/**
 * What the browser gets of a user (#7): what the user page shows, nothing more. Unknown fields are
 * dropped; `activation_url` (whoever holds it can take the payee's account over) and `date_of_birth`
 * (staff verify a caller against it on the server: verify-caller.ts) never leave the server. `status`
 * is any string, so a status MassPay adds later still shows (as itself).
 */
export const browserUserSchema = z.extend(
  z.pick(storedUserSchema, { user_token: true, internal_user_id: true, first_name: true, last_name: true, email: true }),
  { status: z.string() },
);
export type BrowserUser = z.infer<typeof browserUserSchema>;

/** What the browser gets of a lookup (#8): all of `FoundUser`, its status as any string. */
export const browserFoundUserSchema = z.extend(foundUserSchema, { status: z.optional(z.string()) });
export type BrowserFoundUser = z.infer<typeof browserFoundUserSchema>;

/** The lookup's (#8) email and first-name fields; the route's query schema and the SPA's form share them. */
export const lookupEmailSchema = z.email('Email is not a valid address').check(z.maxLength(254));
export const lookupFirstNameSchema = z.string().check(z.maxLength(100, 'First name is at most 100 characters'));
