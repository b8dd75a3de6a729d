/**
 * wrk (a C load generator, Debian package `wrk`) for bench-proxy.ts: finding it, running it pinned
 * with `taskset`, and reading its report into the figures autocannon's runs give (see `summarize` in
 * bench-lib.ts). wrk takes one core's worth of work away from the servers it measures, where
 * autocannon, a Node process, takes much more and shares their cores.
 *
 * wrk is run with `--latency` (the 50/75/90/99 % latency distribution, from its µs histogram) and
 * without a Lua script, which would slow it down. Its text report gives what the bench needs:
 * requests and Requests/sec, the latency statistics, "Socket errors: connect N, read N, write N,
 * timeout N" and "Non-2xx or 3xx responses: N" (which, despite its wording, counts answers with a
 * status ≥ 400); those two lines appear only when a count is not 0.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { round } from './bench-lib';
import { affinity, type Affinity } from './bench-servers';

/** wrk's own request timeout; autocannon's default is the same 10 s. */
const TIMEOUT_S = 10;
/** One thread: the load generator is pinned to one core, where more threads would only take turns. */
export const WRK_THREADS = 1;

// ---------------------------------------------------------------------------------------------
// Reading wrk's report

export interface WrkReport {
  url: string | null;
  threads: number | null;
  connections: number | null;
  requests: number;
  /** How long wrk actually ran (a little over `-d`), in seconds. */
  duration_s: number;
  bytes_read: number | null;
  requests_per_s: number;
  /** wrk's "Thread Stats" Latency line (over all threads' answers), in ms; null when absent or `nan`. */
  latency_ms: { mean: number | null; stdev: number | null; max: number | null };
  /** The `--latency` distribution in ms, by percentile ("50", "75", "90", "99"); empty without `--latency`. */
  latency_percentiles_ms: Record<string, number>;
  socket_errors: { connect: number; read: number; write: number; timeout: number };
  /** wrk's "Non-2xx or 3xx responses": answers with a status ≥ 400. */
  non_2xx: number;
}

const TIME_UNITS_MS: Record<string, number> = { us: 1e-3, ms: 1, s: 1e3, m: 60e3, h: 3600e3 };
const SIZE_UNITS: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 };

/** A wrk time such as `196.00us`, `1.34ms` or `3.02s`, in ms; null for `nan`/`-nan` or anything else. */
export const wrkTimeMs = (text: string): number | null => {
  const match = /^(\d+(?:\.\d+)?)(us|ms|s|m|h)$/.exec(text.trim());
  return match ? Number(match[1]) * TIME_UNITS_MS[match[2]!]! : null;
};

/**
 * wrk's text report (its standard output), read into numbers. Throws when the lines every run prints
 * (`N requests in T, S read` and `Requests/sec:`) are missing, e.g. when wrk could not connect.
 */
export const parseWrkOutput = (text: string): WrkReport => {
  const lines = text.split(/\r?\n/);
  const find = (pattern: RegExp) => {
    for (const line of lines) {
      const match = pattern.exec(line);
      if (match) return match;
    }
    return null;
  };
  const totals = find(/^\s*(\d+) requests in (\S+), (\d+(?:\.\d+)?)(B|KB|MB|GB|TB) read\s*$/);
  const rate = find(/^Requests\/sec:\s*(\d+(?:\.\d+)?)\s*$/);
  if (!totals || !rate) throw new Error(`Not a wrk report (no "N requests in" or "Requests/sec:" line):\n${text.trim().slice(0, 1000)}`);
  const duration = wrkTimeMs(totals[2]!);
  if (duration === null) throw new Error(`wrk reported a duration it did not express in time units: "${totals[2]}"`);

  const running = find(/^Running \S+ test @ (\S+)\s*$/);
  const shape = find(/^\s*(\d+) threads? and (\d+) connections?\s*$/);
  const latency = find(/^\s*Latency\s+(\S+)\s+(\S+)\s+(\S+)\s+\S+\s*$/);
  const socket = find(/^\s*Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)\s*$/);
  const non2xx = find(/^\s*Non-2xx or 3xx responses: (\d+)\s*$/);

  const percentilesMs: Record<string, number> = {};
  const distribution = lines.findIndex((line) => /^\s*Latency Distribution\s*$/.test(line));
  if (distribution >= 0) {
    for (const line of lines.slice(distribution + 1)) {
      const match = /^\s*(\d+(?:\.\d+)?)%\s+(\S+)\s*$/.exec(line);
      if (!match) break;
      const ms = wrkTimeMs(match[2]!);
      if (ms !== null) percentilesMs[String(Number(match[1]))] = round(ms, 5);
    }
  }
  const ms = (value: string | undefined) => {
    const parsed = value === undefined ? null : wrkTimeMs(value);
    return parsed === null ? null : round(parsed, 5);
  };
  return {
    url: running?.[1] ?? null,
    threads: shape ? Number(shape[1]) : null,
    connections: shape ? Number(shape[2]) : null,
    requests: Number(totals[1]),
    duration_s: round(duration / 1000, 3),
    bytes_read: Math.round(Number(totals[3]) * SIZE_UNITS[totals[4]!]!),
    requests_per_s: Number(rate[1]),
    latency_ms: { mean: ms(latency?.[1]), stdev: ms(latency?.[2]), max: ms(latency?.[3]) },
    latency_percentiles_ms: percentilesMs,
    socket_errors: {
      connect: Number(socket?.[1] ?? 0),
      read: Number(socket?.[2] ?? 0),
      write: Number(socket?.[3] ?? 0),
      timeout: Number(socket?.[4] ?? 0),
    },
    non_2xx: Number(non2xx?.[1] ?? 0),
  };
};

