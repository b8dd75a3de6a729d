/**
 * `npm run bench [-- --duration <s>] [-- --connections <n>]`: load-tests the sandbox in-process.
 *
 * Starts a sandbox on an ephemeral loopback port with a fresh temporary DATA_DIR, drives
 * `GET /payout/wallet/<Ada's user token>` with autocannon (default 10 s, 10 connections), prints a
 * short table and writes the same figures to `bench-results/sandbox-<timestamp>.json` (git-ignored).
 * Exits non-zero if any request errored or was answered with a non-2xx status.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { walletListSchema } from '../src/api';
import { createSandbox } from '../src/sandbox/app';
import { SEED_PEOPLE } from '../src/sandbox/seed';

const USAGE = 'Usage: npm run bench -- [--duration <seconds>] [--connections <count>]';
const RESULTS_DIR = fileURLToPath(new URL('../bench-results/', import.meta.url));

const positiveInt = (name: string, raw: string, max: number): number => {
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new Error(`--${name} must be a whole number from 1 to ${max} (got "${raw}")\n${USAGE}`);
  }
  return value;
};

const readOptions = () => {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      duration: { type: 'string', default: '10' },
      connections: { type: 'string', default: '10' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  return {
    help: values.help,
    duration: positiveInt('duration', values.duration, 3600),
    connections: positiveInt('connections', values.connections, 10_000),
  };
};

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * Runs autocannon and also keeps every 2xx answer's latency (fractional ms, sorted), since its own
 * histogram records whole milliseconds and a local sandbox answers well under one. Ctrl-C stops it.
 */
const run = (options: autocannon.Options) =>
  new Promise<{ result: autocannon.Result; latencies: Float64Array }>((resolve, reject) => {
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

const main = async (): Promise<number> => {
  const options = readOptions();
  if (options.help) {
    console.log(USAGE);
    return 0;
  }

  const dataDir = await mkdtemp(join(tmpdir(), 'masspay-sandbox-bench-'));
  const sandbox = await createSandbox({ dataDir });
  try {
    const baseUrl = await sandbox.listen();
    const path = `/payout/wallet/${SEED_PEOPLE.ada.userToken}`;
    const url = `${baseUrl}${path}`;
    const headers = { authorization: `Bearer ${sandbox.apiKey}`, accept: 'application/json' };

    // One checked request first, so a wrong path or key fails loudly instead of benchmarking 404s.
    const probe = await fetch(url, { headers });
    if (probe.status !== 200) throw new Error(`Probe GET ${path} answered ${probe.status}: ${await probe.text()}`);
    walletListSchema.parse(await probe.json());

    console.log(`Benchmarking GET ${path} on ${baseUrl} for ${options.duration} s with ${options.connections} connections…`);
    const { result, latencies } = await run({ url, method: 'GET', headers, duration: options.duration, connections: options.connections });
    // Nearest rank; null when no answer was a 2xx.
    const at = (index: number) => (latencies.length > 0 ? round(latencies[Math.max(0, Math.min(latencies.length - 1, index))]!, 3) : null);
    const percentile = (p: number) => at(Math.ceil((p / 100) * latencies.length) - 1);

    const figures = {
      route: 'GET /payout/wallet/{user_token}',
      path,
      started_at: result.start.toISOString(),
      duration_s: result.duration,
      connections: result.connections,
      requests_per_s_mean: round(result.requests.mean),
      // From each 2xx answer's own timing (autocannon's histogram keeps whole milliseconds only).
      latency_p50_ms: percentile(50),
      latency_p99_ms: percentile(99),
      latency_max_ms: at(latencies.length - 1),
      autocannon_latency_ms: { p50: result.latency.p50, p99: result.latency.p99, mean: round(result.latency.average), max: result.latency.max },
      total_requests: result.requests.total,
      non_2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      node: process.version,
    };

    const rows: [string, string | number | null][] = [
      ['requests/s (mean)', figures.requests_per_s_mean],
      ['latency p50 (ms)', figures.latency_p50_ms],
      ['latency p99 (ms)', figures.latency_p99_ms],
      ['total requests', figures.total_requests],
      ['non-2xx', figures.non_2xx],
      ['errors', figures.errors],
    ];
    const width = Math.max(...rows.map(([label]) => label.length));
    console.log('');
    for (const [label, value] of rows) console.log(`  ${label.padEnd(width)}  ${String(value ?? 'n/a').padStart(12)}`);
    console.log('');

    await mkdir(RESULTS_DIR, { recursive: true });
    const file = join(RESULTS_DIR, `sandbox-${figures.started_at.replace(/[:.]/g, '-')}.json`);
    await writeFile(file, `${JSON.stringify(figures, null, 2)}\n`);
    console.log(`Wrote ${file}`);

    if (figures.errors > 0 || figures.non_2xx > 0) {
      console.error(`FAILED: ${figures.errors} error(s) and ${figures.non_2xx} non-2xx answer(s).`);
      return 1;
    }
    return 0;
  } finally {
    await sandbox.close();
    await rm(dataDir, { recursive: true, force: true });
  }
};

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
