// The console's own idempotency record (MassPay documents no Idempotency-Key on the rule routes): key →
// the request it was first used for and how that ended, in the console's database so every replica
// sees it. Claiming a key is one INSERT … ON CONFLICT, so two replicas can never both run one key.
import { createHash } from 'node:crypto';
import type { SqlRunner } from '../audit/db';

/** At least MassPay's 24 hours; kept longer by whatever uses a key for longer (later: approvals, bulk jobs). */
export const IDEMPOTENCY_TTL_HOURS = 24;

export interface StoredAnswer {
  status: number;
  contentType: string;
  body: string;
}

export type Claim =
  /** The key is new: this attempt runs it. */
  | { kind: 'fresh' }
  /** An earlier attempt's outcome is unknown (or it died): this attempt re-reads the wallet, then decides. */
  | { kind: 'reconcile'; changeId: string | null }
  /** The first answer, to send again without asking MassPay. */
  | { kind: 'replay'; answer: StoredAnswer; changeId: string | null }
  | { kind: 'in-flight' }
  | { kind: 'mismatch' };

interface Row {
  fingerprint: string;
  state: 'in_flight' | 'done' | 'unknown';
  status: number | null;
  content_type: string | null;
  body: string | null;
  change_id: string | null;
  claimed: boolean;
}

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

/** What makes two requests "the same" change: route, tokens, query and body (key order aside). */
export const requestFingerprint = (parts: unknown): string =>
  createHash('sha256')
    .update(JSON.stringify(canonical(parts)))
    .digest('hex');

export const createIdempotencyRecord = (db: SqlRunner, { leaseMs }: { leaseMs: number }) => {
  const lease = `${Math.ceil(leaseMs)} milliseconds`;

  /**
   * Takes the key for this attempt, or says why not. A key `in_flight` past its lease belonged to an
   * attempt that died with its replica: it is taken over as `reconcile`, like an unknown outcome.
   */
  const claim = async (key: string, fingerprint: string): Promise<Claim> => {
    const [inserted] = await db.query<{ key: string }>(
      `INSERT INTO idempotency_records (key, fingerprint, state, lease_until, expires_at)
       VALUES ($1, $2, 'in_flight', now() + $3::interval, now() + interval '${IDEMPOTENCY_TTL_HOURS} hours')
       ON CONFLICT (key) DO NOTHING RETURNING key`,
      [key, fingerprint, lease],
    );
    if (inserted) return { kind: 'fresh' };
    // Taken over atomically: of two retries of an unknown outcome, one reconciles, the other waits.
    const [row] = await db.query<Row>(
      `WITH current AS (SELECT * FROM idempotency_records WHERE key = $1 FOR UPDATE),
       taken AS (
         UPDATE idempotency_records r SET state = 'in_flight', lease_until = now() + $3::interval
         FROM current
         WHERE r.key = current.key AND current.fingerprint = $2
           AND (current.state = 'unknown' OR (current.state = 'in_flight' AND current.lease_until < now()))
         RETURNING r.key
       )
       SELECT current.fingerprint, current.state, current.status, current.content_type, current.body, current.change_id,
              EXISTS (SELECT 1 FROM taken) AS claimed
       FROM current`,
      [key, fingerprint, lease],
    );
    // Gone between the two statements (expired and pruned): try once more as new.
    if (!row) return claim(key, fingerprint);
    if (row.fingerprint !== fingerprint) return { kind: 'mismatch' };
    if (row.claimed) return { kind: 'reconcile', changeId: row.change_id };
    if (row.state === 'done' && row.status !== null) {
      return {
        kind: 'replay',
        answer: { status: row.status, contentType: row.content_type ?? 'application/json', body: row.body ?? '' },
        changeId: row.change_id,
      };
    }
    return { kind: 'in-flight' };
  };

  return {
    claim,
    /** Ties the key to a change (a percentage change's plan) before its first step runs. */
    attachChange: async (key: string, changeId: string) => {
      await db.query('UPDATE idempotency_records SET change_id = $2 WHERE key = $1', [key, changeId]);
    },
    /** A known outcome: the answer that every later request with this key gets. */
    done: async (key: string, answer: StoredAnswer) => {
      await db.query(`UPDATE idempotency_records SET state = 'done', status = $2, content_type = $3, body = $4 WHERE key = $1`, [
        key,
        answer.status,
        answer.contentType,
        answer.body,
      ]);
    },
    /** MassPay may or may not have acted: the next attempt re-reads the wallet and decides. */
    unknown: async (key: string) => {
      await db.query(`UPDATE idempotency_records SET state = 'unknown' WHERE key = $1`, [key]);
    },
    /** Nothing was changed (refused before MassPay, or MassPay never reached): the key is free again. */
    release: async (key: string) => {
      await db.query(`DELETE FROM idempotency_records WHERE key = $1 AND state = 'in_flight'`, [key]);
    },
    /** Expired records go (never one still running). */
    prune: async () => {
      await db.query(`DELETE FROM idempotency_records WHERE expires_at < now() AND state <> 'in_flight'`);
    },
  };
};
export type IdempotencyRecord = ReturnType<typeof createIdempotencyRecord>;
