import { z } from 'zod/mini';
import { autopayRuleListSchema, autopayRuleSchema, deleteAutopayRuleResultSchema } from './schemas/autopay';
import { autopayRuleInputSchema } from './schemas/autopay-input';
import { cardSchema, redactedCardSchema } from './schemas/card';
import { browserCompaniesSchema, browserCountryListSchema, browserServiceSchema, companiesSchema, countryListSchema, serviceSchema } from './schemas/catalog';
import { browserTxnListSchema, TXN_TYPE_FILTERS, txnHistoryListSchema } from './schemas/history';
import { loadInputSchema, loadResultSchema } from './schemas/load';
import { browserFoundUserSchema, browserUserSchema, foundUserSchema, lookupEmailSchema, lookupFirstNameSchema, storedUserSchema } from './schemas/user';
import { browserWalletListSchema, walletListSchema } from './schemas/wallet';
import { optionalQuery, queryAmount, queryBool, queryDate, queryInt } from './query';
import {
  countryCode3Schema,
  currencyCodeSchema,
  destinationTokenSchema,
  internalUserIdSchema,
  ruleTokenSchema,
  userTokenSchema,
  walletTokenSchema,
} from './tokens';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RouteDef {
  method: HttpMethod;
  /** MassPay v1.0.0 path template; `{name}` marks a parameter. */
  path: string;
  params: Record<string, z.ZodMiniType<string>>;
  /** MassPay's query (the sandbox takes all of it, from any MassPay client). Strict: a name not listed is refused. */
  query: z.ZodMiniType;
  /**
   * What the console's proxy lets through, when it is less than `query`: only what the SPA sends.
   * Absent: the same as `query`.
   */
  proxyQuery?: z.ZodMiniType;
  body?: z.ZodMiniType;
  response: z.ZodMiniType;
  /**
   * What of the answer reaches the browser (routes the proxy forwards): the fields the console shows,
   * unknown ones dropped, enums as plain strings (a value MassPay adds later still passes). An answer
   * it cannot parse (a field missing or of another type) is a 502. The SPA parses with it too.
   */
  browserResponse?: z.ZodMiniType;
  /** Whether the console's proxy forwards it (card secrets, loads and all-users history: never). */
  proxied: boolean;
}

const noQuery = z.strictObject({});
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
const consoleHistoryFields = {
  wallet_token: optionalQuery(walletTokenSchema),
  type: optionalQuery(historyTypeFilter),
  start_date: optionalQuery(queryDate('start_date')),
  end_date: optionalQuery(queryDate('end_date')),
  number_of_records: optionalQuery(queryInt('number_of_records', 1, 100)),
  page: optionalQuery(queryInt('page', 1, 100_000)),
};
const datesInOrder = z.refine<{ start_date?: string; end_date?: string }>((q) => !q.start_date || !q.end_date || q.start_date <= q.end_date, {
  message: 'start_date must not be after end_date',
  path: ['start_date'],
});

/** MassPay's history query (#10 and the all-users history), all of it: the sandbox takes it from any client. */
export const historyQuerySchema = z
  .strictObject({ ...consoleHistoryFields, show_all_clients: optionalQuery(queryBool('show_all_clients')) })
  .check(datesInOrder);
export type HistoryQuery = z.infer<typeof historyQuerySchema>;

/** A wallet's transactions as the SPA asks for them: no `show_all_clients` (other clients' payees). */
export const consoleHistoryQuerySchema = z.strictObject(consoleHistoryFields).check(datesInOrder);

export const countryServicesQuerySchema = z.strictObject({
  amount: optionalQuery(queryAmount('amount')),
  /** MassPay: a cap on amount + fee; above it the amount sent is lowered to fit. */
  limit: optionalQuery(queryAmount('limit')),
  wallet_token: optionalQuery(walletTokenSchema),
  user_token: optionalQuery(userTokenSchema),
  source_currency: optionalQuery(currencyCodeSchema),
  payer_name: optionalQuery(z.string().check(z.maxLength(100))),
  destination_currency: optionalQuery(currencyCodeSchema),
  include_payer_logos: optionalQuery(queryBool('include_payer_logos')),
});
export type CountryServicesQuery = z.infer<typeof countryServicesQuerySchema>;

/** The services of a country as the SPA asks for them: those that fit a wallet, nothing else. */
export const consoleCountryServicesQuerySchema = z.strictObject({
  wallet_token: optionalQuery(walletTokenSchema),
});

export const serviceQuerySchema = z.strictObject({
  include_payer_logos: optionalQuery(queryBool('include_payer_logos')),
});

export const deleteRuleQuerySchema = z.strictObject({ token: ruleTokenSchema });

