import { browserCountryListSchema } from '../schemas/catalog';
import { noQuery, type BrowserRouteDef } from './route-def';

export const listCountries = {
  method: 'GET',
  path: '/payout/country/list',
  params: {},
  query: noQuery,
  response: browserCountryListSchema,
} as const satisfies BrowserRouteDef;
