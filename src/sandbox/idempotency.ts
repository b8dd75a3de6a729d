import { createHash } from 'node:crypto';
import { idempotencyKeySchema } from '../api';
import { SandboxError, badRequest } from './errors';
import type { IdempotencyRecord } from './state';
import type { Store } from './store';

/** MassPay keeps an Idempotency-Key for 24 hours. */
export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;

const canonical = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
};

/** What makes two requests "the same": method, path, query and body, key order aside. */
export const fingerprintOf = (method: string, path: string, query: unknown, body: unknown): string =>
  createHash('sha256')
    .update(JSON.stringify(canonical([method, path, query ?? {}, body ?? null])))
    .digest('hex');

/** Reads the `Idempotency-Key` header: absent, or one well-formed key. */
export const readIdempotencyKey = (header: string | string[] | undefined): string | undefined => {
  if (header === undefined) return undefined;
  if (Array.isArray(header)) throw badRequest('Send one Idempotency-Key header, not several');
  const parsed = idempotencyKeySchema.safeParse(header);
  if (!parsed.success) throw badRequest('The Idempotency-Key header is malformed: 1–255 printable ASCII characters');
  return parsed.data;
};

/**
 * MassPay's idempotency (PORTAL): a key seen before returns the first answer and does nothing new;
 * the same key with a different request is refused. Only answers that changed something (2xx) are
 * stored: a refused request is safe to retry once corrected, as MassPay says of validation failures.
 */
export const findReplay = (store: Store, key: string, fingerprint: string, now: Date): IdempotencyRecord | undefined => {
  const prior = store.state.idempotency[key];
  if (!prior || now.getTime() - Date.parse(prior.created_at) > IDEMPOTENCY_TTL_MS) return undefined;
  if (prior.fingerprint !== fingerprint) {
    throw new SandboxError(400, 'This Idempotency-Key was already used for a different request', [
      { field: 'Idempotency-Key', message: 'already used for a different request' },
    ]);
  }
  return prior;
};

export const remember = (store: Store, key: string, fingerprint: string, status: number, body: unknown, now: Date) => {
  store.state.idempotency[key] = { fingerprint, status, body, created_at: now.toISOString() };
};
