// The little the audit store needs from a database, so PGlite and node-postgres run the same SQL.

export interface SqlRunner {
  /** One statement, `$1`-style parameters. */
  query<Row>(text: string, params?: unknown[]): Promise<Row[]>;
  /** Several statements, no parameters (migrations). */
  exec(text: string): Promise<void>;
}

export interface SqlDb extends SqlRunner {
  /** BEGIN … COMMIT on one connection; ROLLBACK when `work` throws. Resolves once committed. */
  transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T>;
  /**
   * PostgreSQL only: `work` on a connection of its own, outside the pool the other queries use, for
   * session-level advisory locks held while MassPay answers. Waiting for a free connection longer than
   * `waitMs` rejects with `DedicatedConnectionTimeout`. PGlite has one session: it has no such thing.
   */
  dedicated?<T>(work: (connection: SqlRunner) => Promise<T>, waitMs: number): Promise<T>;
  close(): Promise<void>;
}

/** No connection of its own could be had in time (every dedicated connection is holding a lock). */
export class DedicatedConnectionTimeout extends Error {}
