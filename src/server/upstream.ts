import { setTimeout as sleep } from 'node:timers/promises';
import pRetry from 'p-retry';
import { Pool, errors as undiciErrors, type Dispatcher } from 'undici';
import type { RouteId } from '../api';

export interface UpstreamRequest {
  method: 'GET' | 'POST' | 'DELETE' | 'PUT';
  /** Path and query below the base URL, e.g. `/payout/wallet/usr_…`. */
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** The MassPay route id (src/api/routes.ts), when the caller knows it: the metrics' label without matching the path again. */
  route?: RouteId;
}

export interface UpstreamResponse {
  status: number;
  contentType: string;
  body: Buffer;
}

/** MassPay did not answer in time (→ 504). */
export class UpstreamTimeoutError extends Error {}
/**
 * MassPay could not be reached or hung up (→ 502). `mayHaveArrived`: the connection broke after the
 * request could have been read (a reset, a hang-up), as opposed to one never made (refused, no route).
 */
export class UpstreamUnavailableError extends Error {
  constructor(
    message: string,
    readonly mayHaveArrived: boolean,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Errors of a connection that was never made: MassPay cannot have seen the request. */
const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

const RETRYABLE_STATUSES = new Set([502, 503, 504]);
const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

class RetryableStatus extends Error {
  constructor(readonly response: UpstreamResponse) {
    super(`upstream answered ${response.status}`);
  }
}

const codeOf = (error: unknown): string | undefined => (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code;

// Not ConnectTimeoutError: a connection never made is "could not be reached", not "no answer in time".
const isTimeout = (error: unknown) => error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError;

/**
 * Gathers one answer, in undici's native handler shape (what its client calls; the newer shape is
 * adapted onto it): raw header pairs, of which only Content-Type is read. A class rather than five
 * closures, so a request allocates one object for it and nothing else.
 */
class AnswerCollector {
  private status = 0;
  private contentType = '';
  private readonly chunks: Buffer[] = [];

  constructor(
    private readonly resolve: (response: UpstreamResponse) => void,
    private readonly reject: (error: Error) => void,
  ) {}

  onConnect() {}

  onHeaders(statusCode: number, rawHeaders: Buffer[]) {
    this.status = statusCode;
    for (let i = 0; i < rawHeaders.length; i += 2) {
      const name = rawHeaders[i]!;
      if (name.length === 12 && name.toString('latin1').toLowerCase() === 'content-type') this.contentType = rawHeaders[i + 1]!.toString('latin1');
    }
    return true;
  }

  onData(chunk: Buffer) {
    this.chunks.push(chunk);
    return true;
  }

  onComplete() {
    const { chunks } = this;
    this.resolve({ status: this.status, contentType: this.contentType, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks) });
  }

  onError(error: Error) {
    this.reject(error);
  }
}

/** How one attempt ended: MassPay's status class, or why there was no answer. */
export type UpstreamOutcome = 'ok' | '4xx' | '5xx' | 'timeout' | 'unreachable' | 'error';

const outcomeOfStatus = (status: number): UpstreamOutcome => (status < 400 ? 'ok' : status < 500 ? '4xx' : '5xx');
const outcomeOfError = (error: unknown): UpstreamOutcome =>
  error instanceof UpstreamTimeoutError ? 'timeout' : error instanceof UpstreamUnavailableError ? 'unreachable' : 'error';

export interface UpstreamOptions {
  baseUrl: string;
  timeoutMs: number;
  /** GET retries on connection errors and 502/503/504 (POST and DELETE are never retried). */
  retries?: number;
  minRetryDelayMs?: number;
  connections?: number;
  /** Told of every attempt (retries included) when it ends: for the metrics. */
  onAttempt?: (request: UpstreamRequest, outcome: UpstreamOutcome, seconds: number) => void;
}

/**
 * The one client to MassPay: a keep-alive pool, a deadline per attempt, and jittered retries for
 * GETs only — a POST or DELETE retried blindly could move money twice.
 */
export const createUpstream = ({ baseUrl, timeoutMs, retries = 2, minRetryDelayMs = 50, connections = 64, onAttempt }: UpstreamOptions) => {
  const url = new URL(baseUrl);
  const prefix = url.pathname.replace(/\/+$/, '');
  const pool = new Pool(url.origin, { connections, keepAliveTimeout: 30_000, pipelining: 1 });

  /**
   * One request through undici's lowest-level `dispatch`: the answer's chunks are gathered straight
   * into one Buffer, with none of the stream machinery of `request()`'s body (a tenth of the proxy's
   * CPU per request, per `bench:proxy --cpu-prof`).
   */
  const dispatch = (request: UpstreamRequest) =>
    new Promise<UpstreamResponse>((resolve, reject) => {
      pool.dispatch(
        {
          method: request.method,
          path: prefix + request.path,
          headers: request.headers,
          body: request.body,
          // undici's own timers: no per-request AbortSignal and timer to allocate on the hot path.
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        },
        new AnswerCollector(resolve, reject) as unknown as Dispatcher.DispatchHandler,
      );
    });

  const tryOnce = async (request: UpstreamRequest): Promise<UpstreamResponse> => {
    try {
      return await dispatch(request);
    } catch (error) {
      if (isTimeout(error)) throw new UpstreamTimeoutError(`MassPay did not answer within ${timeoutMs} ms`, { cause: error });
      const code = codeOf(error);
      if (code && (CONNECTION_ERROR_CODES.has(code) || code.startsWith('UND_ERR'))) {
        throw new UpstreamUnavailableError(`MassPay could not be reached (${code})`, !NEVER_CONNECTED.has(code), { cause: error });
      }
      throw error;
    }
  };

  const attempt = async (request: UpstreamRequest): Promise<UpstreamResponse> => {
    if (!onAttempt) return tryOnce(request);
    const started = performance.now();
    try {
      const response = await tryOnce(request);
      onAttempt(request, outcomeOfStatus(response.status), (performance.now() - started) / 1000);
      return response;
    } catch (error) {
      onAttempt(request, outcomeOfError(error), (performance.now() - started) / 1000);
      throw error;
    }
  };

  const send = async (request: UpstreamRequest, { retry = true } = {}): Promise<UpstreamResponse> => {
    if (request.method !== 'GET' || retries === 0 || !retry) return attempt(request);
    // The first try runs bare: nearly every GET succeeds, and p-retry's bookkeeping is not free.
    try {
      const response = await attempt(request);
      if (!RETRYABLE_STATUSES.has(response.status)) return response;
    } catch (error) {
      if (!(error instanceof UpstreamUnavailableError)) throw error;
    }
    await sleep(minRetryDelayMs * (1 + Math.random()));
    const once = async () => {
      const response = await attempt(request);
      if (RETRYABLE_STATUSES.has(response.status)) throw new RetryableStatus(response);
      return response;
    };
    try {
      return await pRetry(once, {
        retries: retries - 1,
        minTimeout: minRetryDelayMs,
        maxTimeout: minRetryDelayMs * 8,
        factor: 2,
        randomize: true,
        shouldRetry: ({ error }) => error instanceof RetryableStatus || error instanceof UpstreamUnavailableError,
      });
    } catch (error) {
      // Out of retries on a 502/503/504: MassPay's own answer is the most useful one to show.
      if (error instanceof RetryableStatus) return error.response;
      throw error;
    }
  };

  return { send, close: () => pool.close() };
};
export type Upstream = ReturnType<typeof createUpstream>;
