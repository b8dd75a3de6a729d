import { browserUserSchema } from '../schemas/user';
import { noQuery, userParams, type BrowserRouteDef } from './route-def';

export const getUser = {
  method: 'GET',
  path: '/payout/user/{user_token}',
  params: userParams,
  query: noQuery,
  response: browserUserSchema,
} as const satisfies BrowserRouteDef;
