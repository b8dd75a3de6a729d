import { z } from 'zod/mini';
import { BROWSER_ROUTES, consoleHistoryFields, datesInOrder, lookupQuerySchema, noQuery, type BrowserRouteId } from './browser-routes';
import { autopayRuleListSchema, autopayRuleSchema, deleteAutopayRuleResultSchema } from './schemas/autopay';
import { cardSchema } from './schemas/card';
import { companiesSchema, countryListSchema, serviceSchema } from './schemas/catalog';
import { txnHistoryListSchema } from './schemas/history';
import { loadInputSchema, loadResultSchema } from './schemas/load';
import { foundUserSchema, storedUserSchema } from './schemas/user';
import { walletListSchema } from './schemas/wallet';
import { optionalQuery, queryAmount, queryBool } from './query';
import { currencyCodeSchema, userTokenSchema, walletTokenSchema } from './tokens';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RouteDef {
  method: HttpMethod;
  /** MassPay v1.0.0 path template; `{name}` marks a parameter. */
  path: string;
  params: Record<string, z.ZodMiniType<string>>;
  /** MassPay's query (the sandbox takes all of it, from any MassPay client). Strict: a name not listed is refused. */
  query: z.ZodMiniType;
  /** What the console's proxy lets through (`BROWSER_ROUTES`' query): only what the SPA sends. Absent: not forwarded. */
  proxyQuery?: z.ZodMiniType;
  body?: z.ZodMiniType;
  response: z.ZodMiniType;
  /** What of the answer reaches the browser (`BROWSER_ROUTES`' response), for the routes the proxy forwards. */
  browserResponse?: z.ZodMiniType;
  /** Whether the console's proxy forwards it (card secrets, loads and all-users history: never). */
  proxied: boolean;
}

const userParams = { user_token: userTokenSchema };

/** MassPay's history query (#10 and the all-users history), all of it: the sandbox takes it from any client. */
export const historyQuerySchema = z
  .strictObject({ ...consoleHistoryFields, show_all_clients: optionalQuery(queryBool('show_all_clients')) })
  .check(datesInOrder);
export type HistoryQuery = z.infer<typeof historyQuerySchema>;

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

export const serviceQuerySchema = z.strictObject({
  include_payer_logos: optionalQuery(queryBool('include_payer_logos')),
});

/**
 * A route the proxy forwards: the browser's side from `BROWSER_ROUTES` (method, path, parameters, body,
 * the query the proxy accepts as `proxyQuery`, the answer as `browserResponse`); MassPay's query and
 * answer are added beside it.
 */
const forwarded = <I extends BrowserRouteId>(id: I) => {
  const { query, response, ...wire } = BROWSER_ROUTES[id];
  return { ...wire, proxyQuery: query, browserResponse: response, proxied: true as const };
};

/** The MassPay v1.0.0 routes the console, the proxy and the sandbox know; nothing else exists for them. */
export const ROUTES = {
  listWallets: { ...forwarded('listWallets'), query: noQuery, response: walletListSchema },
  listAutopayRules: { ...forwarded('listAutopayRules'), query: noQuery, response: autopayRuleListSchema },
  createAutopayRule: { ...forwarded('createAutopayRule'), query: noQuery, response: autopayRuleSchema },
  deleteAutopayRule: { ...forwarded('deleteAutopayRule'), query: BROWSER_ROUTES.deleteAutopayRule.query, response: deleteAutopayRuleResultSchema },
  getCard: { ...forwarded('getCard'), query: noQuery, response: cardSchema },
  getUser: { ...forwarded('getUser'), query: noQuery, response: storedUserSchema },
  lookupUser: { ...forwarded('lookupUser'), query: lookupQuerySchema, response: foundUserSchema },
  getUserHistory: { ...forwarded('getUserHistory'), query: historyQuerySchema, response: txnHistoryListSchema },
  getService: { ...forwarded('getService'), query: serviceQuerySchema, response: serviceSchema },
  listCountries: { ...forwarded('listCountries'), query: noQuery, response: countryListSchema },
  listCountryServices: { ...forwarded('listCountryServices'), query: countryServicesQuerySchema, response: companiesSchema },
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
