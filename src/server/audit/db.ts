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
  close(): Promise<void>;
}
