// bench-wrk.ts reads wrk's text report into bench-proxy's figures. The reports below are real ones,
// captured from wrk 4.1.0 (Debian) on this project's machine: against the console (signed in, then
// without its cookie: all 401s), against small Node servers (one that answers 404 to every 100th
// request and drops every 1000th connection), and wrk failing to connect.
import { describe, expect, it } from 'vitest';
import { parseCpuList, pinnedTo } from './bench-servers';
import { parseWrkOutput, summarizeWrk, wrkArgs, wrkCommand, wrkTimeMs } from './bench-wrk';

const CONSOLE_10_CONNECTIONS = `Running 3s test @ http://127.0.0.1:33255/api/payout/wallet/usr_f118b8cd-e08e-4324-a731-83d21022e453
  1 threads and 10 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     6.03ms    7.48ms  64.92ms   91.21%
    Req/Sec     2.25k     1.53k    5.11k    73.33%
  Latency Distribution
     50%    3.61ms
     75%    7.38ms
     90%   12.63ms
     99%   42.11ms
  6923 requests in 3.08s, 7.20MB read
Requests/sec:   2250.51
Transfer/sec:      2.34MB
`;

const CONSOLE_1_CONNECTION = `Running 3s test @ http://127.0.0.1:33255/api/payout/wallet/usr_f118b8cd-e08e-4324-a731-83d21022e453
  1 threads and 1 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     0.89ms    2.59ms  37.67ms   95.75%
    Req/Sec     2.56k   399.40     3.26k    70.00%
  Latency Distribution
     50%  297.00us
     75%  408.00us
     90%    1.74ms
     99%   13.69ms
  7715 requests in 3.03s, 8.03MB read
Requests/sec:   2545.22
Transfer/sec:      2.65MB
`;

const CONSOLE_WITHOUT_COOKIE = `Running 2s test @ http://127.0.0.1:33255/api/payout/wallet/usr_f118b8cd-e08e-4324-a731-83d21022e453
  1 threads and 10 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.59ms    1.75ms  23.59ms   87.09%
    Req/Sec     8.30k     2.22k   13.36k    75.00%
  Latency Distribution
     50%  847.00us
     75%    2.08ms
     90%    3.83ms
     99%    7.83ms
  16538 requests in 2.00s, 11.02MB read
  Non-2xx or 3xx responses: 16538
Requests/sec:   8254.02
Transfer/sec:      5.50MB
`;

const ERRORS_AND_404S = `Running 3s test @ http://127.0.0.1:18082/
  1 threads and 10 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    38.59ms   81.68ms 462.02ms   90.33%
    Req/Sec     2.01k     2.63k   11.50k    87.50%
  Latency Distribution
     50%    4.05ms
     75%   34.03ms
     90%  116.31ms
     99%  411.33ms
  5527 requests in 3.13s, 1.00MB read
  Socket errors: connect 0, read 6, write 0, timeout 0
  Non-2xx or 3xx responses: 55
Requests/sec:   1765.85
Transfer/sec:    328.67KB
`;

const REFUSED = 'unable to connect to 127.0.0.1:18099 Connection refused\n';

describe('parseWrkOutput', () => {
  it('reads a clean run: requests, rate, latency statistics and distribution, in ms', () => {
    expect(parseWrkOutput(CONSOLE_10_CONNECTIONS)).toEqual({
      url: 'http://127.0.0.1:33255/api/payout/wallet/usr_f118b8cd-e08e-4324-a731-83d21022e453',
      threads: 1,
      connections: 10,
      requests: 6923,
      duration_s: 3.08,
      bytes_read: Math.round(7.2 * 1024 * 1024),
      requests_per_s: 2250.51,
      latency_ms: { mean: 6.03, stdev: 7.48, max: 64.92 },
      latency_percentiles_ms: { '50': 3.61, '75': 7.38, '90': 12.63, '99': 42.11 },
      socket_errors: { connect: 0, read: 0, write: 0, timeout: 0 },
      non_2xx: 0,
    });
  });

  it('converts microseconds (one connection answers well under a millisecond)', () => {
    const report = parseWrkOutput(CONSOLE_1_CONNECTION);
    expect(report.connections).toBe(1);
    expect(report.latency_percentiles_ms).toEqual({ '50': 0.297, '75': 0.408, '90': 1.74, '99': 13.69 });
    expect(report.latency_ms.mean).toBe(0.89);
  });

  it('reads "Non-2xx or 3xx responses" (the console without its session cookie: every answer a 401)', () => {
    const report = parseWrkOutput(CONSOLE_WITHOUT_COOKIE);
    expect(report.requests).toBe(16538);
    expect(report.non_2xx).toBe(16538);
    expect(report.socket_errors).toEqual({ connect: 0, read: 0, write: 0, timeout: 0 });
  });

  it('reads socket errors and non-2xx answers together', () => {
    const report = parseWrkOutput(ERRORS_AND_404S);
    expect(report.socket_errors).toEqual({ connect: 0, read: 6, write: 0, timeout: 0 });
    expect(report.non_2xx).toBe(55);
    expect(report.bytes_read).toBe(Math.round(1.0 * 1024 * 1024));
    expect(report.latency_ms.max).toBe(462.02);
  });

  it('refuses what is not a report, e.g. wrk failing to connect', () => {
    expect(() => parseWrkOutput(REFUSED)).toThrow(/Not a wrk report[\s\S]*Connection refused/);
    expect(() => parseWrkOutput('')).toThrow(/Not a wrk report/);
  });

  it('reads the report without --latency (no distribution) and with a duration in minutes', () => {
    const text = CONSOLE_10_CONNECTIONS.replace(/ {2}Latency Distribution\n(.*%.*\n)+/, '').replace('in 3.08s', 'in 1.00m');
    const report = parseWrkOutput(text);
    expect(report.latency_percentiles_ms).toEqual({});
    expect(report.duration_s).toBe(60);
  });
});

