import { z } from 'zod/mini';

export const CARD_BRANDS = ['MASTERCARD', 'VISA', 'AMEX', 'DISCOVER', 'UNIONPAY'] as const;
export const cardBrandSchema = z.enum(CARD_BRANDS);

export const WALLET_TYPES = ['MASSPAY_CARD', 'USER_FUNDS'] as const;

/** `WalletTxnResp` (#1). Card brand and last four come from here, not from the card route. */
export const walletSchema = z.object({
  user_token: z.string(),
  token: z.string(),
  balance: z.number(),
  currency_code: z.string(),
  type: z.enum(WALLET_TYPES),
  card_type: z.optional(cardBrandSchema),
  last_4: z.optional(z.string()),
  active: z.boolean(),
  client_paying_fees: z.optional(z.boolean()),
});
export type Wallet = z.infer<typeof walletSchema>;

export const walletListSchema = z.array(walletSchema);

/**
 * What the browser gets of a wallet (#1): what the wallets table, the wallet page and the CSV export
 * show. Its type and card brand as any string, so a kind MassPay adds later still shows.
 */
export const browserWalletSchema = z.extend(z.omit(walletSchema, { user_token: true }), {
  type: z.string(),
  card_type: z.optional(z.string()),
});
export type BrowserWallet = z.infer<typeof browserWalletSchema>;
export const browserWalletListSchema = z.array(browserWalletSchema);
