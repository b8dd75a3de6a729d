// How many times a payee's date of birth may be tried: a fixed window per payee, counted in the
// console's database (PGlite, or the PostgreSQL replicas share), so the limit holds across replicas.
// Each try is counted by ONE statement before MassPay is asked: of a burst of 20 tries at once, 5 go on.
import type { SqlRunner } from './audit/db';

export interface VerifyCallerLimits {
  /** Tries per payee and window (default 5). */
  perPayee?: number;
  /** The window, from a payee's first try (default 15 minutes). */
  windowMs?: number;
  /** The clock; tests move it. */
  now?: () => number;
}

/**
 * Counts the try and says how many the window holds now; a window over is started afresh. Tries past
 * the limit are counted too (so the first refused one is known: it alone is recorded in the audit log).
 * $1 payee, $2 now, $3 window (ms).
 */
const COUNT = `
  INSERT INTO caller_verification_attempts AS t (payee, attempts, expires_at)
  VALUES ($1, 1, $2::timestamptz + ($3::float8 * interval '1 millisecond'))
  ON CONFLICT (payee) DO UPDATE SET
    attempts = CASE WHEN t.expires_at <= $2::timestamptz THEN 1 ELSE least(t.attempts + 1, 1000000) END,
    expires_at = CASE WHEN t.expires_at <= $2::timestamptz THEN $2::timestamptz + ($3::float8 * interval '1 millisecond') ELSE t.expires_at END
  RETURNING attempts, (extract(epoch FROM expires_at - $2::timestamptz) * 1000)::float8 AS "waitMs"`;
const PRUNE = 'DELETE FROM caller_verification_attempts WHERE expires_at <= $1::timestamptz';
const PRUNE_EVERY_MS = 60_000;

export type TryVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number; firstRefused: boolean };

/**
 * One payee, however its token is written: case folded and MassPay's `usr_` prefix dropped, so that
 * spellings MassPay may take as the same user share one count.
 */
export const payeeKey = (userToken: string) => userToken.toLowerCase().replace(/^usr_/, '');

export const createVerifyCallerLimit = (sql: SqlRunner, { perPayee = 5, windowMs = 15 * 60_000, now = Date.now }: VerifyCallerLimits = {}) => {
  let prunedAt = 0;
  return {
    /** Counts one try for `userToken`: allowed while the payee is within the limit. */
    take: async (userToken: string): Promise<TryVerdict> => {
      const atMs = now();
      const at = new Date(atMs).toISOString();
      if (atMs - prunedAt >= PRUNE_EVERY_MS || atMs < prunedAt) {
        prunedAt = atMs;
        // Rows past their window are of no use; a failure here only leaves them for the next time.
        void sql.query(PRUNE, [at]).catch(() => {});
      }
      const [row] = await sql.query<{ attempts: number; waitMs: number }>(COUNT, [payeeKey(userToken), at, windowMs]);
      if (!row) throw new Error('caller_verification_attempts: the count returned no row');
      if (row.attempts <= perPayee) return { allowed: true };
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(row.waitMs / 1000)), firstRefused: row.attempts === perPayee + 1 };
    },
  };
};
export type VerifyCallerLimit = ReturnType<typeof createVerifyCallerLimit>;
