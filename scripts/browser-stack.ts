/**
 * The console as the browser scripts (`npm run size`, `bench:first-paint`, `bench:wallet-page`) and the bulk bench
 * load it: the standalone sandbox (fresh temporary DATA_DIR, a fixed key, `latencyMs` per upstream
 * request, `seedUsers` synthetic payees) and the console from the build (scripts/launch.js, built
 * first when stale) proxying to it, both child processes on free ports in their own process groups,
 * each pinned with `taskset -c` when given CPUs, stopped by `stop()` — and at exit or Ctrl-C in any
 * case. One staff member per role asked for; an admin alone by default (the only role that sees every
 * page, `/audit` included).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext } from '@playwright/test';
import type { StaffRole } from '../src/api';
import { hashPassword } from '../src/server/auth/passwords';
import { writeStaffFile } from '../src/server/auth/staff-file';
import { TASKSET } from './bench-servers';
import { launchArgs } from './start-node-args';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const API_KEY = 'browser-stack-sandbox-key-3c9e1f';
const PASSWORD = 'browser-stack-password-8d2a';
const staffOf = (role: StaffRole) => ({ email: `bench-${role}@example.com`, name: `Bench ${role[0]!.toUpperCase()}${role.slice(1)}`, role });
const SIGN_IN_HEADERS = { 'content-type': 'application/json', 'x-requested-with': 'XMLHttpRequest' };

export const freePort = async (): Promise<number> => {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (!address || typeof address === 'string') throw new Error('no free port');
  return address.port;
};

const children = new Set<ChildProcess>();
const signalGroup = (child: ChildProcess, signal: NodeJS.Signals) => {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
};
process.on('exit', () => children.forEach((child) => signalGroup(child, 'SIGTERM')));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

/**
 * `entry`: one of scripts/launch.js's (`main` is `npm start`, with its Node options), in its own process
 * group so that stopping it stops all of it. With `cpus`, through `taskset -c`, which execs Node: the
 * pid stays the server's.
 */
