import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BROWSER_RESPONSES, PROBLEM_TYPES, type RouteId } from '../api';
import { readApiTarget, type ApiTarget } from './api-request';
import { API_PREFIX } from './api-target';
import type { AuditStore } from './audit/store';
import { createCardReader } from './card-read';
import { createMassPayReader } from './masspay-read';
import { sendProblem } from './problem';
import type { Upstream } from './upstream';

export const PROXY_BODY_LIMIT = 16 * 1024;

/** Routes that change rules: the change path (src/server/changes) answers them, never the generic proxy. */
export type ChangeHandler = (request: FastifyRequest, reply: FastifyReply, target: ApiTarget) => unknown;
const CHANGE_ROUTES: ReadonlySet<RouteId> = new Set(['createAutopayRule', 'deleteAutopayRule']);

/**
 * `/api/payout/...` → MassPay, for the routes of the allow-list only. Everything is checked before
 * MassPay is asked (api-request.ts); reads are forwarded here, their answers filtered by the route's
 * `browserResponse` (src/api/routes.ts); rule changes go to the change path.
 */
export const registerProxy = (
  app: FastifyInstance,
  { upstream, apiKey, timeoutMs, changes, audit }: { upstream: Upstream; apiKey: string; timeoutMs: number; changes: ChangeHandler; audit: AuditStore },
) => {
  const readMassPay = createMassPayReader({ upstream, apiKey, timeoutMs });
  // The card route: its secrets blanked before parsing, only status and balance answered, each read audited (card-read.ts).
  const readCard = createCardReader({ upstream, apiKey, timeoutMs, audit });

  const handle = async (request: FastifyRequest, reply: FastifyReply) => {
    const target = readApiTarget(request, reply);
    if (!target) return reply;
    if (CHANGE_ROUTES.has(target.id)) return changes(request, reply, target);
    if (target.id === 'getCard') return readCard(request, reply, target);

    const search = target.rawQuery === '' ? '' : new URLSearchParams(target.queryValues).toString();
    const read = await readMassPay(request, search ? `${target.path}?${search}` : target.path, target.id);
    if (!read.ok) return sendProblem(request, reply, read.status, read.problem);
    // Only what the console shows goes on (the route's `browserResponse`): unknown fields are dropped,
    // secrets (activation_url, date_of_birth) never named there, pickup codes masked.
    const answer = BROWSER_RESPONSES[target.id]?.safeParse(read.json);
    if (!answer?.success) {
      const fields = answer ? [...new Set(answer.error.issues.map((issue) => issue.path.map(String).join('.') || '(the answer)'))].slice(0, 5) : [];
      // The field names only: a value may be a payee's data.
      request.log.warn({ route: target.id, fields }, 'MassPay answered without what the console needs');
      return sendProblem(request, reply, 502, {
        type: PROBLEM_TYPES.upstreamInvalid,
        detail: `MassPay sent an answer the console cannot read${fields.length ? ` (missing or malformed: ${fields.join(', ')})` : ''}.`,
      });
    }
    return reply.code(read.status).send(answer.data);
  };

  app.route({
    method: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    url: `${API_PREFIX}/*`,
    bodyLimit: PROXY_BODY_LIMIT,
    handler: handle,
  });
};
