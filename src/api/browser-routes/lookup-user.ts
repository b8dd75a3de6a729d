import { z } from 'zod/mini';
import { optionalQuery } from '../query';
import { browserFoundUserSchema, lookupEmailSchema, lookupFirstNameSchema } from '../schemas/user';
import { internalUserIdSchema } from '../tokens';
import type { BrowserRouteDef } from './route-def';

export const lookupQuerySchema = z
  .strictObject({
    email: optionalQuery(lookupEmailSchema),
    first_name: optionalQuery(lookupFirstNameSchema),
    internal_user_id: optionalQuery(internalUserIdSchema),
  })
  // The SDKs mark all three required while MassPay's semantics make them alternatives: either form
  // is enough, and when both come every given value must match.
  .check(
    z.refine(
      (q) => q.internal_user_id !== undefined || (q.email !== undefined && q.first_name !== undefined),
      'Look a user up by email and first name together, or by internal user ID',
    ),
  );

export const lookupUser = {
  method: 'GET',
  path: '/payout/user/lookup',
  params: {},
  query: lookupQuerySchema,
  response: browserFoundUserSchema,
} as const satisfies BrowserRouteDef;
