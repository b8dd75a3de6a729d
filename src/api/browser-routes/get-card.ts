import { redactedCardSchema } from '../schemas/card';
import { noQuery, walletParams, type BrowserRouteDef } from './route-def';

export const getCard = {
  method: 'GET',
  path: '/payout/wallet/{user_token}/{wallet_token}/card',
  params: walletParams,
  query: noQuery,
  // Read by src/server/card-read.ts, which picks these three fields from MassPay's blanked bytes.
  response: redactedCardSchema,
} as const satisfies BrowserRouteDef;
