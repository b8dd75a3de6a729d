import underPressure from '@fastify/under-pressure';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPES } from '../api';
import { METRICS_PATH } from './metrics/http';
import { buildProblem } from './problem';

export const DEFAULT_MAX_EVENT_LOOP_DELAY_MS = 1_000;
const RETRY_AFTER_SECONDS = 5;

/** Probes and scrapes are answered even when shedding: a lagging replica is alive, and its metrics show why. */
const EXEMPT: ReadonlySet<string | undefined> = new Set(['/healthz', '/readyz', METRICS_PATH]);

export interface LoadSheddingOptions {
  /** `MAX_EVENT_LOOP_DELAY_MS`: past this mean event-loop delay (ms, sampled each second) requests get 503; 0: never. */
  maxEventLoopDelayMs?: number;
  retryAfterSeconds?: number;
}

/**
 * @fastify/under-pressure: while the event loop lags, requests are refused 503 problem+json with
 * `Retry-After` before anything else is done for them (no session decoded, no MassPay asked).
 */
export const registerLoadShedding = async (app: FastifyInstance, options: LoadSheddingOptions = {}) => {
  const maxEventLoopDelay = options.maxEventLoopDelayMs ?? DEFAULT_MAX_EVENT_LOOP_DELAY_MS;
  if (maxEventLoopDelay <= 0) return;
  const retryAfter = String(options.retryAfterSeconds ?? RETRY_AFTER_SECONDS);
  // A body returned is sent by the plugin (its README; its types say void only): nothing else runs.
  const shed = (request: FastifyRequest, reply: FastifyReply, _type: string, delayMs: number | undefined) => {
    if (EXEMPT.has(request.routeOptions.url)) return undefined;
    request.log.warn({ eventLoopDelayMs: delayMs === undefined ? undefined : Math.round(delayMs) }, 'request refused: the event loop is lagging');
    reply.code(503).type(PROBLEM_CONTENT_TYPE).header('retry-after', retryAfter);
    return buildProblem(request, 503, {
      type: PROBLEM_TYPES.overloaded,
      title: 'The console is overloaded',
      detail: 'The console is too busy to answer right now. Try again in a few seconds.',
    });
  };
  await app.register(underPressure, { maxEventLoopDelay, pressureHandler: shed as unknown as () => void });
};
