/**
 * `npm run bench:bulk [-- --samples <n>] [--latency <ms>] [--seed-users <n>] [--approval-policy <policy>] [--unpinned] [--cpu-prof]`:
 * issue 15's budgets for bulk changes, on the console as it runs in production.
 *
 * Starts the standalone sandbox (SANDBOX_SEED_USERS=1000 synthetic payees, 50 ms added to every
 * MassPay request) and the built console on its embedded database (scripts/browser-stack.ts), each in
 * its own process; with taskset and two CPUs, the sandbox on the first and the console on the second
 * (`taskset -c`), this process unpinned. Signed in as an editor (and an admin, who approves a job when
 * `--approval-policy` is other than `off`, the default). The files are built from the sandbox's
 * synthetic seed (scripts/bench-bulk-files.ts). In this order:
 *
 * 1. Memory: a 10,000-row file uploaded and dry-run on the fresh console — its VmRSS (/proc) before
 *    the upload (the median of 3 s idle), the highest of samples every 100 ms until the job is `ready`,
 *    at `ready` and 5 s later (budget: peak − before ≤ 50 MiB). First, so that no earlier work has
 *    grown the heap it would reuse.
 * 2. Dry run: 1,000 rows over 500 wallets (every row meant to be a change), upload → `ready` (≤ 15 s).
 * 3. Responsiveness, idle: the wallet page's API — what its route prefetches (src/app/routes.tsx):
 *    GET the user, their wallets and one wallet's autopay rules, the three at once as the page sends
 *    them — for Ada's USD wallet (no job touches it), `--samples` times one after another.
 * 4. Apply: start → `completed` (≤ 60 s), rows applied / failed; meanwhile the same wallet-page
 *    samples, one after another for as long as the job runs (budget: p95 ≤ 2 × the idle p95).
 *
 * The job's status is polled every 200 ms (the SPA polls every second). For each phase it also gives
 * the CPU each server used (/proc, % of one core) and the console's event-loop delay (its /metrics,
 * prom-client's histogram, reset by each scrape); `--cpu-prof` profiles the console (node --cpu-prof,
 * the profile kept in bench-results/) and gives each phase's top self-time functions (its figures are
 * then somewhat slower). Budgets are reported, not asserted: exit 0 unless something fails. Figures
 * go to bench-results/bulk-<timestamp>.json.
 */
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BULK_ROUTES, bulkJobSchema, bulkUploadAnswerSchema, type BulkJob, type BulkJobStatus } from '../src/api';
import { fileStamp, percentiles, RESULTS_DIR, round, runBench, wholeNumber, writeResults } from './bench-lib';
import { changesFile, largeFile, syntheticWallets } from './bench-bulk-files';
import { ownCpus, processCpuUs, residentMb, tasksetInstalled } from './bench-servers';
import { startBrowserStack, type BrowserStack } from './browser-stack';
import { monotonicUs, readProfile, type ProfileWindow } from './cpu-profile';

const USAGE =
  'Usage: npm run bench:bulk -- [--samples <n>] [--latency <ms>] [--seed-users <n>] [--approval-policy off|all|over:<points>] [--unpinned] [--cpu-prof]';
const BUDGETS = { dryRunS: 15, applyS: 60, memoryGrowthMib: 50, busyP95Ratio: 2 };
const POLL_MS = 200;
const MEMORY_SAMPLE_MS = 100;
const JOB_TIMEOUT_MS = 10 * 60_000;
const ACTION_HEADERS = { 'x-requested-with': 'XMLHttpRequest' };
const METRICS_TOKEN = 'bench-bulk-metrics-token-5c0e9a7d41f2b836';

const readOptions = () => {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      samples: { type: 'string', default: '200' },
      latency: { type: 'string', default: '50' },
      'seed-users': { type: 'string', default: '1000' },
      'approval-policy': { type: 'string', default: 'off' },
      unpinned: { type: 'boolean', default: false },
      'cpu-prof': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  return {
    help: values.help,
    samples: wholeNumber('samples', values.samples, 10, 10_000, USAGE),
    latencyMs: wholeNumber('latency', values.latency, 0, 10_000, USAGE),
    seedUsers: wholeNumber('seed-users', values['seed-users'], 300, 100_000, USAGE),
    approvalPolicy: values['approval-policy'],
    unpinned: values.unpinned,
    cpuProf: values['cpu-prof'],
  };
};

