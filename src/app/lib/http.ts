import type { z } from 'zod/mini';
import { problemSchema } from '../../api';
import { ApiError } from './api-error';

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'DELETE';
  body?: unknown;
  /** POST/DELETE: the same key for the same submission, so a retry can never act twice. */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

/**
 * The SPA's one way to the server: same-origin `/api`, the CSRF header every change must carry,
 * answers parsed with the shared schemas, and every failure turned into an `ApiError`.
 */
export const apiRequest = async <S extends z.ZodMiniType>(schema: S, path: string, options: RequestOptions = {}): Promise<z.output<S>> => {
  const headers: Record<string, string> = { accept: 'application/json', 'x-requested-with': 'XMLHttpRequest' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;

  let response: Response;
  try {
    response = await fetch(`/api${path}`, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
      credentials: 'same-origin',
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiError({ type: 'urn:masspay-console:problem:network', title: 'No connection to the console', status: 0, detail: 'The console could not be reached.' });
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
    throw new ApiError(problem.success ? problem.data : { type: 'about:blank', title: response.statusText || 'Request failed', status: response.status });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new ApiError({ type: 'urn:masspay-console:problem:unexpected-answer', title: 'Unexpected answer', status: 502, detail: 'The console received an answer it does not understand.' });
  }
  return parsed.data;
};
