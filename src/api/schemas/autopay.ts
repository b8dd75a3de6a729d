import { z } from 'zod/mini';

/** `AutopayoutResp` (#2, #3). */
export const autopayRuleSchema = z.object({
  token: z.string(),
  destination_token: z.string(),
  percentage: z.number(),
  attr_set_token: z.optional(z.string()),
});
export type AutopayRule = z.infer<typeof autopayRuleSchema>;

export const autopayRuleListSchema = z.array(autopayRuleSchema);

/** The sandbox's answer to #4 (MassPay declares none; every SDK accepts a 200 JSON body). */
export const deleteAutopayRuleResultSchema = z.object({
  success: z.boolean(),
  token: z.string(),
});
export type DeleteAutopayRuleResult = z.infer<typeof deleteAutopayRuleResultSchema>;
