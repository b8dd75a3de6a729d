/**
 * The browser's side of the MassPay routes the console's proxy forwards (route-def.ts), one module per
 * route. `ROUTES` (../routes.ts) extends each with MassPay's side for the proxy and the sandbox.
 */
import { listWallets } from './list-wallets';
import { getCard } from './get-card';
import { listAutopayRules } from './list-autopay-rules';
import { createAutopayRule } from './create-autopay-rule';
import { deleteAutopayRule } from './delete-autopay-rule';
import { getUser } from './get-user';
import { lookupUser } from './lookup-user';
import { getUserHistory } from './get-user-history';
import { getService } from './get-service';
import { listCountries } from './list-countries';
import { listCountryServices } from './list-country-services';

export * from './create-autopay-rule';
export * from './delete-autopay-rule';
export * from './get-card';
export * from './get-service';
export * from './get-user';
export * from './get-user-history';
export * from './list-autopay-rules';
export * from './list-countries';
export * from './list-country-services';
export * from './list-wallets';
export * from './lookup-user';
export * from './route-def';

/** Every forwarded route's browser side, by its `ROUTES` id. */
export const BROWSER_ROUTES = {
  listWallets,
  getCard,
  listAutopayRules,
  createAutopayRule,
  deleteAutopayRule,
  getUser,
  lookupUser,
  getUserHistory,
  getService,
  listCountries,
  listCountryServices,
};

export type BrowserRouteId = keyof typeof BROWSER_ROUTES;
