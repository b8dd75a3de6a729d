// A write MassPay did not answer may still be carried out after the console gave up on it (a slow
// MassPay finishes the work; masspay-api.md documents no Idempotency-Key on the rule routes to make a
// second attempt harmless). So a wallet is marked unsettled while a write to it runs and, when the
// write got no answer, for `settleMs` after; until then no change to the wallet is decided on its
// rules, since a late write could still land beside it. The mark lives in the console's database, so
// it outlives a process killed mid-write and holds on every replica.
import type { SqlRunner } from '../audit/db';
import { AuditWriteError, sendWrite, type Sent } from './run-change';
import type { UpstreamResponse } from '../upstream';

export const createSettling = (db: SqlRunner, { settleMs, timeoutMs }: { settleMs: number; timeoutMs: number }) => {
  // Under the wallet's lock, so the mark is this write's own: it replaces any earlier one.
  const mark = (wallet: string, ms: number) =>
    db.query(
      `INSERT INTO unsettled_wallets (wallet, until) VALUES ($1, now() + $2::interval)
       ON CONFLICT (wallet) DO UPDATE SET until = EXCLUDED.until`,
      [wallet, `${Math.ceil(ms)} milliseconds`],
    );

  return {
    settleMs,
    /**
     * Sends one write to `wallet` (under its lock). The mark is written first — if it cannot be, the
     * write is not sent (the error is thrown) — and cleared once MassPay has answered or was never reached.
     */
    send: async (wallet: string, write: () => Promise<UpstreamResponse>): Promise<Sent> => {
      try {
        await mark(wallet, timeoutMs + settleMs);
      } catch (error) {
        throw new AuditWriteError('the wallet could not be marked unsettled', { cause: error });
      }
      const sent = await sendWrite(write);
      // Failing to update the mark leaves the first one, which errs on the side of waiting.
      if (sent.kind === 'timeout' || sent.kind === 'interrupted') await mark(wallet, settleMs).catch(() => {});
      else await db.query('DELETE FROM unsettled_wallets WHERE wallet = $1', [wallet]).catch(() => {});
      return sent;
    },
    /**
     * The unanswered write was seen to land (a retry found its rule made, or gone): the wallet is
     * settled, since no other write to it was sent meanwhile. Best effort: a mark left expires.
     */
    landed: async (wallet: string) => {
      await db.query('DELETE FROM unsettled_wallets WHERE wallet = $1', [wallet]).catch(() => {});
    },
    /** How long until an unanswered write to `wallet` can no longer land (0: settled). */
    remainingMs: async (wallet: string): Promise<number> => {
      const [row] = await db.query<{ ms: number }>(
        'SELECT ceil(extract(epoch FROM until - now()) * 1000)::float8 AS ms FROM unsettled_wallets WHERE wallet = $1 AND until > now()',
        [wallet],
      );
      return row ? Math.max(1, row.ms) : 0;
    },
    prune: async () => {
      await db.query('DELETE FROM unsettled_wallets WHERE until < now()');
    },
  };
};
export type Settling = ReturnType<typeof createSettling>;
