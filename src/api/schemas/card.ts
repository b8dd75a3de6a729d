import { z } from 'zod/mini';
import { cardBrandSchema } from './wallet';

export const CARD_STATUSES = ['ACTIVE', 'INACTIVE', 'CLOSED'] as const;

/**
 * `CardResp` (#5) exactly as MassPay sends it (the sandbox serves it). It holds the full PAN, CVV, PIN
 * and expiry: the console's server never parses it — it blanks those four in MassPay's raw bytes, then
 * reads only `type`, `status` and `balance` (src/server/card-read.ts).
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
 * What the browser gets of a card from the card route: strict, so a secret added upstream cannot slip
 * through. Only what the wallet list does not give: the status (e.g. closed) and the card's balance,
 * with its brand. Brand and last four are the wallet list's (`card_type`, `last_4`). Brand and status
 * as any string, so a status MassPay adds later still shows (as itself).
 */
export const redactedCardSchema = z.strictObject({
  type: z.string(),
  status: z.string(),
  balance: z.number(),
});
export type RedactedCard = z.infer<typeof redactedCardSchema>;
