// One change at a time per wallet: in this process (a mutex per wallet), and across replicas when the
// console's database is PostgreSQL (a session advisory lock on a connection of its own, so the audit
// pool is not held up while MassPay answers). The embedded PGlite is one process and one database
// session, where an advisory lock excludes nothing: the in-process mutex is the whole lock there.
import { E_TIMEOUT, Mutex, withTimeout, type MutexInterface } from 'async-mutex';
import { DedicatedConnectionTimeout, type SqlDb } from '../audit/db';

/** The wallet stayed locked by another change for longer than the wait (→ 409 wallet-busy). */
export class WalletBusyError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('another change to this wallet is in progress');
  }
}

/** PostgreSQL's "lock_timeout expired". */
const LOCK_NOT_AVAILABLE = '55P03';

export interface WalletLocks {
  /** Runs `work` holding the wallet's lock; waits at most the configured time, else WalletBusyError. */
  run<T>(walletKey: string, work: () => Promise<T>): Promise<T>;
  /** Runs `work` only if the lock is free right now (recovery); `undefined` when it is not. */
  tryRun<T>(walletKey: string, work: () => Promise<T>): Promise<T | undefined>;
}

interface Entry {
  mutex: MutexInterface;
  users: number;
}

export const createWalletLocks = ({ db, waitMs }: { db: SqlDb; waitMs: number }): WalletLocks => {
  const retryAfter = Math.max(1, Math.ceil(waitMs / 1000));
  const local = new Map<string, Entry>();

  /** The wallet's mutex in this process, counted so that the map forgets wallets nobody is using. */
  const withLocal = async <T>(walletKey: string, timeoutMs: number, work: () => Promise<T>): Promise<T> => {
    let entry = local.get(walletKey);
    if (!entry) {
      entry = { mutex: new Mutex(), users: 0 };
      local.set(walletKey, entry);
    }
    entry.users += 1;
    try {
      // Times out with E_TIMEOUT, turned into WalletBusyError below (no error built for every acquisition).
      const mutex = timeoutMs > 0 ? withTimeout(entry.mutex, timeoutMs) : entry.mutex;
      if (timeoutMs <= 0 && entry.mutex.isLocked()) throw new WalletBusyError(retryAfter);
      return await mutex.runExclusive(work);
    } catch (error) {
      if (error === E_TIMEOUT) throw new WalletBusyError(retryAfter);
      throw error;
    } finally {
      entry.users -= 1;
      if (entry.users === 0) local.delete(walletKey);
    }
  };

  /** The cross-replica part: an advisory lock keyed by the wallet, waited for at most `timeoutMs`. */
  const withAdvisory = <T>(walletKey: string, timeoutMs: number, work: () => Promise<T>): Promise<T> => {
    const dedicated = db.dedicated?.bind(db);
    if (!dedicated) return work();
    return dedicated(
      async (connection) => {
        try {
          if (timeoutMs > 0) {
            await connection.query("SELECT set_config('lock_timeout', $1, false)", [`${Math.max(1, Math.round(timeoutMs))}ms`]);
            await connection.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [walletKey]);
          } else {
            const [row] = await connection.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked', [walletKey]);
            if (!row?.locked) throw new WalletBusyError(retryAfter);
          }
        } catch (error) {
          if ((error as { code?: string }).code === LOCK_NOT_AVAILABLE) throw new WalletBusyError(retryAfter);
          throw error;
        }
        // The work's own failure is carried out of `dedicated`, which closes a connection only when the
        // lock itself misbehaved (closing frees its locks too).
        let outcome: { value: T } | { error: unknown };
        try {
          outcome = { value: await work() };
        } catch (error) {
          outcome = { error };
        }
        await connection.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [walletKey]);
        return outcome;
      },
      Math.max(1, timeoutMs),
    ).then(
      (outcome) => {
        if ('error' in outcome) throw outcome.error;
        return outcome.value;
      },
      (error: unknown) => {
        if (error instanceof DedicatedConnectionTimeout) throw new WalletBusyError(retryAfter);
        throw error;
      },
    );
  };

  const run = <T>(walletKey: string, work: () => Promise<T>) => {
    const deadline = Date.now() + waitMs;
    // This replica's waiters queue on the mutex, so each wallet takes one database connection at most.
    return withLocal(walletKey, waitMs, () => withAdvisory(walletKey, Math.max(1, deadline - Date.now()), work));
  };

  const tryRun = async <T>(walletKey: string, work: () => Promise<T>) => {
    try {
      return await withLocal(walletKey, 0, () => withAdvisory(walletKey, 0, work));
    } catch (error) {
      if (error instanceof WalletBusyError) return undefined;
      throw error;
    }
  };

  return { run, tryRun };
};
