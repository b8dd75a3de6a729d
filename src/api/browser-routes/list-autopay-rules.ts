import { autopayRuleListSchema } from '../schemas/autopay';
import { noQuery, walletParams, type BrowserRouteDef } from './route-def';

export const listAutopayRules = {
  method: 'GET',
  path: '/payout/wallet/{user_token}/{wallet_token}/autopayout',
  params: walletParams,
  query: noQuery,
  // A rule is what staff set through the console: its four fields, nothing secret, no enum.
  response: autopayRuleListSchema,
} as const satisfies BrowserRouteDef;
