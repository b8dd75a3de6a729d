/**
 * What the benchmark scripts share: argument checks, an autocannon run that keeps every answer's own
 * timing, nearest-rank percentiles over those timings, and writing results to `bench-results/`.
 */
import { parseArgs } from 'node:util';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

export const RESULTS_DIR = fileURLToPath(new URL('../bench-results/', import.meta.url));

/** A whole number from `min` to `max`, or an error naming the option and showing `usage`. */
export const wholeNumber = (name: string, raw: string, min: number, max: number, usage: string): number => {
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new Error(`--${name} must be a whole number from ${min} to ${max} (got "${raw}")\n${usage}`);
  }
  return value;
};

export const positiveInt = (name: string, raw: string, max: number, usage: string): number => wholeNumber(name, raw, 1, max, usage);

/**
 * The options every load bench takes: `--duration` (s), `--connections`, `--help`, plus its own boolean
 * flags and its own string options (`strings`: name → default, read raw for the bench to check);
 * `defaults` are the duration and connections when not given (10 and 10 unless said).
 */
export const readLoadOptions = <Flag extends string, Text extends string = never>(
  usage: string,
  flags: readonly Flag[] = [],
  defaults: { duration?: number; connections?: number } = {},
  strings: Record<Text, string> = {} as Record<Text, string>,
) => {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      duration: { type: 'string', default: String(defaults.duration ?? 10) },
      connections: { type: 'string', default: String(defaults.connections ?? 10) },
      help: { type: 'boolean', short: 'h', default: false },
      ...Object.fromEntries(flags.map((flag) => [flag, { type: 'boolean', default: false }])),
      ...Object.fromEntries(Object.entries<string>(strings).map(([name, value]) => [name, { type: 'string', default: value }])),
    },
    strict: true,
    allowPositionals: false,
  });
  const read = values as Record<string, string | boolean>;
  return {
    flags: Object.fromEntries(flags.map((flag) => [flag, read[flag] === true])) as Record<Flag, boolean>,
    strings: Object.fromEntries(Object.keys(strings).map((name) => [name, String(read[name])])) as Record<Text, string>,
    help: read.help === true,
    duration: positiveInt('duration', String(read.duration), 3600, usage),
    connections: positiveInt('connections', String(read.connections), 10_000, usage),
  };
};

export const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/** The middle value (the mean of the two middle ones for an even count); NaN for none. */
export const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length === 0 ? NaN : sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

export interface RunOutcome {
  result: autocannon.Result;
  /** Every 2xx answer's latency in fractional milliseconds, sorted ascending. */
  latencies: Float64Array;
}

/**
 * Runs autocannon and also keeps every 2xx answer's latency (fractional ms, sorted), since its own
 * histogram records whole milliseconds and a local server answers well under one. Ctrl-C stops it.
 */
export const run = (options: autocannon.Options) =>
  new Promise<RunOutcome>((resolve, reject) => {
    let latencies = new Float64Array(1 << 16);
    let count = 0;
    const stop = () => instance.stop();
    const instance = autocannon(options, (error: unknown, result) => {
      process.off('SIGINT', stop);
      if (error) reject(error instanceof Error ? error : new Error(String(error)));
      else resolve({ result, latencies: latencies.subarray(0, count).sort() });
    });
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode < 200 || statusCode > 299) return;
      if (count === latencies.length) {
        const grown = new Float64Array(latencies.length * 2);
        grown.set(latencies);
        latencies = grown;
      }
      latencies[count++] = responseTime;
    });
    process.once('SIGINT', stop);
  });

/** Nearest-rank percentiles (3 decimals) over sorted latencies; null when there are none. */
export const percentiles = (latencies: Float64Array) => {
  const at = (index: number) => (latencies.length > 0 ? round(latencies[Math.max(0, Math.min(latencies.length - 1, index))]!, 3) : null);
  return {
    at,
    percentile: (p: number) => at(Math.ceil((p / 100) * latencies.length) - 1),
    max: () => at(latencies.length - 1),
  };
};

/** A file-name-safe stamp of an instant, e.g. `2026-11-25T12-36-04-668Z`. */
export const fileStamp = (date: Date) => date.toISOString().replace(/[:.]/g, '-');

/** Writes `bench-results/<name>` as pretty JSON and returns its path. */
export const writeResults = async (name: string, figures: unknown): Promise<string> => {
  await mkdir(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, name);
  await writeFile(file, `${JSON.stringify(figures, null, 2)}\n`);
  return file;
};

const perRequest = (cpuUs: number | undefined, requests: number) => (cpuUs === undefined || requests === 0 ? null : round(cpuUs / requests, 1));

/** One autocannon run's figures, with the CPU each process spent per answered request. */
export const summarize = ({ result, latencies }: RunOutcome, cpu: { targetUs?: number; sandboxUs: number; upstreamRequests: number }) => {
  const { percentile, max } = percentiles(latencies);
  return {
    connections: result.connections,
    duration_s: result.duration,
    requests_per_s_mean: round(result.requests.mean),
    // From each 2xx answer's own timing (autocannon's histogram keeps whole milliseconds only).
    latency_p50_ms: percentile(50),
    latency_p90_ms: percentile(90),
    latency_p99_ms: percentile(99),
    latency_max_ms: max(),
    autocannon_latency_ms: { p50: result.latency.p50, p99: result.latency.p99, mean: round(result.latency.average), max: result.latency.max },
    total_requests: result.requests.total,
    status_codes: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, stats]) => [code, stats.count ?? 0])),
    upstream_requests: cpu.upstreamRequests,
    // CPU per answered request: less sensitive to a busy machine than req/s.
    target_cpu_us_per_request: perRequest(cpu.targetUs, result.requests.total),
    sandbox_cpu_us_per_request: perRequest(cpu.sandboxUs, result.requests.total),
    non_2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
};

let interrupted = false;

/** Throws once Ctrl-C was pressed: the bench stops between runs (a run itself is stopped by `run`). */
export const checkInterrupted = () => {
  if (interrupted) throw new Error('Interrupted.');
};

/**
 * Runs a bench's `main` and sets the exit code: its own, or 1 with the error's message when it
 * throws (130 after Ctrl-C). Ctrl-C meanwhile only marks the bench interrupted, so its servers are
 * still stopped in order.
 */
export const runBench = (main: () => Promise<number>) => {
  const onSigint = () => {
    interrupted = true;
  };
  process.on('SIGINT', onSigint);
  main()
    .then(
      (code) => {
        process.exitCode = code;
      },
      (error: unknown) => {
        console.error(error instanceof Error ? error.message : error);
        process.exitCode = interrupted ? 130 : 1;
      },
    )
    .finally(() => process.off('SIGINT', onSigint));
};