/** The MassPay v1.0.0 routes the console, the proxy and the sandbox know; nothing else exists for them. */
export const ROUTES = {
  listWallets: {
    method: 'GET',
    path: '/payout/wallet/{user_token}',
    params: userParams,
    query: noQuery,
    response: walletListSchema,
    browserResponse: browserWalletListSchema,
    proxied: true,
  },
  listAutopayRules: {
    method: 'GET',
    path: '/payout/wallet/{user_token}/{wallet_token}/autopayout',
    params: walletParams,
    query: noQuery,
    response: autopayRuleListSchema,
    // A rule is what staff set through the console: its four fields, nothing secret, no enum.
    browserResponse: autopayRuleListSchema,
    proxied: true,
  },
  createAutopayRule: {
    method: 'POST',
    path: '/payout/wallet/{user_token}/{wallet_token}/autopayout',
    params: walletParams,
    query: noQuery,
    body: autopayRuleInputSchema,
    response: autopayRuleSchema,
    browserResponse: autopayRuleSchema,
    proxied: true,
  },
  deleteAutopayRule: {
    method: 'DELETE',
    path: '/payout/wallet/{user_token}/{wallet_token}/autopayout',
    params: walletParams,
    query: deleteRuleQuerySchema,
    response: deleteAutopayRuleResultSchema,
    // Rule writes are answered by the change path (src/server/changes), not the read proxy.
    browserResponse: deleteAutopayRuleResultSchema,
    proxied: true,
  },
  getCard: {
    method: 'GET',
    path: '/payout/wallet/{user_token}/{wallet_token}/card',
    params: walletParams,
    query: noQuery,
    response: cardSchema,
    // Read by src/server/card-read.ts, which picks these three fields from MassPay's blanked bytes.
    browserResponse: redactedCardSchema,
    proxied: true,
  },
  getUser: {
    method: 'GET',
    path: '/payout/user/{user_token}',
    params: userParams,
    query: noQuery,
    response: storedUserSchema,
    browserResponse: browserUserSchema,
    proxied: true,
  },
  lookupUser: {
    method: 'GET',
    path: '/payout/user/lookup',
    params: {},
    query: lookupQuerySchema,
    response: foundUserSchema,
    browserResponse: browserFoundUserSchema,
    proxied: true,
  },
  getUserHistory: {
    method: 'GET',
    path: '/payout/user/{user_token}/history',
    params: userParams,
    query: historyQuerySchema,
    proxyQuery: consoleHistoryQuerySchema,
    response: txnHistoryListSchema,
    browserResponse: browserTxnListSchema,
    proxied: true,
  },
  getService: {
    method: 'GET',
    path: '/payout/service/{destination_token}',
    params: { destination_token: destinationTokenSchema },
    query: serviceQuerySchema,
    proxyQuery: noQuery,
    response: serviceSchema,
    browserResponse: browserServiceSchema,
    proxied: true,
  },
  listCountries: {
    method: 'GET',
    path: '/payout/country/list',
    params: {},
    query: noQuery,
    response: countryListSchema,
    browserResponse: browserCountryListSchema,
    proxied: true,
  },
  listCountryServices: {
    method: 'GET',
    path: '/payout/country/{country_code}',
    params: { country_code: countryCode3Schema },
    query: countryServicesQuerySchema,
    proxyQuery: consoleCountryServicesQuerySchema,
    response: companiesSchema,
    browserResponse: browserCompaniesSchema,
    proxied: true,
  },
  getAllUsersHistory: {
    method: 'GET',
    path: '/payout/user/history',
    params: {},
    query: historyQuerySchema,
    response: txnHistoryListSchema,
    proxied: false,
  },
  loadUser: {
    method: 'POST',
    path: '/payout/load/{user_token}',
    params: userParams,
    query: noQuery,
    body: loadInputSchema,
    response: loadResultSchema,
    proxied: false,
  },
} as const satisfies Record<string, RouteDef>;

export type RouteId = keyof typeof ROUTES;
export const ROUTE_IDS = Object.keys(ROUTES) as RouteId[];

/** Fastify/find-my-way syntax of a template: `{user_token}` → `:user_token`. */
export const toRouterPath = (template: string): string => template.replace(/\{(\w+)\}/g, ':$1');

/**
 * Per route, the query the console's proxy accepts: what the SPA sends (grep src/app), a subset of
 * MassPay's. A name MassPay knows but the console never uses is refused like any unknown one.
 */
export const PROXY_QUERIES = Object.fromEntries(ROUTE_IDS.map((id) => [id, (ROUTES[id] as RouteDef).proxyQuery ?? ROUTES[id].query])) as Record<
  RouteId,
  z.ZodMiniType
>;

/** Per route, one schema of its path parameters (strict: the template's names and no others). */
export const ROUTE_PARAMS = Object.fromEntries(ROUTE_IDS.map((id) => [id, z.strictObject(ROUTES[id].params)])) as unknown as Record<
  RouteId,
  z.ZodMiniType<Record<string, string>>
>;

/** Per route, what of its answer reaches the browser (`browserResponse`), for the routes that have one. */
export const BROWSER_RESPONSES = Object.fromEntries(
  ROUTE_IDS.flatMap((id) => {
    const schema = (ROUTES[id] as RouteDef).browserResponse;
    return schema ? [[id, schema]] : [];
  }),
) as Partial<Record<RouteId, z.ZodMiniType>>;
