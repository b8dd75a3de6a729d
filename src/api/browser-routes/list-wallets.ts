import { browserWalletListSchema } from '../schemas/wallet';
import { noQuery, userParams, type BrowserRouteDef } from './route-def';

export const listWallets = {
  method: 'GET',
  path: '/payout/wallet/{user_token}',
  params: userParams,
  query: noQuery,
  response: browserWalletListSchema,
} as const satisfies BrowserRouteDef;