/** The console's HTTP API as one signed-in staff member uses it. */
const apiAs = (consoleUrl: string, cookie: string) => {
  const call = async (method: 'GET' | 'POST', path: string, init: { body?: string; headers?: Record<string, string> } = {}) => {
    const answer = await fetch(`${consoleUrl}${path}`, { method, body: init.body, headers: { accept: 'application/json', cookie, ...init.headers } });
    const text = await answer.text();
    if (!answer.ok) throw new Error(`${method} ${path} answered ${answer.status}: ${text.slice(0, 500)}`);
    return text;
  };
  const jobPath = (route: string, id: string) => route.replace('{id}', id);
  return {
    get: (path: string) => call('GET', path),
    job: async (id: string) => bulkJobSchema.parse(JSON.parse(await call('GET', jobPath(BULK_ROUTES.job, id)))),
    upload: async (name: string, csv: string) => {
      const body = await call('POST', `${BULK_ROUTES.jobs}?name=${encodeURIComponent(name)}`, {
        body: csv,
        headers: { ...ACTION_HEADERS, 'content-type': 'text/csv; charset=utf-8' },
      });
      return bulkUploadAnswerSchema.parse(JSON.parse(body)).id;
    },
    act: (route: string, id: string, body: object = {}) =>
      call('POST', jobPath(route, id), { body: JSON.stringify(body), headers: { ...ACTION_HEADERS, 'content-type': 'application/json' } }),
  };
};
type Api = ReturnType<typeof apiAs>;

const ENDED: readonly BulkJobStatus[] = ['completed', 'cancelled', 'failed', 'rejected'];

