// MassPay reads for a dry run: at most `concurrency` requests in flight for the whole job (p-limit),
// and a read answered 429 or 5xx, or not answered, backed off and asked again (p-retry). Reads only:
// a write through here is refused, since a retried write could move money twice.
import pLimit from 'p-limit';
import pRetry from 'p-retry';
import { UpstreamTimeoutError, UpstreamUnavailableError, type Upstream, type UpstreamResponse } from '../upstream';

export interface BoundedReadOptions {
  concurrency: number;
  /** Tries after the first. */
  retries: number;
  /** The first back-off; each next one doubles (jittered), up to eight times it. */
  minDelayMs: number;
  signal?: AbortSignal;
}

export const BOUNDED_READ_DEFAULTS: BoundedReadOptions = { concurrency: 8, retries: 4, minDelayMs: 250 };

class RetryableAnswer extends Error {
  constructor(readonly response: UpstreamResponse) {
    super(`MassPay answered ${response.status}`);
  }
}

const retryable = (status: number) => status === 429 || status >= 500;

/** `upstream`, bounded and retrying, for GETs only; the last 429 or 5xx is answered as it came once the tries run out. */
export const boundedReads = (upstream: Upstream, { concurrency, retries, minDelayMs, signal }: BoundedReadOptions): Upstream => {
  const limit = pLimit(concurrency);
  const once = async (request: Parameters<Upstream['send']>[0]) => {
    signal?.throwIfAborted();
    // The upstream's own retries are off: these are, and each try holds a slot only while it runs.
    const response = await limit(() => upstream.send(request, { retry: false }));
    if (retryable(response.status)) throw new RetryableAnswer(response);
    return response;
  };
  return {
    send: async (request) => {
      if (request.method !== 'GET') throw new Error(`A dry run only reads: ${request.method} refused`);
      try {
        return await pRetry(() => once(request), {
          retries,
          minTimeout: minDelayMs,
          maxTimeout: minDelayMs * 8,
          factor: 2,
          randomize: true,
          signal,
          shouldRetry: ({ error }) => error instanceof RetryableAnswer || error instanceof UpstreamTimeoutError || error instanceof UpstreamUnavailableError,
        });
      } catch (error) {
        if (error instanceof RetryableAnswer) return error.response;
        throw error;
      }
    },
    close: async () => {},
  };
};
