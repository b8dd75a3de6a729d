// A real, throwaway PostgreSQL for tests and local runs: `initdb` into a temp dir, start it on a free
// port on 127.0.0.1, create its databases, hand back the first one's URL; `stop()` removes every trace.
// CLI: `tsx scripts/postgres.ts` prints the URL and keeps the server until SIGINT/SIGTERM.
import { execFile, execFileSync } from 'node:child_process';
import { accessSync, constants, chownSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);
const DATABASE = 'masspay_console';

export interface RunningPostgres {
  /** e.g. `postgres://postgres@127.0.0.1:41234/masspay_console` (trust auth, no password). */
  url: string;
  stop(): Promise<void>;
}

const isExecutable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The directory holding both `initdb` and `pg_ctl`: PATH first, then Debian's versioned dirs, newest first. */
export const findPostgresBin = (): string | undefined => {
  const debian = (() => {
    try {
      return readdirSync('/usr/lib/postgresql')
        .filter((version) => /^\d+$/.test(version))
        .sort((a, b) => Number(b) - Number(a))
        .map((version) => `/usr/lib/postgresql/${version}/bin`);
    } catch {
      return [];
    }
  })();
  const onPath = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  return [...onPath, ...debian].find((dir) => isExecutable(join(dir, 'initdb')) && isExecutable(join(dir, 'pg_ctl')));
};

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });

// initdb refuses to run as root, and these machines run everything as root: run the PostgreSQL
// commands as the `postgres` OS user then, in a directory it owns.
const asRoot = process.getuid?.() === 0;
const command = (bin: string, args: string[]): [string, string[]] => (asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args]);
const pgCommand = (bin: string, args: string[]) => run(...command(bin, args));

const waitUntilAccepting = async (url: string, deadline: number) => {
  for (;;) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      await client.end().catch(() => {});
    }
  }
};

/**
 * `port`: a fixed port (e.g. for Playwright's webServer); default, a free one. `databases`: the ones to
 * create (default `masspay_console`); `url` names the first.
 */
export const startPostgres = async ({ port: fixedPort, databases = [DATABASE] }: { port?: number; databases?: string[] } = {}): Promise<RunningPostgres> => {
  const invalid = databases.find((name) => !/^[a-z_][a-z0-9_]*$/.test(name));
  if (databases.length === 0 || invalid !== undefined) throw new Error(`Not a database name to create: ${JSON.stringify(invalid ?? databases)}`);
  const bin = findPostgresBin();
  if (!bin) {
    throw new Error(
      'PostgreSQL binaries (initdb, pg_ctl) were found neither on PATH nor under /usr/lib/postgresql/*/bin: ' +
        "install Debian's `postgresql` package (apt-get install postgresql).",
    );
  }
  const dir = await mkdtemp(join(tmpdir(), 'masspay-pg-'));
  const data = join(dir, 'data');
  const log = join(dir, 'postgres.log');
  if (asRoot) {
    try {
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
      const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
      chownSync(dir, uid, gid);
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw new Error("Running as root, PostgreSQL needs the `postgres` OS user, which is missing: install Debian's `postgresql` package.", { cause: error });
    }
  }
  let started = false;
  const stop = async () => {
    if (started) {
      started = false;
      await pgCommand(join(bin, 'pg_ctl'), ['stop', '-D', data, '-m', 'fast', '-w']).catch(() => {});
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    // --no-sync: a throwaway cluster needs no fsync of its initial files (initdb is much faster).
    await pgCommand(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
    const port = fixedPort ?? (await freePort());
    // The socket goes into the temp dir: the default /var/run/postgresql may not exist or be writable.
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`;
    started = true;
    await pgCommand(join(bin, 'pg_ctl'), ['start', '-D', data, '-l', log, '-w', '-t', '60', '-o', options]);
    const admin = `postgres://postgres@127.0.0.1:${port}/postgres`;
    await waitUntilAccepting(admin, Date.now() + 30_000);
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    try {
      for (const name of databases) await client.query(`CREATE DATABASE ${name}`);
    } finally {
      await client.end();
    }
    return { url: `postgres://postgres@127.0.0.1:${port}/${databases[0]}`, stop };
  } catch (error) {
    const logText = (() => {
      try {
        return readFileSync(log, 'utf8');
      } catch {
        return '';
      }
    })();
    await stop();
    throw new Error(`PostgreSQL did not start: ${(error as Error).message}${logText ? `\n${logText}` : ''}`, { cause: error });
  }
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // `POSTGRES_PORT=5433 npm run postgres`: on that port; otherwise a free one. `POSTGRES_DATABASES=a,b`:
  // those databases instead of masspay_console.
  const running = await startPostgres({
    port: process.env.POSTGRES_PORT ? Number(process.env.POSTGRES_PORT) : undefined,
    databases: process.env.POSTGRES_DATABASES?.split(','),
  });
  console.log(running.url);
  const shutdown = () => {
    void running.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  // Keeps the event loop alive until a signal arrives.
  setInterval(() => {}, 1 << 30);
}