// ---------------------------------------------------------------------------------------------
// Finding and running wrk

/** The first executable called `name` on PATH, or undefined. */
export const findExecutable = async (name: string): Promise<string | undefined> => {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const file = join(dir, name);
    if (
      await access(file, constants.X_OK).then(
        () => true,
        () => false,
      )
    )
      return file;
  }
  return undefined;
};

const output = async (file: string, args: string[]) => {
  const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve, reject) => child.once('error', reject).once('close', resolve));
  return { code, text };
};

/** wrk on PATH and its version (`wrk -v` prints it, then its usage, and exits 1), or undefined. */
export const findWrk = async () => {
  const path = await findExecutable('wrk');
  if (!path) return undefined;
  const { text } = await output(path, ['-v']);
  return { path, version: /^wrk (\S+)/m.exec(text)?.[1] ?? 'unknown' };
};

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGINT');
});

export interface WrkRunOptions {
  wrk: string;
  /** Pinned with `taskset -c <cpus>` when given (taskset at `taskset`). */
  pin?: { taskset: string; cpus: string };
  url: string;
  headers: Record<string, string>;
  connections: number;
  duration: number;
}

export interface WrkRun {
  report: WrkReport;
  /** Where wrk's threads were allowed to run, read from /proc shortly after it started. */
  affinity: Affinity | null;
}

/** wrk's arguments; `redact` replaces header values (session cookies, keys) by `…`, for the results file. */
export const wrkArgs = ({ url, headers, connections, duration }: Omit<WrkRunOptions, 'wrk' | 'pin'>, redact = false) => [
  `-t${Math.min(WRK_THREADS, connections)}`,
  `-c${connections}`,
  `-d${duration}s`,
  `--timeout`,
  `${TIMEOUT_S}s`,
  '--latency',
  // wrk takes a header as "Name: value", split at the first colon followed by a space.
  ...Object.entries(headers).flatMap(([name, value]) => ['-H', `${name}: ${redact ? '…' : value}`]),
  url,
];

/** The command line a run uses (header values redacted). */
export const wrkCommand = (options: WrkRunOptions) =>
  [...(options.pin ? ['taskset', '-c', options.pin.cpus] : []), 'wrk', ...wrkArgs(options, true)]
    .map((arg) => (/[\s;'"…]/.test(arg) ? `'${arg}'` : arg))
    .join(' ');

/** One wrk run; Ctrl-C stops it early (wrk then still prints its report). Rejects when wrk fails. */
export const runWrk = async (options: WrkRunOptions): Promise<WrkRun> => {
  const args = wrkArgs(options);
  const [file, argv] = options.pin ? [options.pin.taskset, ['-c', options.pin.cpus, options.wrk, ...args]] : [options.wrk, args];
  const child = spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  const stop = () => child.kill('SIGINT');
  process.once('SIGINT', stop);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  // taskset has pinned itself and exec'd wrk (same pid) well before this; wrk's thread inherits the mask.
  let seen: Promise<Affinity | null> = Promise.resolve(null);
  const timer = setTimeout(() => (seen = affinity(child.pid!)), Math.min(300, (options.duration * 1000) / 4));
  try {
    const code = await new Promise<number | null>((resolve, reject) => child.once('error', reject).once('close', resolve));
    if (code !== 0) throw new Error(`wrk exited with ${code}: ${`${stderr}${stdout}`.trim().slice(0, 1000)}`);
    return { report: parseWrkOutput(stdout), affinity: await seen };
  } finally {
    clearTimeout(timer);
    process.off('SIGINT', stop);
    running.delete(child);
  }
};

// ---------------------------------------------------------------------------------------------

const perRequest = (cpuUs: number | undefined, requests: number) => (cpuUs === undefined || requests === 0 ? null : round(cpuUs / requests, 1));

/** One wrk run's figures: the keys of bench-lib's `summarize` that bench-proxy reports, from wrk's report. */
export const summarizeWrk = ({ report, affinity: seen }: WrkRun, cpu: { targetUs?: number; sandboxUs: number; upstreamRequests: number }) => {
  const percentile = (p: number) => report.latency_percentiles_ms[String(p)] ?? null;
  const { connect, read, write, timeout } = report.socket_errors;
  return {
    connections: report.connections,
    threads: report.threads,
    duration_s: report.duration_s,
    // wrk's Requests/sec: all answers over the run's length (autocannon's is the mean of per-second counts).
    requests_per_s_mean: round(report.requests_per_s),
    // From wrk's histogram (µs resolution).
    latency_p50_ms: percentile(50),
    latency_p75_ms: percentile(75),
    latency_p90_ms: percentile(90),
    latency_p99_ms: percentile(99),
    latency_max_ms: report.latency_ms.max,
    wrk_latency_ms: report.latency_ms,
    total_requests: report.requests,
    upstream_requests: cpu.upstreamRequests,
    target_cpu_us_per_request: perRequest(cpu.targetUs, report.requests),
    sandbox_cpu_us_per_request: perRequest(cpu.sandboxUs, report.requests),
    // wrk counts answers with a status ≥ 400 ("Non-2xx or 3xx responses").
    non_2xx: report.non_2xx,
    errors: connect + read + write + timeout,
    socket_errors: report.socket_errors,
    timeouts: timeout,
    load_generator_cpus_allowed_list: seen?.cpus_allowed_list ?? null,
  };
};
