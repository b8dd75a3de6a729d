// Test support: the real server (`npm start`'s entry point, src/server/main.ts, with `--api-only`) as a
// process of its own, so a test can SIGKILL it and start it again on the same DATA_DIR. It runs the
// source through tsx (no build needed); scripts/production-start.test.ts starts the build itself.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** What the parent's environment must not leak into a server under test. */
const CONSOLE_VARIABLES = [
  'MASSPAY_BASE_URL',
  'MASSPAY_API_KEY',
  'DATABASE_URL',
  'STAFF_FILE',
  'TRUSTED_AUTH_HEADER',
  'TRUSTED_PROXY_IPS',
  'SESSION_SECRET',
  'DEMO_PASSWORD',
  'SANDBOX_API_KEY',
  'SANDBOX_LATENCY_MS',
  'SANDBOX_FAILURE_RATE',
  'SANDBOX_FAIL_NEXT',
  'CHANGE_REASON',
];

export interface ServerProcess {
  proc: ChildProcess;
  baseUrl: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Every server process started and not yet gone, for a test's `afterAll` to kill. */
export const runningServers = new Set<ChildProcess>();

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });

/**
 * Starts the server with `env` on top of the parent's (less the console's own variables) and waits
 * until it listens. PORT=0 would work but main.ts prints the configured port: a free one is picked
 * here, and taken again if another process took it first.
 */
export const startServerProcess = async (env: NodeJS.ProcessEnv, attempt = 1): Promise<ServerProcess> => {
  const port = await freePort();
  const merged: NodeJS.ProcessEnv = { ...process.env };
  for (const name of CONSOLE_VARIABLES) delete merged[name];
  Object.assign(merged, { PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' }, env);
  const proc = spawn(process.execPath, ['--import', 'tsx', MAIN, '--api-only'], { cwd: ROOT, env: merged, stdio: ['ignore', 'pipe', 'pipe'] });
  runningServers.add(proc);
  let output = '';
  proc.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  proc.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('close', (code, signal) => {
      runningServers.delete(proc);
      resolve({ code, signal });
    }),
  );
  const started = await new Promise<boolean>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start within 45 s:\n${output}`)), 45_000);
    proc.stdout!.on('data', () => {
      if (output.includes('listening on')) {
        clearTimeout(timer);
        resolve(true);
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      if (attempt < 3 && output.includes('EADDRINUSE')) resolve(false);
      else reject(new Error(`the server exited (${code ?? signal}) before listening:\n${output}`));
    });
  });
  if (!started) return startServerProcess(env, attempt + 1);
  return { proc, baseUrl: `http://127.0.0.1:${port}`, output: () => output, exited };
};
