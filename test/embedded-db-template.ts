// A fresh embedded database costs an initdb: ~6 s and ~8 s of CPU, most of a test file's own time. The
// first global setup makes one for the run (with the console's own code: openPglite, then close), and a
// test's store starts from a copy of it (39 MB, ~0.1 s). Its first open then goes on as every first
// start does — the migrations run on the empty cluster. The real initdb path stays tested where it
// matters (audit/store.test.ts's first open, scripts/production-start.test.ts).
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { inject } from 'vitest';
import { openPglite } from '../src/server/audit/pglite';
import { EMBEDDED_DB_DIR } from '../src/server/audit/store';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A freshly created, never used PGlite data directory to copy (test/node-global-setup.ts). */
    embeddedDbTemplate: string;
  }
}

/**
 * The run's template, on `globalThis`: both projects' global setups run in Vitest's main process, but
 * each loads this module for itself.
 */
const TEMPLATE = Symbol.for('masspay-console.embedded-db-template');
interface SharedTemplate {
  dir: Promise<string>;
  users: number;
}
const shared = globalThis as { [TEMPLATE]?: SharedTemplate };

const createTemplate = async () => {
  const dir = join(await mkdtemp(join(tmpdir(), 'masspay-db-template-')), 'db');
  await (await openPglite(dir)).close();
  return dir;
};

/**
 * The template (global setup): the directory to provide as `embeddedDbTemplate`, made once per run
 * whichever setup asks first (an initdb is ~6 s the app project's setup otherwise waited for again);
 * `release` removes it after the last setup that took it has torn down.
 */
export const takeEmbeddedDbTemplate = async (): Promise<{ dir: string; release: () => Promise<void> }> => {
  const taken = (shared[TEMPLATE] ??= { dir: createTemplate(), users: 0 });
  taken.users += 1;
  const dir = await taken.dir;
  const release = async () => {
    taken.users -= 1;
    if (taken.users > 0) return;
    if (shared[TEMPLATE] === taken) delete shared[TEMPLATE];
    await rm(dirname(dir), { recursive: true, force: true });
  };
  return { dir, release };
};

/** The template of a global setup's own consoles: `inject` exists in test files only. */
let setupTemplate: string | undefined;
export const useEmbeddedDbTemplate = (dir: string) => void (setupTemplate = dir);

/**
 * Puts a copy of the template at `dir` (a PGlite data directory that does not exist yet), when there
 * is one; otherwise the first open creates it as usual.
 */
export const seedEmbeddedDb = async (dir: string) => {
  const template = setupTemplate ?? inject('embeddedDbTemplate');
  if (template) await cp(template, dir, { recursive: true });
};

/** The same for a console's DATA_DIR: its database goes where openAuditStore looks for it. */
export const seedConsoleDataDir = (dataDir: string) => seedEmbeddedDb(join(dataDir, EMBEDDED_DB_DIR));

/** A new embedded database at `dir`, opened: the template's copy when there is one. */
export const openFreshPglite = async (dir: string) => {
  await seedEmbeddedDb(dir);
  return openPglite(dir);
};
