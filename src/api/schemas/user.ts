import { z } from 'zod';

export const USER_STATUSES = ['ACTIVE', 'LOCKED', 'DEACTIVE'] as const;

/** `StoredUser` (#7). */
export const storedUserSchema = z.object({
  user_token: z.string(),
  status: z.enum(USER_STATUSES),
  created_on: z.string(),
  internal_user_id: z.string(),
  first_name: z.string(),
  middle_name: z.string().optional(),
  last_name: z.string(),
  email: z.string(),
  timezone: z.string(),
  address1: z.string().optional(),
  address2: z.string().optional(),
  city: z.string().optional(),
  state_province: z.string().optional(),
  postal_code: z.string().optional(),
  country: z.string().optional(),
  language: z.string().optional(),
  mobile_number: z.string().optional(),
  business_name: z.string().optional(),
  date_of_birth: z.string().optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  activation_url: z.string().optional(),
});
export type StoredUser = z.infer<typeof storedUserSchema>;

/** `FoundUser` (#8). `status` was added by MassPay in 2025 and is in no SDK yet: optional. */
export const foundUserSchema = z.object({
  user_token: z.string(),
  first_name: z.string(),
  last_name: z.string(),
  internal_user_id: z.string(),
  status: z.enum([...USER_STATUSES, 'CLOSED']).optional(),
});
export type FoundUser = z.infer<typeof foundUserSchema>;