describe('wrkTimeMs', () => {
  it('reads each of wrk time units, and nan as nothing', () => {
    expect(wrkTimeMs('196.00us')).toBeCloseTo(0.196, 9);
    expect(wrkTimeMs('1.34ms')).toBe(1.34);
    expect(wrkTimeMs('3.02s')).toBe(3020);
    expect(wrkTimeMs('1.50m')).toBe(90_000);
    expect(wrkTimeMs('-nan%')).toBeNull();
    expect(wrkTimeMs('nanus')).toBeNull();
  });
});

describe('summarizeWrk', () => {
  it('gives the figures bench-proxy reports: req/s, p50/p99, errors, non-2xx, CPU µs per request', () => {
    const report = parseWrkOutput(ERRORS_AND_404S);
    const figures = summarizeWrk({ report, affinity: null }, { targetUs: 552_700, sandboxUs: 100_000, upstreamRequests: 5400 });
    expect(figures).toMatchObject({
      connections: 10,
      requests_per_s_mean: 1765.85,
      latency_p50_ms: 4.05,
      latency_p99_ms: 411.33,
      latency_max_ms: 462.02,
      total_requests: 5527,
      upstream_requests: 5400,
      target_cpu_us_per_request: 100,
      sandbox_cpu_us_per_request: 18.1,
      non_2xx: 55,
      errors: 6,
      timeouts: 0,
      load_generator_cpus_allowed_list: null,
    });
  });

  it('leaves CPU per request unknown when the process CPU or the requests are unknown', () => {
    const figures = summarizeWrk({ report: parseWrkOutput(CONSOLE_1_CONNECTION), affinity: null }, { sandboxUs: 0, upstreamRequests: 0 });
    expect(figures.target_cpu_us_per_request).toBeNull();
  });
});

describe('wrkArgs', () => {
  const run = { url: 'http://127.0.0.1:1/api/x', headers: { accept: 'application/json', cookie: 'session=a:b; x=y' }, connections: 1, duration: 5 };

  it('passes each header as -H "Name: value", one thread, --latency, and the url last', () => {
    expect(wrkArgs(run)).toEqual([
      '-t1',
      '-c1',
      '-d5s',
      '--timeout',
      '10s',
      '--latency',
      '-H',
      'accept: application/json',
      '-H',
      'cookie: session=a:b; x=y',
      'http://127.0.0.1:1/api/x',
    ]);
  });

  it('shows the pinned command with header values redacted', () => {
    expect(wrkCommand({ ...run, wrk: '/usr/bin/wrk', pin: { taskset: '/usr/bin/taskset', cpus: '0' } })).toBe(
      "taskset -c 0 wrk -t1 -c1 -d5s --timeout 10s --latency -H 'accept: …' -H 'cookie: …' http://127.0.0.1:1/api/x",
    );
  });
});

describe('CPU lists (taskset and /proc)', () => {
  it('parses lists and tells whether every thread is pinned', () => {
    expect(parseCpuList('0-1,4')).toEqual([0, 1, 4]);
    expect(parseCpuList('1')).toEqual([1]);
    const pinned = { pid: 1, command: 'node', cpus_allowed_list: '1', threads: 12, threads_cpus_allowed_lists: ['1'] };
    expect(pinnedTo(pinned, '1')).toBe(true);
    expect(pinnedTo({ ...pinned, threads_cpus_allowed_lists: ['1', '0-1'] }, '1')).toBe(false);
    expect(pinnedTo({ ...pinned, cpus_allowed_list: '0-1' }, '1')).toBe(false);
  });
});
