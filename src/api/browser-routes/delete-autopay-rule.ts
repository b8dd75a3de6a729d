import { z } from 'zod/mini';
import { deleteAutopayRuleResultSchema } from '../schemas/autopay';
import { ruleTokenSchema } from '../tokens';
import { walletParams, type BrowserRouteDef } from './route-def';

export const deleteRuleQuerySchema = z.strictObject({ token: ruleTokenSchema });

export const deleteAutopayRule = {
  method: 'DELETE',
  path: '/payout/wallet/{user_token}/{wallet_token}/autopayout',
  params: walletParams,
  query: deleteRuleQuerySchema,
  // Rule writes are answered by the change path (src/server/changes), not the read proxy.
  response: deleteAutopayRuleResultSchema,
} as const satisfies BrowserRouteDef;
