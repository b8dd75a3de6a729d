import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  cardSchema,
  idempotencyKeySchema,
  matchRoute,
  PROBLEM_TYPES,
  redactedCardSchema,
  ROUTE_PARAMS,
  ROUTES,
  zodFieldIssues,
  type FieldIssue,
  type RedactedCard,
} from '../api';
import { API_PREFIX, splitApiTarget } from './api-target';
import type { AuditStore } from './audit/store';
import { problemFromMassPay, sendProblem } from './problem';
import { auditChange, auditedAction, createdRuleToken, outcomeOf, ruleFromList, type ChangeDetails } from './proxy-audit';
import { UpstreamTimeoutError, UpstreamUnavailableError, type Upstream } from './upstream';

export const PROXY_BODY_LIMIT = 16 * 1024;

/** Encoded characters, backslashes, empty or dot segments: no MassPay path of ours has any. */
const SUSPICIOUS_PATH = /%|\\|\/\/|\/\.\.?(?:\/|$)/;

const refuse = (request: FastifyRequest, reply: FastifyReply, detail: string, issues: readonly FieldIssue[] = []) =>
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

/** The card route's answer, stripped to what the browser may see: never the number, CVV, PIN or expiry. */
const redactCard = (body: Buffer): RedactedCard | undefined => {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  const card = cardSchema.safeParse(json);
  if (!card.success) return undefined;
  const { type, status, balance, card_number } = card.data;
  // Accounts that are not PCI compliant get iframe URLs instead of numbers: then there is no last four.
  const last4 = /^\d{12,19}$/.test(card_number) ? card_number.slice(-4) : undefined;
  return redactedCardSchema.parse({ type, status, balance, ...(last4 ? { last_4: last4 } : {}) });
};

/**
 * `/api/payout/...` → MassPay, for the routes of the allow-list only. Everything is checked here,
 * before MassPay is asked: the method and path template, each path token against its pattern, the
 * query names and values, and the body against the shared zod schema.
 */
