import { z } from 'zod/mini';
import { autopayRuleListSchema, autopayRuleSchema, deleteAutopayRuleResultSchema } from './schemas/autopay';
import { autopayRuleInputSchema } from './schemas/autopay-input';
import { redactedCardSchema } from './schemas/card';
import { browserCompaniesSchema, browserCountryListSchema, browserServiceSchema } from './schemas/catalog';
import { browserTxnListSchema, TXN_TYPE_FILTERS } from './schemas/history';
import { browserFoundUserSchema, browserUserSchema, lookupEmailSchema, lookupFirstNameSchema } from './schemas/user';
import { browserWalletListSchema } from './schemas/wallet';
import { optionalQuery, queryDate, queryInt } from './query';
import { countryCode3Schema, destinationTokenSchema, internalUserIdSchema, ruleTokenSchema, userTokenSchema, walletTokenSchema } from './tokens';

/**
 * The browser's side of the MassPay routes the console's proxy forwards: what the SPA may send (path
 * parameters, query, body) and what of the answer reaches it. `ROUTES` (routes.ts) adds MassPay's side
 * of each route — its whole query and its whole answer — for the proxy and the sandbox. Kept apart so
 * that the SPA's bundle holds only this side (src/app/lib/api-client.ts calls these routes).
 */
export interface BrowserRouteDef {
  method: 'GET' | 'POST' | 'DELETE';
  /** MassPay v1.0.0 path template; `{name}` marks a parameter. */
  path: string;
  params: Record<string, z.ZodMiniType<string>>;
  /** The query the console's proxy accepts: what the SPA sends, a subset of MassPay's. Strict. */
  query: z.ZodMiniObject;
  body?: z.ZodMiniType;
  /**
   * What of the answer reaches the browser: the fields the console shows, unknown ones dropped, enums as
   * plain strings (a value MassPay adds later still passes). The proxy filters MassPay's answer with it
   * (an answer it cannot parse is a 502) and the SPA parses with it.
   */
  response: z.ZodMiniType;
}

export const noQuery = z.strictObject({});
const userParams = { user_token: userTokenSchema };
const walletParams = { user_token: userTokenSchema, wallet_token: walletTokenSchema };

const historyTypeFilter = z.pipe(
  z.pipe(
    z.string(),
    z.transform((value) => value.split(',')),
  ),
  z.array(z.enum(TXN_TYPE_FILTERS, { error: 'type must be payout, load or spendback' })),
);

export const lookupQuerySchema = z
  .strictObject({
    email: optionalQuery(lookupEmailSchema),
    first_name: optionalQuery(lookupFirstNameSchema),
    internal_user_id: optionalQuery(internalUserIdSchema),
  })
  // The SDKs mark all three required while MassPay's semantics make them alternatives: either form
  // is enough, and when both come every given value must match.
  .check(
    z.refine(
      (q) => q.internal_user_id !== undefined || (q.email !== undefined && q.first_name !== undefined),
      'Look a user up by email and first name together, or by internal user ID',
    ),
  );

/** The history filters the SPA uses (a wallet's transactions). */
export const consoleHistoryFields = {
  wallet_token: optionalQuery(walletTokenSchema),
  type: optionalQuery(historyTypeFilter),
  start_date: optionalQuery(queryDate('start_date')),
  end_date: optionalQuery(queryDate('end_date')),
  number_of_records: optionalQuery(queryInt('number_of_records', 1, 100)),
  page: optionalQuery(queryInt('page', 1, 100_000)),
};
export const datesInOrder = z.refine<{ start_date?: string; end_date?: string }>((q) => !q.start_date || !q.end_date || q.start_date <= q.end_date, {
  message: 'start_date must not be after end_date',
  path: ['start_date'],
});

/** A wallet's transactions as the SPA asks for them: no `show_all_clients` (other clients' payees). */
export const consoleHistoryQuerySchema = z.strictObject(consoleHistoryFields).check(datesInOrder);

