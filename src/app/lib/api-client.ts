import { z } from 'zod/mini';
import { PROBLEM_TYPES, fillPath, groupFieldIssues, zodFieldIssues, type BrowserRouteDef } from '../../api';
import { ApiError } from './api-error';
import { apiRequest, type RequestOptions } from './http';

type Values<Shape> = { [K in keyof Shape]?: string | number | boolean | undefined };

type ParamsArg<R extends BrowserRouteDef> = keyof R['params'] extends never ? { params?: undefined } : { params: { [K in keyof R['params']]: string } };
type QueryArg<R extends BrowserRouteDef> = keyof R['query']['shape'] extends never ? { query?: undefined } : { query?: Values<R['query']['shape']> };
type BodyArg<R extends BrowserRouteDef> = R extends { body: infer B extends z.ZodMiniType } ? { body: z.input<B> } : { body?: undefined };

/** A call of route `R`: its path parameters, query and body as the route types them, and the request's extras. */
export type ApiCallInput<R extends BrowserRouteDef> = ParamsArg<R> & QueryArg<R> & BodyArg<R> & Pick<RequestOptions, 'idempotencyKey' | 'headers' | 'signal'>;

/** What route `R` answers in the browser. */
export type ApiAnswer<R extends BrowserRouteDef> = z.output<R['response']>;

/** The same 400 the proxy would answer, without sending what it would refuse. */
const refusal = (detail: string, error: z.core.$ZodError) =>
  new ApiError({
    type: PROBLEM_TYPES.validation,
    title: 'The request was refused',
    status: 400,
    detail,
    errors: groupFieldIssues(zodFieldIssues(error)),
    source: 'console',
  });

/**
 * `/payout/...` of `route` with its parameters in the template and its query in the search, after
 * checking both with the route's own schemas (as the proxy will); an `ApiError` 400 otherwise.
 */
export const routePath = (route: BrowserRouteDef, { params, query }: { params?: Record<string, string>; query?: Record<string, unknown> } = {}): string => {
  const checkedParams = z.strictObject(route.params).safeParse(params ?? {});
  if (!checkedParams.success) throw refusal('A token in the path is malformed.', checkedParams.error);
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) if (value !== undefined && value !== '') search.set(name, String(value));
  const checkedQuery = route.query.safeParse(Object.fromEntries(search));
  if (!checkedQuery.success) throw refusal('The query is not valid for this route.', checkedQuery.error);
  const path = fillPath(route.path, checkedParams.data as Record<string, string>);
  return search.size > 0 ? `${path}?${search.toString()}` : path;
};

/**
 * Calls a MassPay route through the console's proxy, by the browser's side of its definition in
 * src/api/browser-routes/ (named by its id in `ROUTES`, which the proxy and the sandbox serve): the
 * path built and checked from the route's template and schemas, the body checked with its schema, and
 * the answer parsed with its browser response. Failures are `ApiError`s (problem+json, network, an
 * answer that does not fit).
 */
export const apiCall = async <R extends BrowserRouteDef>(route: R, input: ApiCallInput<R>): Promise<ApiAnswer<R>> => {
  const { params, query, body, idempotencyKey, headers, signal } = input as {
    params?: Record<string, string>;
    query?: Record<string, unknown>;
    body?: unknown;
  } & RequestOptions;
  const path = routePath(route, { params, query });
  if (route.body) {
    const checkedBody = route.body.safeParse(body);
    if (!checkedBody.success) throw refusal('The request body is not valid.', checkedBody.error);
  }
  return (await apiRequest(route.response, path, { method: route.method, body, idempotencyKey, headers, signal })) as ApiAnswer<R>;
};
