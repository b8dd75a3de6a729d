// Parse once, check everything: a request Fastify routed to a MassPay route of the allow-list becomes
// that route with its tokens, query and body checked against the shared contract — or a problem
// answer, and nothing else happens. The proxy (reads) and the change path (rule writes) both start here.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_TYPES, PROXY_QUERIES, ROUTE_IDS, ROUTE_PARAMS, ROUTES, zodFieldIssues, type FieldIssue, type RouteId } from '../api';
import { splitApiTarget } from './api-target';
import { sendProblem } from './problem';

/** Encoded characters, backslashes, empty or dot segments: no MassPay path of ours has any. */
const SUSPICIOUS_PATH = /%|\\|\/\/|\/\.\.?(?:\/|$)/;
export const SUSPICIOUS_PATH_DETAIL = 'The path holds an encoded character, a backslash, or an empty or dot segment.';

export const refuse = (request: FastifyRequest, reply: FastifyReply, detail: string, issues: readonly FieldIssue[] = []) =>
  sendProblem(request, reply, 400, { type: PROBLEM_TYPES.validation, detail, issues });

/**
 * The raw target as the client sent it, split at the prefix, when its path is plain (no encoded
 * character, backslash, empty or dot segment): the router decodes, so what it matched is only what
 * is forwarded when the raw path says the same.
 */
export const plainApiTarget = (raw: string) => {
  const target = splitApiTarget(raw);
  return target && !SUSPICIOUS_PATH.test(target.path) ? target : undefined;
};

/** A query string as an object; a name given twice is refused rather than guessed at (its first value is kept). */
const readQuery = (raw: string): { values: Record<string, string>; repeated: string[] } => {
  if (raw === '') return { values: {}, repeated: [] };
  const values = new Map<string, string>();
  const repeated: string[] = [];
  for (const [name, value] of new URLSearchParams(raw)) {
    if (values.has(name)) repeated.push(name);
    else values.set(name, value);
  }
  // `fromEntries` defines own properties: `__proto__=` is a query name like any other (and refused).
  return { values: Object.fromEntries(values), repeated };
};

const hasBody = (request: FastifyRequest) => {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
};

/** What the URL of a MassPay route's request says, parsed once (`parseApiTarget`): its route, tokens and query names. */
export interface ParsedTarget {
  id: RouteId;
  /** The MassPay path, still encoded as the client sent it (its tokens matched their patterns). */
  path: string;
  rawQuery: string;
  params: Record<string, string>;
  /** The query names and values as sent (not yet checked against the route's query). */
  queryValues: Record<string, string>;
  repeated: readonly string[];
}

/** A request refused before anything else is done: what the 400 says. */
export interface Refusal {
  detail: string;
  issues?: readonly FieldIssue[];
}

export interface ApiTarget extends Omit<ParsedTarget, 'repeated'> {
  /** The query as the route's schema parsed it. */
  query: Record<string, unknown>;
  /** The body as the schema parsed it, and re-serialized: nothing unchecked goes on. */
  body?: unknown;
  bodyJson?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Its MassPay route's parsed URL, once `parseApiTarget` has run: the audit of a refusal and the handler share it. */
    apiTarget: ParsedTarget | Refusal | null;
  }
}

/**
 * Step 1, parse: the URL of a request the router gave to route `id` (`routeOptions.config.routeId`),
 * its tokens checked. Kept on the request: the guard's audit of a refused change and the handler read
 * the same parse.
 */
export const parseApiTarget = (request: FastifyRequest, id: RouteId): ParsedTarget | Refusal => {
  if (request.apiTarget) return request.apiTarget;
  const target = plainApiTarget(request.raw.url!);
  if (!target) return (request.apiTarget = { detail: SUSPICIOUS_PATH_DETAIL });
  // The raw path holds no `%`: the router's (decoded) parameters are the raw segments. Token patterns allow no `%` either.
  const params = ROUTE_PARAMS[id].safeParse(request.params);
  if (!params.success) return (request.apiTarget = { detail: 'A token in the path is malformed.', issues: zodFieldIssues(params.error) });
  const { values, repeated } = readQuery(target.rawQuery);
  return (request.apiTarget = { id, path: target.path, rawQuery: target.rawQuery, params: params.data, queryValues: values, repeated });
};

/**
 * Per route, its query parsed from nothing, once at start (frozen), where nothing is a valid query:
 * most reads carry none, and their schema need not run again for each.
 */
const EMPTY_QUERIES = Object.fromEntries(
  ROUTE_IDS.flatMap((id) => {
    const parsed = PROXY_QUERIES[id].safeParse({});
    return parsed.success ? [[id, Object.freeze(parsed.data as Record<string, unknown>)]] : [];
  }),
) as Partial<Record<RouteId, Readonly<Record<string, unknown>>>>;

/** Step 2, validate: the query against the console's allow-list of names, the body against the route's schema. */
const validate = (request: FastifyRequest, target: ParsedTarget): ApiTarget | Refusal => {
  if (target.repeated.length > 0) {
    return { detail: 'A query parameter is given more than once.', issues: target.repeated.map((field) => ({ field, message: 'is given more than once' })) };
  }
  // The console's allow-list of query names (what the SPA sends), not all that MassPay knows.
  const empty = target.rawQuery === '' ? EMPTY_QUERIES[target.id] : undefined;
  const query = empty ? { success: true as const, data: empty } : PROXY_QUERIES[target.id].safeParse(target.queryValues);
  if (!query.success) return { detail: 'The query is not valid for this route.', issues: zodFieldIssues(query.error) };
  const { repeated: _repeated, ...parsed } = target;
  const checked: ApiTarget = { ...parsed, query: query.data as Record<string, unknown> };
  const route = ROUTES[target.id];
  if ('body' in route) {
    const body = route.body.safeParse(request.body);
    if (!body.success) return { detail: 'The request body is not valid.', issues: zodFieldIssues(body.error) };
    checked.body = body.data;
    checked.bodyJson = JSON.stringify(body.data);
  } else if (request.body !== undefined || hasBody(request)) {
    // Fastify does not parse GET and DELETE bodies at all: the headers tell that one was sent.
    return { detail: 'This route takes no request body.' };
  }
  return checked;
};

export const isRefusal = (result: object): result is Refusal => 'detail' in result;

/** The checked target of a MassPay route's request (parse, then validate), or `undefined` once a 400 has been answered. */
export const readApiTarget = (request: FastifyRequest, reply: FastifyReply, id: RouteId): ApiTarget | undefined => {
  const parsed = parseApiTarget(request, id);
  const checked = isRefusal(parsed) ? parsed : validate(request, parsed);
  if (!isRefusal(checked)) return checked;
  void refuse(request, reply, checked.detail, checked.issues);
  return undefined;
};
