import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PROBLEM_TYPES } from '../../api';
import { sendProblem } from '../problem';
import type { Metrics } from './registry';

export const METRICS_PATH = '/metrics';

/**
 * The `route` label: the MassPay route id (src/api/routes.ts) of a route of the proxy, otherwise the
 * route template Fastify matched — never the raw URL, so the label's values are bounded.
 */
export const routeLabel = (request: FastifyRequest): string => request.routeOptions.config.routeId ?? request.routeOptions.url ?? 'unmatched';

const sha256 = (text: string) => createHash('sha256').update(text).digest();

/** `Authorization: Bearer <token>` compared in constant time (both sides hashed to one length). */
const bearerMatcher = (token: string) => {
  const expected = sha256(token);
  return (header: string | undefined) => {
    const given = header?.startsWith('Bearer ') ? header.slice(7) : undefined;
    return given !== undefined && timingSafeEqual(sha256(given), expected);
  };
};

/**
 * Every answer timed by route, method and status; `GET /metrics` on the console's own port for a
 * scraper holding `token` (METRICS_TOKEN). A staff session is no way in: without the token it is 401,
 * and without a token configured the route is a 404 (the METRICS_PORT listener, if any, serves it).
 */
export const registerMetrics = (app: FastifyInstance, metrics: Metrics, { token }: { token?: string }) => {
  // A callback hook: it runs on every request.
  app.addHook('onResponse', (request, reply, done) => {
    metrics.request(routeLabel(request), request.method, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });

  const authorized = token ? bearerMatcher(token) : undefined;
  app.get(METRICS_PATH, async (request, reply) => {
    if (!authorized) return sendProblem(request, reply, 404, { type: PROBLEM_TYPES.notFound, detail: 'Nothing is served at this path.' });
    if (!authorized(request.headers.authorization)) {
      reply.header('www-authenticate', 'Bearer realm="metrics"');
      return sendProblem(request, reply, 401, {
        type: PROBLEM_TYPES.unauthenticated,
        title: 'Metrics token required',
        detail: 'Send the metrics token as a bearer token.',
      });
    }
    return reply.type(metrics.contentType).send(await metrics.render());
  });
};
