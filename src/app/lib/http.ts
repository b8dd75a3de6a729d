import type { z } from 'zod/mini';
import { CSRF_HEADER, problemSchema } from '../../api';
import { ApiError } from './api-error';

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** Instead of a JSON `body`: bytes sent as they are, with their content type (a CSV file's upload). */
  content?: { type: string; data: ArrayBuffer };
  /** POST/PATCH/DELETE: the same key for the same submission, so a retry can never act twice. */
  idempotencyKey?: string;
  /** More request headers (e.g. `X-Change-Reason`); a header whose value is undefined is not sent. */
  headers?: Readonly<Record<string, string | undefined>>;
  signal?: AbortSignal;
}

/** `Retry-After` in seconds (a number or an HTTP date), when the answer gives one. */
const retryAfterSeconds = (response: Response): number | undefined => {
  const value = response.headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
};

/**
 * The SPA's one way to the server: a same-origin path (`/api/...`, `/auth/...`), the CSRF header
 * every change must carry, the session cookie, answers parsed with the shared schemas, and every
 * failure turned into an `ApiError`.
 */
export const request = async <S extends z.ZodMiniType>(schema: S, url: string, options: RequestOptions = {}): Promise<z.output<S>> => {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.headers ?? {})) if (value !== undefined) headers[name.toLowerCase()] = value;
  // What the console's contract needs wins over anything given above.
  headers.accept = 'application/json';
  headers[CSRF_HEADER.name.toLowerCase()] = CSRF_HEADER.value;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  else if (options.content) headers['content-type'] = options.content.type;
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;

  let response: Response;
  try {
    response = await fetch(url, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? options.content?.data : JSON.stringify(options.body),
      signal: options.signal,
      credentials: 'same-origin',
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiError({
      type: 'urn:masspay-console:problem:network',
      title: 'No connection to the console',
      status: 0,
      detail: 'The console could not be reached.',
    });
  }

  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    const problem = problemSchema.safeParse(json);
    throw new ApiError(
      problem.success ? problem.data : { type: 'about:blank', title: response.statusText || 'Request failed', status: response.status },
      retryAfterSeconds(response),
      json,
    );
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new ApiError({
      type: 'urn:masspay-console:problem:unexpected-answer',
      title: 'Unexpected answer',
      status: 502,
      detail: 'The console received an answer it does not understand.',
    });
  }
  return parsed.data;
};

/** A request to the proxied MassPay routes and the console's own data routes, under `/api`. */
export const apiRequest = <S extends z.ZodMiniType>(schema: S, path: string, options: RequestOptions = {}): Promise<z.output<S>> =>
  request(schema, `/api${path}`, options);