/** Polls the job until its status is one of `wanted`; throws when it ends otherwise or takes too long. */
const waitFor = async (api: Api, id: string, wanted: readonly BulkJobStatus[]): Promise<BulkJob> => {
  const deadline = Date.now() + JOB_TIMEOUT_MS;
  for (;;) {
    const job = await api.job(id);
    if (wanted.includes(job.status)) return job;
    if (ENDED.includes(job.status)) throw new Error(`Job ${id} ended ${job.status}${job.error ? `: ${job.error}` : ''}`);
    if (Date.now() > deadline) throw new Error(`Job ${id} still ${job.status} after ${JOB_TIMEOUT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
};

const seconds = (fromMs: number) => round((performance.now() - fromMs) / 1000, 2);

/** VmRSS of `pid` every 100 ms until stopped: the highest seen, and every sample (s since start, MiB). */
const watchMemory = (pid: number) => {
  const started = performance.now();
  const samples: [number, number][] = [];
  const take = async () => {
    const mib = await residentMb(pid);
    if (mib !== null) samples.push([round((performance.now() - started) / 1000, 1), mib]);
  };
  const timer = setInterval(() => void take(), MEMORY_SAMPLE_MS);
  return {
    stop: async () => {
      clearInterval(timer);
      await take();
      const sorted = samples.map(([, mib]) => mib).sort((a, b) => a - b);
      return { peakMib: sorted.at(-1) ?? null, medianMib: sorted[Math.floor(sorted.length / 2)] ?? null, samples };
    },
  };
};

/** VmRSS of an idle process over `ms`: it moves by several MiB as the heap is collected, so one reading is no baseline. */
const idleMemory = async (pid: number, ms: number) => {
  const memory = watchMemory(pid);
  await new Promise((resolve) => setTimeout(resolve, ms));
  const { medianMib, samples } = await memory.stop();
  return { medianMib, minMib: Math.min(...samples.map(([, mib]) => mib)), maxMib: Math.max(...samples.map(([, mib]) => mib)) };
};

/** The wallet page's three API requests, sent at once; each one's time and the slowest's (ms). */
const walletPageSample = async (api: Api, ada: BrowserStack['ada']) => {
  const paths = [`/api/payout/user/${ada.user}`, `/api/payout/wallet/${ada.user}`, `/api/payout/wallet/${ada.user}/${ada.usd}/autopayout`];
  const started = performance.now();
  const requests = await Promise.all(
    paths.map(async (path) => {
      const sent = performance.now();
      await api.get(path);
      return performance.now() - sent;
    }),
  );
  return { page: performance.now() - started, requests };
};

/** Samples one after another, `count` of them or (with `until`) as long as it answers false. */
const sampleWalletPage = async (api: Api, ada: BrowserStack['ada'], count: number, until?: () => boolean) => {
  const pages: number[] = [];
  const requests: number[] = [];
  while (until ? !until() : pages.length < count) {
    const sample = await walletPageSample(api, ada);
    pages.push(sample.page);
    requests.push(...sample.requests);
  }
  const summary = (values: number[]) => {
    const { percentile, max } = percentiles(Float64Array.from(values).sort());
    return { p50_ms: percentile(50), p95_ms: percentile(95), max_ms: max() };
  };
  return { samples: pages.length, requests: requests.length, request: summary(requests), page: summary(pages) };
};

/** The console's /metrics (prom-client's process metrics): `read(name)` is a metric's value without labels, or null. */
const consoleMetrics = async (consoleUrl: string) => {
  const answer = await fetch(`${consoleUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  const text = await answer.text();
  if (!answer.ok) throw new Error(`GET /metrics answered ${answer.status}: ${text.slice(0, 300)}`);
  return (name: string) => {
    const value = new RegExp(`^${name} ([-+.\\deE]+)$`, 'm').exec(text)?.[1];
    return value === undefined ? null : Number(value);
  };
};

/** The console's event-loop delay since the last scrape of its /metrics (prom-client resets the histogram on each). */
const eventLoopDelay = async (consoleUrl: string) => {
  const read = await consoleMetrics(consoleUrl);
  const ms = (name: string) => {
    const seconds = read(`nodejs_eventloop_lag_${name}_seconds`);
    return seconds === null ? null : round(seconds * 1000, 1);
  };
  return { p50_ms: ms('p50'), p99_ms: ms('p99'), max_ms: ms('max') };
};

/** Where the console's memory is, by V8 (MiB): its JS heap, and the memory outside it (buffers, and PGlite's WebAssembly memory when V8 counts it there). */
const heapOf = async (consoleUrl: string) => {
  const read = await consoleMetrics(consoleUrl);
  const mib = (name: string) => {
    const bytes = read(name);
    return bytes === null ? null : round(bytes / 1024 / 1024, 1);
  };
  return {
    heap_used_mib: mib('nodejs_heap_size_used_bytes'),
    heap_total_mib: mib('nodejs_heap_size_total_bytes'),
    external_mib: mib('nodejs_external_memory_bytes'),
  };
};
const describeHeap = (heap: Awaited<ReturnType<typeof heapOf>>) =>
  `JS heap ${heap.heap_used_mib ?? '?'} used of ${heap.heap_total_mib ?? '?'}, external ${heap.external_mib ?? '?'}`;

/** From now until `end()`: the CPU each server used (% of one core), the console's event-loop delay, and the span (for a profile). */
const watchPhase = async (stack: BrowserStack) => {
  await eventLoopDelay(stack.consoleUrl);
  const cpu = async () => ({ console: (await processCpuUs(stack.consolePid)) ?? 0, sandbox: (await processCpuUs(stack.sandboxPid)) ?? 0 });
  const [from, fromUs, fromCpu] = [performance.now(), monotonicUs(), await cpu()];
  return {
    end: async () => {
      const [toUs, toCpu, delay] = [monotonicUs(), await cpu(), await eventLoopDelay(stack.consoleUrl)];
      const elapsedUs = (performance.now() - from) * 1000;
      const percent = (before: number, after: number) => round((100 * (after - before)) / elapsedUs, 0);
      return {
        window: { fromUs, toUs } satisfies ProfileWindow,
        usage: {
          console_cpu_percent: percent(fromCpu.console, toCpu.console),
          sandbox_cpu_percent: percent(fromCpu.sandbox, toCpu.sandbox),
          console_event_loop_delay: delay,
        },
      };
    },
  };
};
type Phase = Awaited<ReturnType<Awaited<ReturnType<typeof watchPhase>>['end']>>;

const describeUsage = ({ usage }: Phase) =>
  `console CPU ${usage.console_cpu_percent} %, sandbox CPU ${usage.sandbox_cpu_percent} % (of one core); console event-loop delay p99 ${usage.console_event_loop_delay.p99_ms ?? '?'} ms, max ${usage.console_event_loop_delay.max_ms ?? '?'} ms`;

const verdict = (value: number | null, budget: number) => (value === null ? 'n/a' : value <= budget ? 'within' : 'OVER');

const main = async (): Promise<number> => {
  const options = readOptions();
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const cpus = await ownCpus();
  const pinned = !options.unpinned && (await tasksetInstalled()) && cpus !== undefined && cpus.length >= 2;
  const pinning = pinned ? { sandbox: String(cpus[0]), console: String(cpus[1]) } : {};
  const wallets = syntheticWallets(options.seedUsers);
  const small = changesFile(wallets, 500);
  const large = largeFile(wallets, 10_000);
  const loadBefore = os.loadavg();

  console.log(
    `Starting the sandbox (${options.seedUsers} synthetic payees, ${options.latencyMs} ms per MassPay request) and the built console` +
      ` (APPROVAL_POLICY=${options.approvalPolicy})${pinned ? `, pinned to CPU ${pinning.sandbox} and ${pinning.console}` : ', unpinned'}…`,
  );
  const stamp = fileStamp(new Date());
  const profileDir = join(RESULTS_DIR, `cpu-bulk-${stamp}`);
  if (options.cpuProf) await mkdir(profileDir, { recursive: true });
  const stack = await startBrowserStack({
    latencyMs: options.latencyMs,
    seedUsers: options.seedUsers,
    roles: ['editor', 'admin'],
    consoleEnv: {
      APPROVAL_POLICY: options.approvalPolicy,
      METRICS_TOKEN,
    },
    consoleNodeArgs: options.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
    cpus: pinning,
  });
  const phases: Record<string, Phase> = {};
  let stopped = false;
  try {
    const editor = apiAs(stack.consoleUrl, await stack.signIn('editor'));
    const admin = options.approvalPolicy === 'off' ? undefined : apiAs(stack.consoleUrl, await stack.signIn('admin'));
    // Warm the console's connections and code paths before anything is measured.
    await sampleWalletPage(editor, stack.ada, 20);

    // 1. Memory for a 10,000-row file.
    console.log(
      `1/4 Memory: uploading ${large.rows} rows over ${large.wallets} wallets (${round(large.csv.length / 1024 / 1024, 2)} MiB) and dry-running them…`,
    );
    const before = await idleMemory(stack.consolePid, 3_000);
    const beforeMib = before.medianMib;
    const heapBefore = await heapOf(stack.consoleUrl);
    const memory = watchMemory(stack.consolePid);
    const largePhase = await watchPhase(stack);
    const largeStarted = performance.now();
    const largeId = await editor.upload('bench-10000.csv', large.csv);
    const largeJob = await waitFor(editor, largeId, ['ready', 'awaiting_approval']);
    const largeSeconds = seconds(largeStarted);
    phases.large_dry_run = await largePhase.end();
    const { peakMib, samples: memorySamples } = await memory.stop();
    const atReadyMib = await residentMb(stack.consolePid);
    const heapAtReady = await heapOf(stack.consoleUrl);
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const settledMib = await residentMb(stack.consolePid);
    const heapSettled = await heapOf(stack.consoleUrl);
    const growthMib = beforeMib === null || peakMib === null ? null : peakMib - beforeMib;

    // 2. Dry run of 1,000 rows over 500 wallets.
    console.log(`2/4 Dry run: ${small.rows} rows over ${small.wallets} wallets…`);
    const dryRunPhase = await watchPhase(stack);
    const dryRunStarted = performance.now();
    const id = await editor.upload('bench-1000.csv', small.csv);
    const dryRun = await waitFor(editor, id, ['ready', 'awaiting_approval']);
    const dryRunSeconds = seconds(dryRunStarted);
    phases.dry_run = await dryRunPhase.end();
    if (admin) {
      await admin.act(BULK_ROUTES.approve, id, { comment: 'bench' });
      await waitFor(editor, id, ['approved']);
    }

    // 3. The wallet page's API, idle (just before the apply, on the same database).
    console.log(`3/4 Wallet page API, idle: ${options.samples} samples…`);
    const idlePhase = await watchPhase(stack);
    const idle = await sampleWalletPage(editor, stack.ada, options.samples);
    phases.idle = await idlePhase.end();

    // 4. Apply, with the wallet page's API sampled meanwhile.
    console.log(`4/4 Apply: ${dryRun.counts.change} changes, the wallet page API sampled while it runs…`);
    let ended = false;
    const applyPhase = await watchPhase(stack);
    const applyStarted = performance.now();
    await editor.act(BULK_ROUTES.start, id);
    const busyRun = sampleWalletPage(editor, stack.ada, 0, () => ended);
    const applied = await waitFor(editor, id, ['completed']).finally(() => {
      ended = true;
    });
    const applySeconds = seconds(applyStarted);
    const busy = await busyRun;
    phases.apply = await applyPhase.end();
    const serverApplySeconds =
      applied.startedAt && applied.finishedAt ? round((Date.parse(applied.finishedAt) - Date.parse(applied.startedAt)) / 1000, 2) : null;
    const ratio = idle.request.p95_ms && busy.request.p95_ms ? round(busy.request.p95_ms / idle.request.p95_ms, 2) : null;
    const loadAfter = os.loadavg();

    const lines: [string, string, string, string][] = [
      [
        `1. Dry run, ${small.rows} rows / ${small.wallets} wallets (upload → ready)`,
        `${dryRunSeconds} s`,
        `≤ ${BUDGETS.dryRunS} s`,
        verdict(dryRunSeconds, BUDGETS.dryRunS),
      ],
      [`2. Apply, ${dryRun.counts.change} changes (start → completed)`, `${applySeconds} s`, `≤ ${BUDGETS.applyS} s`, verdict(applySeconds, BUDGETS.applyS)],
      [
        `3. Console VmRSS growth, ${large.rows}-row file`,
        `${growthMib ?? '?'} MiB`,
        `≤ ${BUDGETS.memoryGrowthMib} MiB`,
        verdict(growthMib, BUDGETS.memoryGrowthMib),
      ],
      [`4. Wallet page API p95 while applying / idle`, `${ratio ?? '?'} ×`, `≤ ${BUDGETS.busyP95Ratio} ×`, verdict(ratio, BUDGETS.busyP95Ratio)],
    ];
    console.log('\nBudgets (issue 15), reported not asserted:');
    for (const [name, value, budget, word] of lines) console.log(`  ${name.padEnd(62)} ${value.padStart(10)}  ${budget.padEnd(10)} ${word}`);
    console.log(
      `\n  Dry run verdicts: ${dryRun.counts.change} change, ${dryRun.counts.noop} no-op, ${dryRun.counts.refused} refused.` +
        `\n  Apply: ${applied.counts.applied} applied, ${applied.counts.failed} failed, ${applied.counts.unknown} unknown, ${applied.counts.outcomeRefused} refused, ${applied.counts.outcomeNoop} no-op; ${serverApplySeconds ?? '?'} s by the job's own started/finished times.` +
        `\n  Memory (MiB): before ${beforeMib ?? '?'} (median of 3 s idle, ${before.minMib}–${before.maxMib}), peak ${peakMib}, at ready ${atReadyMib ?? '?'}, 5 s later ${settledMib ?? '?'}; the ${large.rows}-row dry run took ${largeSeconds} s` +
        ` (${largeJob.counts.change} change, ${largeJob.counts.noop} no-op, ${largeJob.counts.refused} refused).` +
        `\n    V8 (MiB): before ${describeHeap(heapBefore)}; at ready ${describeHeap(heapAtReady)}; 5 s later ${describeHeap(heapSettled)}.` +
        `\n  Wallet page API (GET user, wallets, rules at once), per request p50 / p95 / max ms:` +
        `\n    idle:     ${idle.request.p50_ms} / ${idle.request.p95_ms} / ${idle.request.max_ms} (${idle.samples} samples, page ${idle.page.p50_ms} / ${idle.page.p95_ms} / ${idle.page.max_ms})` +
        `\n    applying: ${busy.request.p50_ms} / ${busy.request.p95_ms} / ${busy.request.max_ms} (${busy.samples} samples, page ${busy.page.p50_ms} / ${busy.page.p95_ms} / ${busy.page.max_ms})` +
        `\n  Usage per phase:` +
        Object.entries(phases)
          .map(([name, phase]) => `\n    ${name.padEnd(14)} ${describeUsage(phase)}`)
          .join('') +
        `\n  Load average (1 min) ${round(loadBefore[0]!)} before, ${round(loadAfter[0]!)} after, on ${os.cpus().length} CPUs shared with other work: figures vary from run to run.`,
    );

    await stack.stop();
    stopped = true;
    const profiles = options.cpuProf ? await readProfiles(profileDir, stack.consolePid, phases) : undefined;
    const file = await writeResults(`bulk-${stamp}.json`, {
      started_at: new Date().toISOString(),
      options,
      pinning: pinned ? { sandbox_cpus: pinning.sandbox, console_cpus: pinning.console, bench: 'unpinned' } : null,
      load_average_1m: { before: round(loadBefore[0]!), after: round(loadAfter[0]!) },
      cpus: os.cpus().length,
      budgets: BUDGETS,
      dry_run: { rows: small.rows, wallets: small.wallets, seconds: dryRunSeconds, counts: dryRun.counts },
      apply: { seconds: applySeconds, server_seconds: serverApplySeconds, counts: applied.counts },
      memory: {
        rows: large.rows,
        wallets: large.wallets,
        file_bytes: large.csv.length,
        dry_run_seconds: largeSeconds,
        counts: largeJob.counts,
        before_mib: beforeMib,
        before_idle_range_mib: [before.minMib, before.maxMib],
        v8: { before: heapBefore, at_ready: heapAtReady, settled_5s: heapSettled },
        peak_mib: peakMib,
        at_ready_mib: atReadyMib,
        settled_5s_mib: settledMib,
        growth_mib: growthMib,
        samples_s_mib: memorySamples,
      },
      wallet_page_api: {
        measured: 'GET user, wallets and one wallet’s autopay rules (the wallet page’s prefetch) sent at once, samples one after another',
        idle,
        applying: busy,
        p95_ratio: ratio,
      },
      usage_per_phase: Object.fromEntries(Object.entries(phases).map(([name, phase]) => [name, { ...phase.usage, monotonic_window_us: phase.window }])),
      console_cpu_profile: profiles ?? null,
    });
    console.log(`\nWritten: ${file}`);
    return 0;
  } finally {
    if (!stopped) await stack.stop();
  }
};

/** The console's profile (written as it exits), summed up over each phase's span; the apply's printed. */
const readProfiles = async (dir: string, pid: number, phases: Record<string, Phase>) => {
  const profiles: Record<string, Awaited<ReturnType<typeof readProfile>>> = {};
  for (const [name, phase] of Object.entries(phases)) profiles[name] = await readProfile(dir, { pid, window: phase.window, top: 12 });
  const apply = profiles.apply;
  if (!apply) {
    console.log(`\n  No CPU profile of the console's process ${pid} in ${dir}.`);
    return profiles;
  }
  console.log(`\n  Console CPU profile while applying (${apply.busy_ms} ms busy; ${apply.file}), top self time:`);
  for (const { name, self_ms, percent } of [...apply.top_packages.slice(0, 8), ...apply.top_functions.slice(0, 12)]) {
    console.log(`    ${`${percent} %`.padStart(7)} ${`${self_ms} ms`.padStart(10)}  ${name}`);
  }
  return profiles;
};

runBench(main);
