/**
 * `npm run bench:sandbox [-- --duration <s>] [-- --connections <n>]`: load-tests the sandbox in-process.
 *
 * Starts a sandbox on an ephemeral loopback port with a fresh temporary DATA_DIR, drives
 * `GET /payout/wallet/<Ada's user token>` with autocannon (default 10 s, 10 connections), prints a
 * short table and writes the same figures to `bench-results/sandbox-<timestamp>.json` (git-ignored).
 * Exits non-zero if any request errored or was answered with a non-2xx status.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { walletListSchema } from '../src/api';
import { createSandbox } from '../src/sandbox/app';
import { SEED_PEOPLE } from '../src/sandbox/seed';
import { fileStamp, percentiles, readLoadOptions, round, run, runBench, writeResults } from './bench-lib';

const USAGE = 'Usage: npm run bench:sandbox -- [--duration <seconds>] [--connections <count>]';

const readOptions = () => readLoadOptions(USAGE);

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
    const { at, percentile } = percentiles(latencies);

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

    const file = await writeResults(`sandbox-${fileStamp(result.start)}.json`, figures);
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

runBench(main);
