import { z } from 'zod/mini';
import { hasAtMostTwoDecimals } from '../money';
import { attrSetTokenSchema, destinationTokenSchema } from '../tokens';

/**
 * A rule's share of every load. MassPay declares only "float, default 100"; the bounds are this
 * project's policy (README): 0 < p ≤ 100 with at most two decimals.
 */
export const percentageSchema = z
  .number({ error: 'Percentage must be a number' })
  .check(
    z.gt(0, 'Percentage must be greater than 0'),
    z.lte(100, 'Percentage must be at most 100'),
    z.refine(hasAtMostTwoDecimals, 'Percentage may have at most two decimals'),
  );

/**
 * `AutopayRule`, the body of #3. Strict: an unknown field is refused rather than dropped, so a typo
 * never silently creates a different rule than the one asked for. `percentage` is required here
 * although MassPay defaults it to 100: a rule that sends everything must be asked for explicitly.
 */
export const autopayRuleInputSchema = z.strictObject({
  destination_token: destinationTokenSchema,
  percentage: percentageSchema,
  attr_set_token: z.optional(z.union([z.literal(''), attrSetTokenSchema])),
});
export type AutopayRuleInput = z.infer<typeof autopayRuleInputSchema>;
