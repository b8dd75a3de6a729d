// The embedded default: PostgreSQL compiled to WebAssembly, in-process, its files under `dir`.
import { spawn } from 'node:child_process';
import { access, mkdir, open, readFile, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { SqlDb, SqlRunner } from './db';

const runner = (db: PGlite | Transaction): SqlRunner => ({
  query: async <Row>(text: string, params?: unknown[]) => (await db.query<Row>(text, params)).rows,
  exec: async (text) => {
    await db.exec(text);
  },
});

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The data dirs this process has open: a second open here would corrupt them as surely as another process. */
const openHere = new Set<string>();

/**
 * PGlite itself lets two processes open one data dir and corrupt it silently, so a lock file beside it
 * names the process holding it. A lock whose process is gone (e.g. SIGKILLed) is stale and taken over.
 */
const lock = async (dir: string) => {
  const path = `${dir}.lock`;
  if (openHere.has(dir)) throw new Error(`The embedded audit log in ${dir} is already open in this process.`);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      openHere.add(dir);
      return async () => {
        openHere.delete(dir);
        await rm(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(await readFile(path, 'utf8').catch(() => ''));
      // Our own pid can only be a leftover of an earlier process (e.g. PID 1 in a restarted container).
      if (holder > 0 && holder !== process.pid && isAlive(holder)) {
        throw new Error(
          `The embedded audit log in ${dir} is in use by process ${holder}: one server per DATA_DIR ` +
            `(several servers share PostgreSQL via DATABASE_URL). If that process is not a server, delete ${path}.`,
          { cause: error },
        );
      }
      await rm(path, { force: true });
    }
  }
  throw new Error(`Could not take the lock ${path}: another server is starting on the same DATA_DIR.`);
};

/**
 * The console's database is small (the audit log, keys, counters): 16 MB of shared buffers instead of
 * PostgreSQL's 128 MB keeps an idle replica's resident memory near 180 MB instead of 320 MB.
 */
const START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB', '-c', 'wal_buffers=1MB'];

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/**
 * A new data dir is created (initdb) in a short-lived child process: initdb makes PGlite grow its
 * WebAssembly memory to ~860 MB, which a process never gives back. The server then opens the finished
 * directory, as on every later start.
 */
const createInChild = (dir: string) =>
  new Promise<void>((done, fail) => {
    // Run from this module's directory, so that the package resolves as it does here (source or build).
    const code = `const { PGlite } = await import('@electric-sql/pglite');
      const db = await PGlite.create(process.argv[1], { startParams: JSON.parse(process.argv[2]) });
      await db.close();`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', code, dir, JSON.stringify(START_PARAMS)], {
      cwd: dirname(fileURLToPath(import.meta.url)),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('exit', (status) =>
      status === 0 ? done() : fail(new Error(`Creating the embedded database in ${dir} failed (exit ${status}): ${stderr.trim()}`)),
    );
  });

/**
 * Each write reaches the OS through a synchronous `fs.writeSync` before the commit resolves, so a
 * committed row survives the process being killed. `relaxedDurability` would resolve before that:
 * it stays off. (PGlite runs with fsync off and cannot fsync, so an OS crash or power loss may lose
 * the last commits: use PostgreSQL where that matters.)
 */
export const openPglite = async (path: string): Promise<SqlDb> => {
  const dir = resolve(path);
  // PGlite creates the last directory only.
  await mkdir(dirname(dir), { recursive: true });
  const unlock = await lock(dir);
  let db: PGlite;
  try {
    if (!(await exists(join(dir, 'PG_VERSION')))) await createInChild(dir);
    db = await PGlite.create(dir, { relaxedDurability: false, startParams: START_PARAMS });
  } catch (error) {
    await unlock();
    throw error;
  }
  return {
    ...runner(db),
    transaction: (work) => db.transaction((tx) => work(runner(tx))),
    close: async () => {
      await db.close();
      await unlock();
    },
  };
};
