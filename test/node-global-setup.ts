// Global setup of the `node` test project (vite.config.ts): one real PostgreSQL for the whole run,
// started from the machine's binaries (scripts/postgres.ts); tests reach it with inject('databaseUrl').
// And the fresh embedded database that tests' stores start from (test/embedded-db-template.ts).
import type { TestProject } from 'vitest/node';
import { startPostgres } from '../scripts/postgres';
import { takeEmbeddedDbTemplate } from './embedded-db-template';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A fresh database on a throwaway PostgreSQL, e.g. `postgres://postgres@127.0.0.1:41234/masspay_console`. */
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const [postgres, template] = await Promise.all([startPostgres(), takeEmbeddedDbTemplate()]);
  project.provide('databaseUrl', postgres.url);
  project.provide('embeddedDbTemplate', template.dir);
  return async () => {
    await postgres.stop();
    await template.release();
  };
}
