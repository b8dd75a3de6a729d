// `DATABASE_URL=postgres://…`: a pool of connections to a PostgreSQL server shared by replicas.
import pg from 'pg';
import { DedicatedConnectionTimeout, type SqlDb, type SqlRunner } from './db';

const runner = (db: pg.Pool | pg.PoolClient): SqlRunner => ({
  query: async <Row>(text: string, params?: unknown[]) => (await db.query(text, params)).rows as Row[],
  exec: async (text) => {
    // Without parameters node-postgres uses the simple protocol, which allows several statements.
    await db.query(text);
  },
});

/** `locks: false`: no pool of lock connections (the migration run, `audit:verify`). */
export const openPostgres = async (connectionString: string, { locks = true }: { locks?: boolean } = {}): Promise<SqlDb> => {
  // The store promises that a resolved append is on disk, whatever the server's default says: every
  // connection starts with synchronous_commit on (a startup option, so no query races the first one).
  // Read committed, whatever the server's default: the audit log's trigger reads the last entry once
  // it holds the append lock, and only a statement's own snapshot sees an entry committed meanwhile.
  const pool = new pg.Pool({
    connectionString,
    max: 5,
    application_name: 'masspay-console-audit',
    options: '-c synchronous_commit=on -c default_transaction_isolation=read\\ committed',
  });
  // An idle connection the server dropped is discarded by the pool; without a listener the
  // 'error' event would crash the process.
  pool.on('error', () => {});
  // Wallet locks: each held on a connection of its own for as long as MassPay takes to answer, so
  // they never take the audit pool's connections. One per wallet being changed on this replica.
  const lockPool = locks ? new pg.Pool({ connectionString, max: 32, application_name: 'masspay-console-locks' }) : undefined;
  lockPool?.on('error', () => {});
  // Fail at start-up, not at the first audited request, when the URL is wrong.
  await pool.query('SELECT 1');
  return {
    ...runner(pool),
    transaction: async (work) => {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await work(runner(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: Error) => {
          broken = rollbackError;
        });
        throw error;
      } finally {
        // A connection that could not roll back is closed rather than reused mid-transaction.
        client.release(broken);
      }
    },
    dedicated:
      lockPool &&
      (async (work, waitMs) => {
        const connecting = lockPool.connect();
        let timer: NodeJS.Timeout | undefined;
        const client = await Promise.race([
          connecting,
          new Promise<undefined>((resolve) => {
            timer = setTimeout(() => resolve(undefined), waitMs);
          }),
        ]).finally(() => clearTimeout(timer));
        if (!client) {
          // A connection that arrives after the deadline goes straight back to the pool.
          connecting.then(
            (late) => late.release(),
            () => {},
          );
          throw new DedicatedConnectionTimeout(`no lock connection free within ${waitMs} ms`);
        }
        let broken: Error | undefined;
        try {
          return await work(runner(client));
        } catch (error) {
          // A connection whose lock state is unknown is closed rather than reused (closing frees its locks).
          broken = error as Error;
          throw error;
        } finally {
          client.release(broken);
        }
      }),
    close: async () => {
      await Promise.all([pool.end(), lockPool?.end()]);
    },
  };
};
