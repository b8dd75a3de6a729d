// Parse once, check everything: a `/api/payout/...` request becomes a route of the allow-list with its
// tokens, query and body checked against the shared contract — or a problem answer, and nothing else
// happens. The proxy (reads) and the change path (rule writes) both start here.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { matchRoute, PROBLEM_TYPES, PROXY_QUERIES, ROUTE_PARAMS, ROUTES, zodFieldIssues, type FieldIssue, type RouteId } from '../api';
import { splitApiTarget } from './api-target';
import { sendProblem } from './problem';

/** Encoded characters, backslashes, empty or dot segments: no MassPay path of ours has any. */
const SUSPICIOUS_PATH = /%|\\|\/\/|\/\.\.?(?:\/|$)/;

export const refuse = (request: FastifyRequest, reply: FastifyReply, detail: string, issues: readonly FieldIssue[] = []) =>
  sendProblem(request, reply, 400, { type: PROBLEM_TYPES.validation, detail, issues });

/** A query string as an object; a name given twice is refused rather than guessed at. */
const readQuery = (raw: string): { values: Record<string, string>; repeated: string[] } => {
  if (raw === '') return { values: {}, repeated: [] };
  const values = new Map<string, string>();
  const repeated: string[] = [];
  for (const [name, value] of new URLSearchParams(raw)) {
    if (values.has(name)) repeated.push(name);
    values.set(name, value);
  }
  // `fromEntries` defines own properties: `__proto__=` is a query name like any other (and refused).
  return { values: Object.fromEntries(values), repeated };
};

const hasBody = (request: FastifyRequest) => {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
};

export interface ApiTarget {
  id: RouteId;
  /** The MassPay path, still encoded as the client sent it (its tokens matched their patterns). */
  path: string;
  rawQuery: string;
  params: Record<string, string>;
  /** The query names and values as sent (checked), and as the route's schema parsed them. */
  queryValues: Record<string, string>;
  query: Record<string, unknown>;
  /** The body as the schema parsed it, and re-serialized: nothing unchecked goes on. */
  body?: unknown;
  bodyJson?: string;
}

/** The checked target of an `/api/payout/...` request, or `undefined` once a problem has been answered. */
export const readApiTarget = (request: FastifyRequest, reply: FastifyReply): ApiTarget | undefined => {
  const target = splitApiTarget(request.raw.url!);
  if (!target || SUSPICIOUS_PATH.test(target.path)) {
    void refuse(request, reply, 'The path holds an encoded character, a backslash, or an empty or dot segment.');
    return undefined;
  }
  const { path, rawQuery } = target;
  const match = matchRoute(request.method, path);
  if (match.kind === 'method-not-allowed') {
    reply.header('allow', match.allowed.join(', '));
    void sendProblem(request, reply, 405, { type: PROBLEM_TYPES.methodNotAllowed, detail: `Use ${match.allowed.join(' or ')} here.` });
    return undefined;
  }
  if (match.kind === 'not-found' || !ROUTES[match.id].proxied) {
    void sendProblem(request, reply, 404, { type: PROBLEM_TYPES.notFound, detail: 'The console does not serve this MassPay route.' });
    return undefined;
  }
  const route = ROUTES[match.id];

  // Checked on the raw, still-encoded segments: token patterns allow no `%`.
  const params = ROUTE_PARAMS[match.id].safeParse(match.params);
  if (!params.success) {
    void refuse(request, reply, 'A token in the path is malformed.', zodFieldIssues(params.error));
    return undefined;
  }

  const { values, repeated } = readQuery(rawQuery);
  if (repeated.length > 0) {
    void refuse(
      request,
      reply,
      'A query parameter is given more than once.',
      repeated.map((field) => ({ field, message: 'is given more than once' })),
    );
    return undefined;
  }
  // The console's allow-list of query names (what the SPA sends), not all that MassPay knows.
  const query = PROXY_QUERIES[match.id].safeParse(values);
  if (!query.success) {
    void refuse(request, reply, 'The query is not valid for this route.', zodFieldIssues(query.error));
    return undefined;
  }

  const checked: ApiTarget = { id: match.id, path, rawQuery, params: params.data, queryValues: values, query: query.data as Record<string, unknown> };
  if ('body' in route) {
    const parsed = route.body.safeParse(request.body);
    if (!parsed.success) {
      void refuse(request, reply, 'The request body is not valid.', zodFieldIssues(parsed.error));
      return undefined;
    }
    checked.body = parsed.data;
    checked.bodyJson = JSON.stringify(parsed.data);
  } else if (request.body !== undefined || hasBody(request)) {
    // Fastify does not parse GET and DELETE bodies at all: the headers tell that one was sent.
    void refuse(request, reply, 'This route takes no request body.');
    return undefined;
  }
  return checked;
};
