import { z } from 'zod/mini';
import { cardBrandSchema } from './wallet';

export const CARD_STATUSES = ['ACTIVE', 'INACTIVE', 'CLOSED'] as const;

/**
 * `CardResp` (#5) exactly as MassPay sends it. It holds the full PAN, CVV, PIN and expiry: only the
 * proxy may ever parse this, and it must strip them (see `redactedCardSchema`).
 */
export const cardSchema = z.object({
  card_number: z.string(),
  cvv: z.string(),
  expiration_date: z.string(),
  pin_number: z.string(),
  balance: z.number(),
  type: cardBrandSchema,
  status: z.enum(CARD_STATUSES),
});
export type Card = z.infer<typeof cardSchema>;

/**
 * What the browser may see of a card: strict, so a secret added upstream cannot slip through.
 * `last_4` is absent when MassPay sent an iframe URL instead of the number (accounts that are not PCI compliant).
 */
export const redactedCardSchema = z.strictObject({
  type: cardBrandSchema,
  status: z.enum(CARD_STATUSES),
  balance: z.number(),
  last_4: z.optional(z.string().check(z.regex(/^\d{4}$/))),
});
export type RedactedCard = z.infer<typeof redactedCardSchema>;
