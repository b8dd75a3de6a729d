/**
 * The server processes the load benches share (bench-proxy.ts, bench-load.ts): forking
 * bench-proxy-server.ts per role and talking to it over IPC, and nginx as a `proxy_pass` in front of
 * the sandbox. Every child started here is ended when this process exits, whatever happens.
 *
 * Given `cpus` (a `taskset` CPU list such as `1`), a server is started through `taskset -c <cpus>`, so
 * that the process and every thread it ever starts (V8's, libuv's, nginx's workers) run only there,
 * away from the load generator; {@link affinity} reads back where each process's threads may run.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { access, chmod, constants, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildMessage, ParentMessage } from './bench-proxy-server';
import { CLOCK_TICKS_PER_S, processTable, statOf } from './proc-stat';

export const NGINX = '/usr/sbin/nginx';
export const TASKSET = '/usr/bin/taskset';
const SERVER_SCRIPT = fileURLToPath(new URL('./bench-proxy-server.ts', import.meta.url));
const TSX_LOADER = import.meta.resolve('tsx');
// A fresh embedded database (initdb) on a core shared with other work can take well over 30 s.
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 10_000;

// ---------------------------------------------------------------------------------------------
// Child processes: every one is ended at exit, whatever happens.

const children = new Set<ChildProcess>();
process.on('exit', () => {
  // SIGTERM, not SIGKILL: nginx's master then takes its worker down with it.
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
});

const track = (child: ChildProcess) => {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
};

export const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

/** Asks politely (`ask`), then SIGKILLs after a while; resolves once the process is gone. */
const stopChild = async (child: ChildProcess, ask: () => void) => {
  if (exited(child)) return;
  const gone = once(child, 'exit');
  ask();
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  try {
    await gone;
  } finally {
    clearTimeout(timer);
  }
};

export interface ProcessStats {
  /** The sandbox's count of requests that reached its MassPay routes (0 for the other roles). */
  requests: number;
  /** CPU time (user + system) the process has used so far, in microseconds. */
  cpuUs: number;
}

export interface ServerProcess {
  pid: number;
  baseUrl: string;
  apiKey?: string;
  headers?: Record<string, string>;
  stats(): Promise<ProcessStats>;
  /** The console's count of audit-log entries (0 for the other roles). */
  auditEntries(): Promise<number>;
  /** The console's headers after a fresh sign-in (see bench-proxy-server.ts); empty for the other roles. */
  signIn(): Promise<Record<string, string>>;
  stop(): Promise<void>;
}

/**
 * Forks bench-proxy-server.ts with tsx, starts the role and waits for its base URL. With `cpus`, the
 * fork runs `taskset -c <cpus> node …`: taskset pins itself and execs Node, so the pid, the IPC channel
 * and every thread Node starts stay the same process's, on those CPUs.
 */
export const startServerProcess = async (
  start: Extract<ParentMessage, { type: 'start' }>,
  execArgv: readonly string[] = [],
  { cpus }: { cpus?: string } = {},
): Promise<ServerProcess> => {
  const nodeArgs = ['--import', TSX_LOADER, ...execArgv];
  const launch = cpus === undefined ? { execArgv: nodeArgs } : { execPath: TASKSET, execArgv: ['-c', cpus, process.execPath, ...nodeArgs] };
  const child = track(fork(SERVER_SCRIPT, [], { ...launch, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  const ask = <T extends ChildMessage['type']>(message: ParentMessage | undefined, wanted: T) =>
    new Promise<Extract<ChildMessage, { type: T }>>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      const onMessage = (answer: ChildMessage) => {
        if (answer.type === 'failed') {
          done();
          reject(new Error(`The ${start.role} process failed: ${answer.message}`));
        } else if (answer.type === wanted) {
          done();
          resolve(answer as Extract<ChildMessage, { type: T }>);
        }
      };
      const onExit = (code: number | null, signal: string | null) => {
        done();
        reject(new Error(`The ${start.role} process exited (${code ?? signal}) unexpectedly`));
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`The ${start.role} process did not answer "${message?.type ?? 'start'}" within ${START_TIMEOUT_MS} ms`));
      }, START_TIMEOUT_MS);
      child.on('message', onMessage);
      child.once('exit', onExit);
      if (message) child.send(message);
    });

  try {
    const ready = await ask(start, 'ready');
    return {
      pid: child.pid!,
      baseUrl: ready.baseUrl,
      apiKey: ready.apiKey,
      headers: ready.headers,
      stats: async () => {
        const { requests, cpuUs } = await ask({ type: 'stats' }, 'stats');
        return { requests, cpuUs };
      },
      auditEntries: async () => (await ask({ type: 'audit' }, 'audit')).entries,
      signIn: async () => (await ask({ type: 'sign-in' }, 'signed-in')).headers,
      stop: () => stopChild(child, () => (child.connected ? child.send({ type: 'close' } satisfies ParentMessage) : child.kill('SIGTERM'))),
    };
  } catch (error) {
    await stopChild(child, () => child.kill('SIGTERM'));
    throw error;
  }
};