/** The services of a country as the SPA asks for them: those that fit a wallet, nothing else. */
export const consoleCountryServicesQuerySchema = z.strictObject({
  wallet_token: optionalQuery(walletTokenSchema),
});

export const deleteRuleQuerySchema = z.strictObject({ token: ruleTokenSchema });

/*
 * Each MassPay route the proxy forwards, the browser's side of it, named by its id in `ROUTES`. One
 * constant per route, not one table: the SPA imports the routes it calls, so a page's chunk holds only
 * its own routes' schemas (a table would put every route's into the entry chunk).
 */
export const listWallets = {
  method: 'GET',
  path: '/payout/wallet/{user_token}',
  params: userParams,
  query: noQuery,
  response: browserWalletListSchema,
} as const satisfies BrowserRouteDef;
export const listAutopayRules = {
  method: 'GET',
  path: '/payout/wallet/{user_token}/{wallet_token}/autopayout',
  params: walletParams,
  query: noQuery,
  // A rule is what staff set through the console: its four fields, nothing secret, no enum.
  response: autopayRuleListSchema,
} as const satisfies BrowserRouteDef;
export const createAutopayRule = {
  method: 'POST',
  path: '/payout/wallet/{user_token}/{wallet_token}/autopayout',
  params: walletParams,
  query: noQuery,
  body: autopayRuleInputSchema,
  response: autopayRuleSchema,
} as const satisfies BrowserRouteDef;
export const deleteAutopayRule = {
  method: 'DELETE',
  path: '/payout/wallet/{user_token}/{wallet_token}/autopayout',
  params: walletParams,
  query: deleteRuleQuerySchema,
  // Rule writes are answered by the change path (src/server/changes), not the read proxy.
  response: deleteAutopayRuleResultSchema,
} as const satisfies BrowserRouteDef;
export const getCard = {
  method: 'GET',
  path: '/payout/wallet/{user_token}/{wallet_token}/card',
  params: walletParams,
  query: noQuery,
  // Read by src/server/card-read.ts, which picks these three fields from MassPay's blanked bytes.
  response: redactedCardSchema,
} as const satisfies BrowserRouteDef;
export const getUser = {
  method: 'GET',
  path: '/payout/user/{user_token}',
  params: userParams,
  query: noQuery,
  response: browserUserSchema,
} as const satisfies BrowserRouteDef;
export const lookupUser = {
  method: 'GET',
  path: '/payout/user/lookup',
  params: {},
  query: lookupQuerySchema,
  response: browserFoundUserSchema,
} as const satisfies BrowserRouteDef;
export const getUserHistory = {
  method: 'GET',
  path: '/payout/user/{user_token}/history',
  params: userParams,
  query: consoleHistoryQuerySchema,
  response: browserTxnListSchema,
} as const satisfies BrowserRouteDef;
export const getService = {
  method: 'GET',
  path: '/payout/service/{destination_token}',
  params: { destination_token: destinationTokenSchema },
  query: noQuery,
  response: browserServiceSchema,
} as const satisfies BrowserRouteDef;
export const listCountries = {
  method: 'GET',
  path: '/payout/country/list',
  params: {},
  query: noQuery,
  response: browserCountryListSchema,
} as const satisfies BrowserRouteDef;
export const listCountryServices = {
  method: 'GET',
  path: '/payout/country/{country_code}',
  params: { country_code: countryCode3Schema },
  query: consoleCountryServicesQuerySchema,
  response: browserCompaniesSchema,
} as const satisfies BrowserRouteDef;

/** The browser's side of every forwarded route, by id (what `ROUTES` extends). */
export const BROWSER_ROUTES = {
  listWallets,
  listAutopayRules,
  createAutopayRule,
  deleteAutopayRule,
  getCard,
  getUser,
  lookupUser,
  getUserHistory,
  getService,
  listCountries,
  listCountryServices,
};

export type BrowserRouteId = keyof typeof BROWSER_ROUTES;
