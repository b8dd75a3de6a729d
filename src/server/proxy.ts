import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { cardSchema, PROBLEM_TYPES, redactedCardSchema, type RedactedCard, type RouteId } from '../api';
import { readApiTarget, type ApiTarget } from './api-request';
import { API_PREFIX } from './api-target';
import { problemFromMassPay, sendProblem } from './problem';
import { UpstreamTimeoutError, UpstreamUnavailableError, type Upstream } from './upstream';

export const PROXY_BODY_LIMIT = 16 * 1024;

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

/** Routes that change rules: the change path (src/server/changes) answers them, never the generic proxy. */
export type ChangeHandler = (request: FastifyRequest, reply: FastifyReply, target: ApiTarget) => unknown;
const CHANGE_ROUTES: ReadonlySet<RouteId> = new Set(['createAutopayRule', 'deleteAutopayRule']);

/**
 * `/api/payout/...` → MassPay, for the routes of the allow-list only. Everything is checked before
 * MassPay is asked (api-request.ts); reads are forwarded here, rule changes go to the change path.
 */
export const registerProxy = (
  app: FastifyInstance,
  { upstream, apiKey, timeoutMs, changes }: { upstream: Upstream; apiKey: string; timeoutMs: number; changes: ChangeHandler },
) => {
  const authorization = `Bearer ${apiKey}`;

  const handle = async (request: FastifyRequest, reply: FastifyReply) => {
    const target = readApiTarget(request, reply);
    if (!target) return reply;
    if (CHANGE_ROUTES.has(target.id)) return changes(request, reply, target);

    const headers: Record<string, string> = {
      authorization,
      accept: 'application/json',
      'x-request-id': request.id,
      'user-agent': 'masspay-wallet-console',
    };
    const search = target.rawQuery === '' ? '' : new URLSearchParams(target.queryValues).toString();
    let response;
    try {
      response = await upstream.send({ method: 'GET', path: search ? `${target.path}?${search}` : target.path, headers });
    } catch (error) {
      if (!(error instanceof UpstreamTimeoutError || error instanceof UpstreamUnavailableError)) throw error;
      // Staff read these: the detail says what happened, never a code.
      request.log.warn({ route: target.id, upstream: error.message }, 'MassPay did not answer');
      return error instanceof UpstreamTimeoutError
        ? sendProblem(request, reply, 504, { type: PROBLEM_TYPES.upstreamTimeout, detail: `MassPay did not answer within ${Math.round(timeoutMs / 100) / 10} s. Try again in a moment.` })
        : sendProblem(request, reply, 502, { type: PROBLEM_TYPES.upstreamUnavailable, detail: 'MassPay could not be reached. Try again in a moment.' });
    }

    request.log.debug({ route: target.id, upstreamStatus: response.status }, 'upstream answered');
    if (response.status >= 400) return sendProblem(request, reply, response.status, problemFromMassPay(response.status, response.body));
    if (response.status < 200 || response.status >= 300 || !response.contentType.startsWith('application/json')) {
      return sendProblem(request, reply, 502, { type: PROBLEM_TYPES.upstreamInvalid, detail: `MassPay sent an unexpected answer (${response.status}, ${response.contentType || 'no content type'}).` });
    }
    if (target.id === 'getCard') {
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
