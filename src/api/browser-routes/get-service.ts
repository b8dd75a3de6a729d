import { browserServiceSchema } from '../schemas/catalog';
import { destinationTokenSchema } from '../tokens';
import { noQuery, type BrowserRouteDef } from './route-def';

export const getService = {
  method: 'GET',
  path: '/payout/service/{destination_token}',
  params: { destination_token: destinationTokenSchema },
  query: noQuery,
  response: browserServiceSchema,
} as const satisfies BrowserRouteDef;