// ---------------------------------------------------------------------------------------------
// nginx

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

/** The pids of `parentPid`'s child processes (Linux /proc). */
const childPids = async (parentPid: number) =>
  [...(await processTable())].filter(([pid, { ppid }]) => ppid === parentPid && pid !== parentPid).map(([pid]) => pid);

/** CPU time (user + system, µs) of nginx's master and its workers, from /proc (Linux); undefined elsewhere. */
export const nginxCpuUs = async (masterPid: number): Promise<number | undefined> => {
  const master = await statOf(masterPid);
  if (!master) return undefined;
  let ticks = master.ticks;
  for (const pid of await childPids(masterPid)) ticks += (await statOf(pid))?.ticks ?? 0;
  return (ticks * 1e6) / CLOCK_TICKS_PER_S;
};

/** CPU time (user + system, µs) a process has used so far, from /proc (Linux); undefined when it is gone or elsewhere. */
export const processCpuUs = async (pid: number): Promise<number | undefined> => {
  const stat = await statOf(pid);
  return stat && (stat.ticks * 1e6) / CLOCK_TICKS_PER_S;
};

/** Resident memory of a process in MiB (whole), from /proc/<pid>/status (null when it is gone or there is no /proc). */
export const residentMb = async (pid: number): Promise<number | null> => {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
  return kb ? Math.round(Number(kb) / 1024) : null;
};

// ---------------------------------------------------------------------------------------------
// CPU affinity (Linux)

/** The CPUs in a list such as `0-1,4` (the format of taskset and of /proc's Cpus_allowed_list). */
export const parseCpuList = (list: string): number[] =>
  list
    .trim()
    .split(',')
    .filter((part) => part !== '')
    .flatMap((part) => {
      const [from, to = from] = part.split('-').map(Number) as [number, number?];
      return Array.from({ length: to - from + 1 }, (_, i) => from + i);
    });

const cpusAllowedOf = async (statusPath: string) => /^Cpus_allowed_list:\s*(\S+)/m.exec(await readFile(statusPath, 'utf8').catch(() => ''))?.[1];

/** The CPUs this process may run on (its own Cpus_allowed_list); undefined where /proc does not tell. */
export const ownCpus = async () => {
  const list = await cpusAllowedOf('/proc/self/status');
  return list === undefined ? undefined : parseCpuList(list);
};

export interface Affinity {
  pid: number;
  /** The process's name (/proc/<pid>/comm). */
  command: string | null;
  /** Its main thread's Cpus_allowed_list (as /proc/<pid>/status shows it); null once it is gone. */
  cpus_allowed_list: string | null;
  /** How many threads it has, and the distinct Cpus_allowed_list of all of them. */
  threads: number;
  threads_cpus_allowed_lists: string[];
}

/** Where a process and each of its threads may run, read from /proc/<pid>/status and /proc/<pid>/task/<tid>/status. */
export const affinity = async (pid: number): Promise<Affinity> => {
  const tids = await readdir(`/proc/${pid}/task`).catch(() => [] as string[]);
  const lists = (await Promise.all(tids.map((tid) => cpusAllowedOf(`/proc/${pid}/task/${tid}/status`)))).filter((list) => list !== undefined);
  return {
    pid,
    command: (await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '')).trim() || null,
    cpus_allowed_list: (await cpusAllowedOf(`/proc/${pid}/status`)) ?? null,
    threads: lists.length,
    threads_cpus_allowed_lists: [...new Set(lists)],
  };
};

/** Whether the process and every thread of it may run on `cpus` only. */
export const pinnedTo = (found: Affinity, cpus: string) => {
  const wanted = parseCpuList(cpus).join(',');
  const same = (list: string) => parseCpuList(list).join(',') === wanted;
  return found.cpus_allowed_list !== null && same(found.cpus_allowed_list) && found.threads_cpus_allowed_lists.every(same);
};

