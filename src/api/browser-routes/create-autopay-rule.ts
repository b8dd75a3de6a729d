import { autopayRuleSchema } from '../schemas/autopay';
import { autopayRuleInputSchema } from '../schemas/autopay-input';
import { noQuery, walletParams, type BrowserRouteDef } from './route-def';

export const createAutopayRule = {
  method: 'POST',
  path: '/payout/wallet/{user_token}/{wallet_token}/autopayout',
  params: walletParams,
  query: noQuery,
  body: autopayRuleInputSchema,
  response: autopayRuleSchema,
} as const satisfies BrowserRouteDef;