export const registerProxy = (
  app: FastifyInstance,
  { upstream, apiKey, audit, timeoutMs }: { upstream: Upstream; apiKey: string; audit: AuditStore; timeoutMs: number },
) => {
  const authorization = `Bearer ${apiKey}`;

  /** What the audit log records of a change: the destination and share of a rule being deleted come from MassPay's list. */
  const changeDetails = async (action: ChangeDetails['action'], path: string, tokens: Record<string, string>, body: unknown, query: Record<string, unknown>, idempotencyKey: string): Promise<ChangeDetails> => {
    const details: ChangeDetails = {
      action,
      userToken: tokens.user_token!,
      walletToken: tokens.wallet_token!,
      destinationToken: null,
      percentage: null,
      ruleToken: null,
      idempotencyKey,
    };
    if (action === 'add_rule') {
      const rule = body as { destination_token: string; percentage: number };
      return { ...details, destinationToken: rule.destination_token, percentage: rule.percentage };
    }
    const ruleToken = query.token as string;
    try {
      const list = await upstream.send({ method: 'GET', path, headers: { authorization, accept: 'application/json' } });
      return { ...details, ruleToken, ...(list.status === 200 ? ruleFromList(list.body, ruleToken) : {}) };
    } catch {
      return { ...details, ruleToken };
    }
  };

  const handle = async (request: FastifyRequest, reply: FastifyReply) => {
    const target = splitApiTarget(request.raw.url!);
    if (!target) return refuse(request, reply, 'The path holds an encoded character, a backslash, or an empty or dot segment.');
    const { path, rawQuery } = target;

    if (SUSPICIOUS_PATH.test(path)) {
      return refuse(request, reply, 'The path holds an encoded character, a backslash, or an empty or dot segment.');
    }
    const match = matchRoute(request.method, path);
    if (match.kind === 'method-not-allowed') {
      reply.header('allow', match.allowed.join(', '));
      return sendProblem(request, reply, 405, { type: PROBLEM_TYPES.methodNotAllowed, detail: `Use ${match.allowed.join(' or ')} here.` });
    }
    if (match.kind === 'not-found' || !ROUTES[match.id].proxied) {
      return sendProblem(request, reply, 404, { type: PROBLEM_TYPES.notFound, detail: 'The console does not serve this MassPay route.' });
    }
    const route = ROUTES[match.id];

    // Checked on the raw, still-encoded segments: token patterns allow no `%`.
    const params = ROUTE_PARAMS[match.id].safeParse(match.params);
    if (!params.success) return refuse(request, reply, 'A token in the path is malformed.', zodFieldIssues(params.error));

    const { values, repeated } = readQuery(rawQuery);
    if (repeated.length > 0) {
      return refuse(request, reply, 'A query parameter is given more than once.', repeated.map((field) => ({ field, message: 'is given more than once' })));
    }
    const query = route.query.safeParse(values);
    if (!query.success) return refuse(request, reply, 'The query is not valid for this route.', zodFieldIssues(query.error));

    let body: string | undefined;
    let bodyData: unknown;
    if ('body' in route) {
      const parsed = route.body.safeParse(request.body);
      if (!parsed.success) return refuse(request, reply, 'The request body is not valid.', zodFieldIssues(parsed.error));
      bodyData = parsed.data;
      body = JSON.stringify(parsed.data);
    } else if (request.body !== undefined || hasBody(request)) {
      // Fastify does not parse GET and DELETE bodies at all: the headers tell that one was sent.
      return refuse(request, reply, 'This route takes no request body.');
    }

    const headers: Record<string, string> = {
      authorization,
      accept: 'application/json',
      'x-request-id': request.id,
      'user-agent': 'masspay-wallet-console',
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (route.method !== 'GET') {
      const clientKey = request.headers['idempotency-key'];
      if (clientKey !== undefined && !idempotencyKeySchema.safeParse(clientKey).success) {
        return refuse(request, reply, 'The Idempotency-Key header is malformed.', [{ field: 'Idempotency-Key', message: 'must be 1–255 printable characters, e.g. a UUID' }]);
      }
      headers['idempotency-key'] = (clientKey as string | undefined) ?? randomUUID();
    }

    const action = auditedAction(match.id);
    let change: Awaited<ReturnType<typeof auditChange>> | undefined;
    if (action) {
      const details = await changeDetails(action, path, params.data, bodyData, query.data, headers['idempotency-key']!);
      try {
        change = await auditChange(audit, request, details);
      } catch (error) {
        request.log.error({ err: error }, 'audit log: a change could not be recorded; MassPay was not asked');
        return sendProblem(request, reply, 503, { type: PROBLEM_TYPES.auditUnavailable, title: 'Audit log unavailable', detail: 'The change could not be recorded, so it was not sent to MassPay. Nothing changed; try again in a moment.' });
      }
    }

    const search = rawQuery === '' ? '' : new URLSearchParams(values).toString();
    let response;
    try {
      response = await upstream.send({ method: route.method, path: search ? `${path}?${search}` : path, headers, body });
    } catch (error) {
      if (!(error instanceof UpstreamTimeoutError || error instanceof UpstreamUnavailableError)) throw error;
      // Staff read these: the detail says what happened and whether the change was made, never a code.
      request.log.warn({ route: match.id, upstream: error.message }, 'MassPay did not answer');
      const seconds = Math.round(timeoutMs / 100) / 10;
      const unknown = error instanceof UpstreamTimeoutError || error.mayHaveArrived;
      await change?.finish(unknown ? 'unknown' : 'failed', null);
      if (!change) {
        return error instanceof UpstreamTimeoutError
          ? sendProblem(request, reply, 504, { type: PROBLEM_TYPES.upstreamTimeout, detail: `MassPay did not answer within ${seconds} s. Try again in a moment.` })
          : sendProblem(request, reply, 502, { type: PROBLEM_TYPES.upstreamUnavailable, detail: 'MassPay could not be reached. Try again in a moment.' });
      }
      const safeAgain = 'It is safe to try again: the same request is never carried out twice.';
      if (error instanceof UpstreamTimeoutError) {
        return sendProblem(request, reply, 504, { type: PROBLEM_TYPES.upstreamTimeout, detail: `MassPay did not answer within ${seconds} s, so the change may or may not have been made. ${safeAgain}` });
      }
      if (unknown) {
        return sendProblem(request, reply, 502, { type: PROBLEM_TYPES.upstreamInterrupted, detail: `The connection to MassPay broke after the change was sent, so it may or may not have been made. ${safeAgain}` });
      }
      return sendProblem(request, reply, 502, { type: PROBLEM_TYPES.upstreamUnavailable, detail: 'MassPay could not be reached, so nothing was changed. Try again in a moment.' });
    }

    request.log.debug({ route: match.id, upstreamStatus: response.status }, 'upstream answered');
    if (change) {
      const ruleToken = action === 'add_rule' && response.status < 300 ? createdRuleToken(response.body) : undefined;
      await change.finish(outcomeOf(response.status), response.status, ruleToken ?? undefined);
    }
    if (response.status >= 400) return sendProblem(request, reply, response.status, problemFromMassPay(response.status, response.body));
    if (response.status < 200 || response.status >= 300 || !response.contentType.startsWith('application/json')) {
      return sendProblem(request, reply, 502, { type: PROBLEM_TYPES.upstreamInvalid, detail: `MassPay sent an unexpected answer (${response.status}, ${response.contentType || 'no content type'}).` });
    }
    if (match.id === 'getCard') {
      const card = redactCard(response.body);
      if (!card) return sendProblem(request, reply, 502, { type: PROBLEM_TYPES.upstreamInvalid, detail: 'MassPay sent a card answer the console cannot read.' });
      return reply.code(200).send(card);
    }
    return reply.code(response.status).type('application/json; charset=utf-8').send(response.body);
  };

  app.route({
    method: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    url: `${API_PREFIX}/*`,
    bodyLimit: PROXY_BODY_LIMIT,
    handler: handle,
  });
};
