import { z } from 'zod/mini';
import { optionalQuery } from '../query';
import { browserCompaniesSchema } from '../schemas/catalog';
import { countryCode3Schema, walletTokenSchema } from '../tokens';
import type { BrowserRouteDef } from './route-def';

/** The services of a country as the SPA asks for them: those that fit a wallet, nothing else. */
export const consoleCountryServicesQuerySchema = z.strictObject({
  wallet_token: optionalQuery(walletTokenSchema),
});

export const listCountryServices = {
  method: 'GET',
  path: '/payout/country/{country_code}',
  params: { country_code: countryCode3Schema },
  query: consoleCountryServicesQuerySchema,
  response: browserCompaniesSchema,
} as const satisfies BrowserRouteDef;
