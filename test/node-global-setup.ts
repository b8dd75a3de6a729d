// Global setup of the `node` test project (vite.config.ts): one real PostgreSQL for the whole run,
// started from the machine's binaries (scripts/postgres.ts); tests reach it with inject('databaseUrl').
// And the fresh embedded database that tests' stores start from (test/embedded-db-template.ts).
import type { TestProject } from 'vitest/node';
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { startPostgres } from '../scripts/postgres';
import { createEmbeddedDbTemplate } from './embedded-db-template';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A fresh database on a throwaway PostgreSQL, e.g. `postgres://postgres@127.0.0.1:41234/masspay_console`. */
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const [postgres, template] = await Promise.all([startPostgres(), createEmbeddedDbTemplate()]);
  project.provide('databaseUrl', postgres.url);
  project.provide('embeddedDbTemplate', template);
  return async () => {
    await postgres.stop();
    await rm(dirname(template), { recursive: true, force: true });
  };
}
