// One read (GET) of MassPay on the console's behalf, sorted into what the console answers: a 2xx JSON
// body parsed, or the problem to send — MassPay's own error with its status kept, 502 when it cannot be
// reached or sends something unreadable, 504 when it is too slow. The read proxy, caller verification
// and pickup-code reveals share it. (Card reads have their own: their bytes are blanked before parsing.)
import type { FastifyRequest } from 'fastify';
import { PROBLEM_TYPES, type AuditOutcome, type RouteId } from '../api';
import { problemFromMassPay, type ProblemInput } from './problem';
import { UpstreamTimeoutError, UpstreamUnavailableError, type Upstream } from './upstream';

export type MassPayRead =
  | { ok: true; status: number; json: unknown }
  | {
      ok: false;
      /** The status the console answers with. */
      status: number;
      problem: ProblemInput;
      /** What MassPay answered, or null when it did not. */
      masspayStatus: number | null;
    };

/** How a failed read ends in the audit log: MassPay's 4xx is a refusal, anything else a failure. */
export const auditOutcomeOf = (read: Extract<MassPayRead, { ok: false }>): AuditOutcome =>
  read.masspayStatus !== null && read.masspayStatus < 500 ? 'refused' : 'failed';

const unreadable = (status: number, detail: string): MassPayRead => ({
  ok: false,
  status: 502,
  masspayStatus: status,
  problem: { type: PROBLEM_TYPES.upstreamInvalid, detail },
});

export const createMassPayReader = ({ upstream, apiKey, timeoutMs }: { upstream: Upstream; apiKey: string; timeoutMs: number }) => {
  const authorization = `Bearer ${apiKey}`;
  /** GETs `path` (below the base URL, query included; retried by the upstream on connection errors and 502–504). */
  return async (request: FastifyRequest, path: string, route: RouteId): Promise<MassPayRead> => {
    let response;
    try {
      response = await upstream.send({
        method: 'GET',
        path,
        route,
        headers: { authorization, accept: 'application/json', 'x-request-id': request.id, 'user-agent': 'masspay-wallet-console' },
      });
    } catch (error) {
      if (!(error instanceof UpstreamTimeoutError || error instanceof UpstreamUnavailableError)) throw error;
      // Staff read these: the detail says what happened, never a code.
      request.log.warn({ route, upstream: error.message }, 'MassPay did not answer');
      return error instanceof UpstreamTimeoutError
        ? {
            ok: false,
            status: 504,
            masspayStatus: null,
            problem: {
              type: PROBLEM_TYPES.upstreamTimeout,
              detail: `MassPay did not answer within ${Math.round(timeoutMs / 100) / 10} s. Try again in a moment.`,
            },
          }
        : {
            ok: false,
            status: 502,
            masspayStatus: null,
            problem: { type: PROBLEM_TYPES.upstreamUnavailable, detail: 'MassPay could not be reached. Try again in a moment.' },
          };
    }

    request.log.debug({ route, upstreamStatus: response.status }, 'upstream answered');
    if (response.status >= 400)
      return { ok: false, status: response.status, masspayStatus: response.status, problem: problemFromMassPay(response.status, response.body) };
    if (response.status < 200 || response.status >= 300 || !response.contentType.startsWith('application/json')) {
      return unreadable(response.status, `MassPay sent an unexpected answer (${response.status}, ${response.contentType || 'no content type'}).`);
    }
    try {
      return { ok: true, status: response.status, json: JSON.parse(response.body.toString('utf8')) };
    } catch {
      return unreadable(response.status, 'MassPay sent an answer that is not JSON.');
    }
  };
};
export type MassPayReader = ReturnType<typeof createMassPayReader>;
