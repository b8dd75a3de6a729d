import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_TYPES, type RouteId } from '../api';
import { readApiTarget, type ApiTarget } from './api-request';
import { API_PREFIX } from './api-target';
import type { AuditStore } from './audit/store';
import { createCardReader } from './card-read';
import { problemFromMassPay, sendProblem } from './problem';
import { UpstreamTimeoutError, UpstreamUnavailableError, type Upstream } from './upstream';

export const PROXY_BODY_LIMIT = 16 * 1024;

/** Routes that change rules: the change path (src/server/changes) answers them, never the generic proxy. */
export type ChangeHandler = (request: FastifyRequest, reply: FastifyReply, target: ApiTarget) => unknown;
const CHANGE_ROUTES: ReadonlySet<RouteId> = new Set(['createAutopayRule', 'deleteAutopayRule']);

/**
 * `/api/payout/...` → MassPay, for the routes of the allow-list only. Everything is checked before
 * MassPay is asked (api-request.ts); reads are forwarded here, rule changes go to the change path.
 */
export const registerProxy = (
  app: FastifyInstance,
  { upstream, apiKey, timeoutMs, changes, audit }: { upstream: Upstream; apiKey: string; timeoutMs: number; changes: ChangeHandler; audit: AuditStore },
) => {
  const authorization = `Bearer ${apiKey}`;
  // The card route: its secrets blanked before parsing, only status and balance answered, each read audited (card-read.ts).
  const readCard = createCardReader({ upstream, apiKey, timeoutMs, audit });

  const handle = async (request: FastifyRequest, reply: FastifyReply) => {
    const target = readApiTarget(request, reply);
    if (!target) return reply;
    if (CHANGE_ROUTES.has(target.id)) return changes(request, reply, target);
    if (target.id === 'getCard') return readCard(request, reply, target);

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
    return reply.code(response.status).type('application/json; charset=utf-8').send(response.body);
  };

  app.route({
    method: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    url: `${API_PREFIX}/*`,
    bodyLimit: PROXY_BODY_LIMIT,
    handler: handle,
  });
};