export const nginxVersion = async () => {
  const child = spawn(NGINX, ['-v'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let text = '';
  child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  await once(child, 'close');
  return text.trim().replace(/^nginx version:\s*/, '');
};

/** One worker, upstream keep-alive, `/api/` → the sandbox's root with the key added; all files in `dir`. */
const nginxConf = (port: number, upstream: URL, apiKey: string, keepalive: number) => `# Written by scripts/bench-servers.ts; started with -g 'daemon off;'.
worker_processes 1;
pid nginx.pid;
error_log error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path body_temp;
  proxy_temp_path proxy_temp;
  fastcgi_temp_path fastcgi_temp;
  uwsgi_temp_path uwsgi_temp;
  scgi_temp_path scgi_temp;
  # nginx closes a keep-alive connection after 1000 requests by default (client and upstream side);
  # Node's servers and agents set no such limit, and autocannon counts the reset as an error.
  keepalive_requests 1000000;
  upstream masspay_sandbox {
    server ${upstream.host};
    keepalive ${keepalive};
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:${port};
    location /api/ {
      proxy_pass http://masspay_sandbox/;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Authorization "Bearer ${apiKey}";
    }
  }
}
`;

/**
 * `keepalive`: idle upstream connections each worker keeps (32 unless said; keep it ≥ the client
 * connections). `cpus`: started through `taskset -c <cpus>`, so the master and the workers it forks run there.
 */
export const startNginx = async (upstream: { baseUrl: string; apiKey: string }, { keepalive = 32, cpus }: { keepalive?: number; cpus?: string } = {}) => {
  const dir = await mkdtemp(join(os.tmpdir(), 'masspay-bench-nginx-'));
  // Run as root, nginx's worker is `nobody`: it must be able to reach its temp directories in here.
  await chmod(dir, 0o711);
  const conf = join(dir, 'nginx.conf');
  const port = await freePort();
  await writeFile(conf, nginxConf(port, new URL(upstream.baseUrl), upstream.apiKey, keepalive), { mode: 0o600 });
  const args = ['-c', conf, '-p', `${dir}/`, '-e', join(dir, 'error.log'), '-g', 'daemon off;'];
  const [file, argv] = cpus === undefined ? [NGINX, args] : [TASKSET, ['-c', cpus, NGINX, ...args]];
  const child = track(spawn(file, argv, { stdio: ['ignore', 'ignore', 'pipe'] }));
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const errorLog = async () => {
    const log = await readFile(join(dir, 'error.log'), 'utf8').catch(() => '');
    return `${stderr}${log}`.trim();
  };
  const stop = async () => {
    await stopChild(child, () => child.kill('SIGTERM'));
    const log = await errorLog();
    await rm(dir, { recursive: true, force: true });
    return log;
  };
  return { baseUrl: `http://127.0.0.1:${port}`, child, errorLog, stop };
};

/** Whether taskset is installed (at {@link TASKSET}). */
export const tasksetInstalled = () =>
  access(TASKSET, constants.X_OK).then(
    () => true,
    () => false,
  );

/** Whether nginx is installed (at {@link NGINX}). */
export const nginxInstalled = () =>
  access(NGINX, constants.X_OK).then(
    () => true,
    () => false,
  );

/**
 * nginx in front of `upstream`, handed back once `answers` succeeds against it (retried for 10 s);
 * `stop` adds the tail of nginx's error log, if any, to `notes`.
 */
export const startCheckedNginx = async (
  upstream: { baseUrl: string; apiKey: string },
  { keepalive, cpus, answers, notes }: { keepalive?: number; cpus?: string; answers: (baseUrl: string) => Promise<unknown>; notes: string[] },
) => {
  const nginx = await startNginx(upstream, { keepalive, cpus });
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await answers(nginx.baseUrl);
      break;
    } catch (error) {
      if (!exited(nginx.child) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        continue;
      }
      const log = await nginx.stop();
      throw new Error(`nginx did not come up: ${(error as Error).message}${log ? `\n${log}` : ''}`, { cause: error });
    }
  }
  return {
    baseUrl: nginx.baseUrl,
    cpuUs: () => nginxCpuUs(nginx.child.pid!),
    /** The master's pid, then its workers'. */
    pids: async () => [nginx.child.pid!, ...(await childPids(nginx.child.pid!))],
    stop: async () => {
      const log = await nginx.stop();
      if (log) notes.push(`nginx error log: ${log.slice(-2000)}`);
    },
  };
};