const startChild = (name: string, entry: string, env: Record<string, string>, cpus?: string, nodeArgs: readonly string[] = []) => {
  const argv = [process.execPath, ...launchArgs(entry, nodeArgs)];
  const child = spawn(cpus === undefined ? argv[0]! : TASKSET, cpus === undefined ? argv.slice(1) : ['-c', cpus, ...argv], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.add(child);
  const output: string[] = [];
  const keep = (chunk: Buffer) => output.push(chunk.toString()) > 200 && output.shift();
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return { child, name, output };
};

const stopChild = async (child: ChildProcess) => {
  children.delete(child);
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  signalGroup(child, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
};

const waitReady = async (started: ReturnType<typeof startChild>, url: string, headers: Record<string, string>, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (started.child.exitCode !== null) throw new Error(`${started.name} exited (${started.child.exitCode}):\n${started.output.join('')}`);
    const status = await fetch(url, { headers }).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${started.name} was not ready at ${url} within ${timeoutMs} ms:\n${started.output.join('')}`);
};

const getJson = async <T>(url: string, cookie: string): Promise<T> => {
  const answer = await fetch(url, { headers: { accept: 'application/json', cookie } });
  if (!answer.ok) throw new Error(`GET ${url} answered ${answer.status}: ${await answer.text()}`);
  return (await answer.json()) as T;
};

export interface BrowserStack {
  consoleUrl: string;
  /** The console's process (the build's server runs in the launcher's process). */
  consolePid: number;
  sandboxPid: number;
  /** Ada's user token and her active USD wallet (the seeded payee of DESIGN §3). */
  ada: { user: string; usd: string };
  /** A fresh context (no HTTP cache, no storage) signed in as the first role, with the console as its base URL. */
  signedInContext: (browser: Browser) => Promise<BrowserContext>;
  /** A new session's cookie (`name=value`) for the staff member of `role` (the first role by default). */
  signIn: (role?: StaffRole) => Promise<string>;
  stop: () => Promise<void>;
}

export interface BrowserStackOptions {
  /** SANDBOX_LATENCY_MS: added to every upstream request. */
  latencyMs?: number;
  /** SANDBOX_SEED_USERS: synthetic payees beside the seed's people. */
  seedUsers?: number;
  /** One staff member per role, `bench-<role>@example.com`; the first is who `signedInContext` signs in. */
  roles?: readonly [StaffRole, ...StaffRole[]];
  /** More of the console's environment (APPROVAL_POLICY, …). */
  consoleEnv?: Record<string, string>;
  /** Node's own options for the console's process (`--cpu-prof`, which NODE_OPTIONS does not take). */
  consoleNodeArgs?: readonly string[];
  /** `taskset -c` CPU lists for each process, when it is to be pinned. */
  cpus?: { sandbox?: string; console?: string };
}

export const startBrowserStack = async ({
  latencyMs = 0,
  seedUsers = 0,
  roles = ['admin'],
  consoleEnv = {},
  consoleNodeArgs = [],
  cpus = {},
}: BrowserStackOptions = {}): Promise<BrowserStack> => {
  const sandboxDir = await mkdtemp(join(tmpdir(), 'masspay-browser-sandbox-'));
  const consoleDir = await mkdtemp(join(tmpdir(), 'masspay-browser-console-'));
  const started: ReturnType<typeof startChild>[] = [];
  const stop = async () => {
    await Promise.all(started.map((s) => stopChild(s.child)));
    await rm(sandboxDir, { recursive: true, force: true });
    await rm(consoleDir, { recursive: true, force: true });
  };
  try {
    const [sandboxPort, consolePort] = [await freePort(), await freePort()];
    const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
    const consoleUrl = `http://127.0.0.1:${consolePort}`;
    const sandboxEnv = { SANDBOX_PORT: String(sandboxPort), SANDBOX_HOST: '127.0.0.1', SANDBOX_API_KEY: API_KEY, DATA_DIR: sandboxDir, LOG_LEVEL: 'warn' };
    const sandbox = startChild(
      'sandbox',
      'sandbox',
      { ...sandboxEnv, SANDBOX_LATENCY_MS: String(latencyMs), SANDBOX_SEED_USERS: String(seedUsers) },
      cpus.sandbox,
    );
    started.push(sandbox);
    const staffFile = join(consoleDir, 'staff.json');
    const passwordHash = await hashPassword(PASSWORD);
    await writeStaffFile(
      staffFile,
      roles.map((role) => ({ ...staffOf(role), passwordHash })),
    );
    const server = startChild(
      'console',
      'main',
      {
        PORT: String(consolePort),
        HOST: '127.0.0.1',
        MASSPAY_BASE_URL: sandboxUrl,
        MASSPAY_API_KEY: API_KEY,
        DATA_DIR: consoleDir,
        STAFF_FILE: staffFile,
        LOG_LEVEL: 'warn',
        // Measuring, not serving: a stall of the shared machine (a build beside it) must not shed the page's requests.
        MAX_EVENT_LOOP_DELAY_MS: '0',
        ...consoleEnv,
      },
      cpus.console,
      consoleNodeArgs,
    );
    started.push(server);
    await waitReady(sandbox, `${sandboxUrl}/__sandbox/faults`, { authorization: `Bearer ${API_KEY}` }, 60_000);
    // The first of the two to start may build first (the other waits for it).
    await waitReady(server, `${consoleUrl}/healthz`, {}, 180_000);

    const signIn = async (role: StaffRole = roles[0]) => {
      const answer = await fetch(`${consoleUrl}/auth/login`, {
        method: 'POST',
        headers: SIGN_IN_HEADERS,
        body: JSON.stringify({ email: staffOf(role).email, password: PASSWORD }),
      });
      const cookie = answer.headers.getSetCookie()[0]?.split(';')[0];
      if (answer.status !== 200 || !cookie) throw new Error(`Signing in answered ${answer.status}: ${await answer.text()}`);
      return cookie;
    };
    const cookie = await signIn();
    const found = await getJson<{ user_token: string }>(`${consoleUrl}/api/payout/user/lookup?internal_user_id=ext-1001`, cookie);
    const wallets = await getJson<{ token: string; type: string; currency_code: string; active: boolean }[]>(
      `${consoleUrl}/api/payout/wallet/${found.user_token}`,
      cookie,
    );
    const usd = wallets.find((w) => w.type === 'USER_FUNDS' && w.active && w.currency_code === 'USD');
    if (!usd) throw new Error(`Ada has no active USD wallet: ${JSON.stringify(wallets)}`);

    const signedInContext = async (browser: Browser) => {
      const context = await browser.newContext({ baseURL: consoleUrl });
      const answer = await context.request.post('/auth/login', { headers: SIGN_IN_HEADERS, data: { email: staffOf(roles[0]).email, password: PASSWORD } });
      if (!answer.ok()) throw new Error(`Signing in the browser answered ${answer.status()}`);
      return context;
    };
    return {
      consoleUrl,
      consolePid: server.child.pid!,
      sandboxPid: sandbox.child.pid!,
      ada: { user: found.user_token, usd: usd.token },
      signedInContext,
      signIn,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
};
