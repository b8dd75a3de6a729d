/**
 * `npm run bench:proxy [-- --duration <s>] [--connections <n>] [--rounds <n>] [--targets a,b] [--cpu-prof] [--autocannon]`:
 * what our proxy costs, side by side with the upstream alone and with other proxies, all against the
 * SAME upstream — one embedded MassPay sandbox (fresh temporary DATA_DIR, fault injection and logger off).
 *
 * The request is `GET <prefix>/payout/wallet/<Ada's user token>`, to:
 * - direct:  the sandbox itself, with `Authorization: Bearer <key>`;
 * - console: our proxy, `buildServer()` from src/server, at `/api/payout/…` (it adds the key), signed in as a viewer,
 *   with `npm start`'s Node options (package.json; the other Node proxies run with Node's defaults);
 * - console-pg: the same on PostgreSQL (DATABASE_URL; a throwaway server started as the tests do, scripts/postgres.ts), if initdb is installed;
 * - node-floor: node:http + the console's own undici client, key added, no checks at all (the least a Node proxy does);
 * - fastify-http-proxy: Fastify + @fastify/http-proxy, key added, no checks (a fast, widely used Node proxy);
 * - nginx:   `proxy_pass` to the sandbox (`worker_processes 1`, upstream keep-alive), if installed;
 * - express: express 5 + http-proxy-middleware 3 with a keep-alive agent.
 *
 * Every server runs in a process of its own (see bench-proxy-server.ts; nginx is one anyway). The load
 * comes from wrk when it is installed (bench-wrk.ts): one wrk thread pinned with `taskset -c` to one
 * core, and every server process (the sandbox, each target's, nginx's master and worker) started
 * through `taskset -c` on another, so that the load generator does not take the servers' CPU; where each
 * process's threads may run is read back from /proc and printed. Without wrk (or with `--autocannon`)
 * autocannon drives the load from this process, sharing every core with the servers, and its caps
 * compress every ratio. The report and the JSON say which generator ran, and how it was pinned.
 * All are started first and warmed up (2 s); then, `--rounds` times, each
 * target in turn (the order rotating by one each round) gets `--duration` s at `--connections`
 * connections and `--duration` s at 1 connection for the unloaded latency, each run preceded by a
 * checked request. Targets never run concurrently. On a small shared machine one run varies by ±20 %,
 * so the report gives each figure's median over the rounds, and the budget ratios per round (each
 * from runs minutes apart at most) as median and range. Besides req/s and latency it records each
 * run's CPU time per request of the answering process (the proxy's; the sandbox's for direct), which
 * varies less from run to run than req/s does. The budgets are also worked out for node-floor and
 * fastify-http-proxy, which do none of the console's checks: what they reach here is what a Node
 * proxy can reach here; the console's throughput is also compared with node-floor's, whose gap is the
 * cost of every check the console makes. Everything is written to `bench-results/proxy-<timestamp>.json` (git-ignored).
 * `--cpu-prof` also profiles the console's process and prints its top self-time functions (its figures
 * are then somewhat lower than unprofiled ones).
 *
 * Exits non-zero if any target had an error or a non-2xx answer. Budgets are reported, not asserted.
 */
import { mkdir, rm, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { browserWalletListSchema } from '../src/api';
import { SEED_PEOPLE } from '../src/sandbox/seed';
import { checkInterrupted, fileStamp, median, positiveInt, readLoadOptions, RESULTS_DIR, round, run, runBench, summarize, writeResults } from './bench-lib';
import {
  affinity,
  nginxInstalled,
  NGINX,
  nginxVersion,
  ownCpus,
  pinnedTo,
  residentMb,
  startCheckedNginx,
  startServerProcess,
  TASKSET,
  tasksetInstalled,
  type Affinity,
  type ProcessStats,
  type ServerProcess,
} from './bench-servers';
import { findWrk, runWrk, summarizeWrk, WRK_THREADS, wrkCommand } from './bench-wrk';
import { findPostgresBin, startPostgres } from './postgres';
import { readProfile } from './cpu-profile';
import { START_NODE_ARGS } from './start-node-args';

const USAGE =
  'Usage: npm run bench:proxy -- [--duration <seconds>] [--connections <count>] [--rounds <count>] [--targets <name,name,…>] [--cpu-prof] [--autocannon]';
const WARMUP_S = 2;

/**
 * Issue 17 item 6: the console idle on a fresh embedded database (its very first start), and on
 * PostgreSQL (`console-pg`, DATABASE_URL), and its growth under load.
 */
const MEMORY_BUDGETS = { consoleIdleMb: 400, consolePgIdleMb: 150, growthMb: 50 };

const BUDGETS = {
  consoleVsNginx: 0.3,
  consoleVsExpress: 3,
  consoleVsNodeFloor: 0.85,
  addedP50Ms: 0.15,
};

const TARGET_NAMES = ['direct', 'console', 'console-pg', 'node-floor', 'fastify-http-proxy', 'nginx', 'express'] as const;
type TargetName = (typeof TARGET_NAMES)[number];
/** The proxies the budgets are worked out for: ours, and two that check nothing, for comparison. */
const BUDGETED: readonly TargetName[] = ['console', 'node-floor', 'fastify-http-proxy'];

const readOptions = () => {
  const { flags, strings, ...options } = readLoadOptions(USAGE, ['cpu-prof', 'autocannon'], { duration: 5 }, { rounds: '3', targets: TARGET_NAMES.join(',') });
  const targets = strings.targets.split(',').map((name) => name.trim());
  const unknown = targets.filter((name) => !(TARGET_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0 || targets.length === 0) throw new Error(`--targets takes names from ${TARGET_NAMES.join(', ')} (got "${strings.targets}")\n${USAGE}`);
  return {
    ...options,
    cpuProf: flags['cpu-prof'],
    forceAutocannon: flags.autocannon,
    rounds: positiveInt('rounds', strings.rounds, 100, USAGE),
    targets: TARGET_NAMES.filter((name) => targets.includes(name)),
  };
};

// ---------------------------------------------------------------------------------------------
// Measuring

interface Target {
  name: TargetName;
  description: string;
  url: string;
  headers: Record<string, string>;
  /** CPU time used so far (µs) by the process that answers: the proxy's, or the sandbox's for direct. */
  cpuUs(): Promise<number | undefined>;
  /** Before each run: the console signs in afresh (see bench-proxy-server.ts), into `headers`. */
  refresh?(): Promise<void>;
  /** Its own server processes (none for direct: the sandbox is listed on its own), for the pinning check. */
  processes(): Promise<{ label: string; pid: number }[]>;
  stop(): Promise<void>;
}

/** One GET that must answer 200 with Ada's 3 wallets, so nothing benchmarks 404s or 401s. */
const probe = async (target: Pick<Target, 'name' | 'url' | 'headers'>) => {
  const response = await fetch(target.url, { headers: target.headers });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${target.name}: GET ${target.url} answered ${response.status}: ${text.slice(0, 500)}`);
  const wallets = browserWalletListSchema.parse(JSON.parse(text));
  if (wallets.length !== 3) throw new Error(`${target.name}: GET ${target.url} answered ${wallets.length} wallets, not Ada's 3`);
};

type RunFigures = ReturnType<typeof summarize> | ReturnType<typeof summarizeWrk>;
type CpuCounts = Parameters<typeof summarize>[1];

/** What drives the load: wrk (pinned when it can be) or autocannon in this process. */
interface LoadGenerator {
  name: 'wrk' | 'autocannon';
  /** One line for the report. */
  description: string;
  /** The CPU list every server process is pinned to (taskset -c), if any. */
  serverCpus?: string;
  /** The CPU list the load generator is pinned to, if any. */
  loadCpus?: string;
  /** For the results file. */
  details: Record<string, unknown>;
  /** One run; answers its figures once given the CPU counts read around it. */
  run(target: Pick<Target, 'url' | 'headers'>, connections: number, duration: number): Promise<(cpu: CpuCounts) => RunFigures>;
}

const autocannonGenerator = (why: string): LoadGenerator => ({
  name: 'autocannon',
  description: `autocannon in the bench's own Node process, unpinned, sharing every core with the servers (${why})`,
  details: { name: 'autocannon', pinned: false, why },
  run: async (target, connections, duration) => {
    const outcome = await run({ url: target.url, method: 'GET', headers: target.headers, duration, connections });
    return (cpu) => summarize(outcome, cpu);
  },
});

/**
 * wrk when installed, pinned to the first CPU this process may use and the servers to the second
 * (`taskset -c 0` and `-c 1` on this 2-core machine); unpinned when taskset or a second CPU is missing;
 * autocannon without wrk or with `--autocannon`.
 */
const chooseGenerator = async (forceAutocannon: boolean): Promise<LoadGenerator> => {
  if (forceAutocannon) return autocannonGenerator('--autocannon given');
  const wrk = await findWrk();
  if (!wrk) return autocannonGenerator('wrk is not installed');
  const taskset = (await tasksetInstalled()) ? TASKSET : undefined;
  const cpus = await ownCpus();
  const [loadCpu, serverCpu] = cpus ?? [];
  const pinned = taskset !== undefined && loadCpu !== undefined && serverCpu !== undefined;
  const pin = pinned ? { taskset, cpus: String(loadCpu) } : undefined;
  const unpinnedWhy = !taskset ? 'taskset is not installed' : 'fewer than 2 CPUs are available to this process';
  const example = wrkCommand({ wrk: wrk.path, pin, url: '<url>', headers: { '<header>': '' }, connections: 10, duration: 5 });
  return {
    name: 'wrk',
    description: pinned
      ? `wrk ${wrk.version}, ${WRK_THREADS} thread, pinned to CPU ${loadCpu} (taskset -c ${loadCpu}); every server process pinned to CPU ${serverCpu} (taskset -c ${serverCpu})`
      : `wrk ${wrk.version}, ${WRK_THREADS} thread, unpinned (${unpinnedWhy})`,
    serverCpus: pinned ? String(serverCpu) : undefined,
    loadCpus: pin?.cpus,
    details: {
      name: 'wrk',
      version: wrk.version,
      path: wrk.path,
      threads: WRK_THREADS,
      pinned,
      ...(pinned ? { load_cpus: String(loadCpu), server_cpus: String(serverCpu) } : { why_unpinned: unpinnedWhy }),
      command_example: example,
    },
    run: async (target, connections, duration) => {
      const outcome = await runWrk({ wrk: wrk.path, pin, url: target.url, headers: target.headers, connections, duration });
      return (cpu) => summarizeWrk(outcome, cpu);
    },
  };
};

interface RoundFigures {
  loaded: RunFigures;
  single: RunFigures;
}

interface TargetFigures {
  description: string;
  url: string;
  warmup?: RunFigures;
  rounds: RoundFigures[];
}

/** One run of the load generator against `target`, with the CPU the answering process and the sandbox spent on it. */
const load = async (
  generator: LoadGenerator,
  target: Target,
  connections: number,
  duration: number,
  sandboxStats: () => Promise<ProcessStats>,
): Promise<RunFigures> => {
  checkInterrupted();
  await target.refresh?.();
  await probe(target);
  const [sandboxBefore, targetBefore] = [await sandboxStats(), await target.cpuUs()];
  const outcome = await generator.run(target, connections, duration);
  const [sandboxAfter, targetAfter] = [await sandboxStats(), await target.cpuUs()];
  const figures = outcome({
    targetUs: targetBefore === undefined || targetAfter === undefined ? undefined : targetAfter - targetBefore,
    sandboxUs: sandboxAfter.cpuUs - sandboxBefore.cpuUs,
    upstreamRequests: sandboxAfter.requests - sandboxBefore.requests,
  });
  checkInterrupted();
  return figures;
};

/** Median, lowest and highest of the values that exist (null when none does). */
const spread = (values: readonly (number | null | undefined)[]) => {
  const known = values.filter((value): value is number => value !== null && value !== undefined);
  if (known.length === 0) return null;
  return { median: round(median(known), 3), min: round(Math.min(...known), 3), max: round(Math.max(...known), 3) };
};
type Spread = ReturnType<typeof spread>;

/** A target's figures over the rounds: the median of each. */
const medians = (figures: TargetFigures) => {
  const of = (pick: (round: RoundFigures) => number | null | undefined) => spread(figures.rounds.map(pick));
  const runs = [...(figures.warmup ? [figures.warmup] : []), ...figures.rounds.flatMap((r) => [r.loaded, r.single])];
  return {
    requests_per_s: of((r) => r.loaded.requests_per_s_mean),
    latency_p50_ms: of((r) => r.loaded.latency_p50_ms),
    latency_p99_ms: of((r) => r.loaded.latency_p99_ms),
    single_latency_p50_ms: of((r) => r.single.latency_p50_ms),
    cpu_us_per_request: of((r) => r.loaded.target_cpu_us_per_request),
    single_cpu_us_per_request: of((r) => r.single.target_cpu_us_per_request),
    non_2xx: runs.reduce((sum, r) => sum + r.non_2xx, 0),
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
  };
};

// ---------------------------------------------------------------------------------------------

const fmt = (value: number | null | undefined, digits = 3) => (value === null || value === undefined ? 'n/a' : value.toFixed(digits));
const fmtSpread = (value: Spread, digits = 3) => (value ? `${fmt(value.median, digits)} (${fmt(value.min, digits)}–${fmt(value.max, digits)})` : 'n/a');

const main = async (): Promise<number> => {
  const options = readOptions();
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const startedAt = new Date();
  const stamp = fileStamp(startedAt);

  const token = SEED_PEOPLE.ada.userToken;
  const path = `/payout/wallet/${token}`;
  const accept = { accept: 'application/json' };
  const generator = await chooseGenerator(options.forceAutocannon);
  const serverCpus = generator.serverCpus;
  const notes: string[] = [
    generator.name === 'autocannon'
      ? `${os.cpus().length} CPU core(s), shared by autocannon (this process), the sandbox (one Node process) and the proxy under test; targets run one after another.`
      : generator.serverCpus
        ? `${os.cpus().length} CPU core(s): wrk alone on CPU ${generator.loadCpus}; the sandbox and the proxy under test share CPU ${serverCpus}; this bench's own Node process (idle during runs) is not pinned; targets run one after another.`
        : `${os.cpus().length} CPU core(s), shared by wrk, the sandbox and the proxy under test (not pinned); targets run one after another.`,
    'nginx runs with worker_processes 1; the console is one Node process (one event loop), and so are the other Node proxies and the sandbox.',
    ...(generator.name === 'wrk'
      ? ['wrk counts as "non-2xx" the answers with a status ≥ 400 (its "Non-2xx or 3xx responses"); each run is preceded by one checked 200 answer.']
      : []),
  ];
  const pinning: Record<'after_warmup' | 'after_rounds', { label: string; affinity: Affinity; pinned: boolean | null }[]> = {
    after_warmup: [],
    after_rounds: [],
  };
  const skipped: Partial<Record<TargetName, string>> = {};
  const results: Partial<Record<TargetName, TargetFigures>> = {};
  let consoleProfile: Awaited<ReturnType<typeof readProfile>>;
  let nginxVersionText: string | undefined;

  const dataDir = await mkdtemp(join(os.tmpdir(), 'masspay-proxy-bench-'));
  let sandbox: ServerProcess | undefined;
  const running: Target[] = [];
  const memory: { label: string; pid: number; idleMb: number | null; afterLoadMb: number | null }[] = [];
  try {
    sandbox = await startServerProcess({ type: 'start', role: 'sandbox', dataDir }, [], { cpus: serverCpus });
    const upstream = { baseUrl: sandbox.baseUrl, apiKey: sandbox.apiKey! };
    const sandboxStats = () => sandbox!.stats();
    console.log(`Sandbox (upstream for every target) on ${upstream.baseUrl}, data in ${dataDir}.`);

    /** A Node proxy of bench-proxy-server.ts in its own process, at `/api`. */
    const nodeProxy = async (
      name: 'console' | 'console-pg' | 'node-floor' | 'fastify-http-proxy' | 'express',
      description: string,
      execArgv: readonly string[] = [],
      databaseUrl?: string,
    ): Promise<Target> => {
      const message =
        name === 'console' || name === 'console-pg'
          ? { type: 'start' as const, role: 'console' as const, upstream, databaseUrl }
          : { type: 'start' as const, role: name, upstream };
      const server = await startServerProcess(message, execArgv, { cpus: serverCpus });
      const target: Target = {
        name,
        description,
        url: `${server.baseUrl}/api${path}`,
        headers: { ...accept, ...server.headers },
        cpuUs: async () => (await server.stats()).cpuUs,
        // Only the console signs in (its `signIn` answers no headers elsewhere).
        refresh: async () => void Object.assign(target.headers, await server.signIn()),
        processes: async () => [{ label: name, pid: server.pid }],
        stop: () => server.stop(),
      };
      return target;
    };

    const starters: Record<TargetName, () => Promise<Target | string>> = {
      direct: async () => ({
        name: 'direct',
        description: 'the sandbox itself',
        url: `${upstream.baseUrl}${path}`,
        headers: { ...accept, authorization: `Bearer ${upstream.apiKey}` },
        cpuUs: async () => (await sandboxStats()).cpuUs,
        processes: async () => [],
        stop: async () => {},
      }),
      console: async () => {
        const profileDir = join(RESULTS_DIR, `cpu-console-${stamp}`);
        if (options.cpuProf) await mkdir(profileDir, { recursive: true });
        const target = await nodeProxy(
          'console',
          "our proxy: buildServer() from src/server (Fastify + undici Pool), one Node process with npm start's Node options, signed in (session cookie checked on every request)",
          [...START_NODE_ARGS, ...(options.cpuProf ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [])],
        );
        const stop = target.stop;
        target.stop = async () => {
          await stop();
          if (options.cpuProf) consoleProfile = await readProfile(profileDir);
        };
        return target;
      },
      // The console with DATABASE_URL: a throwaway PostgreSQL (scripts/postgres.ts, as the tests start one), not pinned.
      'console-pg': async () => {
        if (!findPostgresBin()) return 'initdb and pg_ctl are not installed';
        const postgres = await startPostgres();
        try {
          const target = await nodeProxy(
            'console-pg',
            'our proxy, as console, on PostgreSQL (DATABASE_URL) instead of the embedded database',
            START_NODE_ARGS,
            postgres.url,
          );
          const stop = target.stop;
          target.stop = async () => {
            await stop();
            await postgres.stop();
          };
          return target;
        } catch (error) {
          await postgres.stop();
          throw error;
        }
      },
      'node-floor': () => nodeProxy('node-floor', "node:http + the console's undici client (createUpstream), key added, no checks, sessions or extra headers"),
      'fastify-http-proxy': () => nodeProxy('fastify-http-proxy', 'Fastify 5 + @fastify/http-proxy (undici), key added, no checks'),
      nginx: async () => {
        if (!(await nginxInstalled())) return `${NGINX} is not installed`;
        nginxVersionText = await nginxVersion();
        const shape = { name: 'nginx' as const, headers: accept };
        const nginx = await startCheckedNginx(upstream, {
          cpus: serverCpus,
          notes,
          answers: (baseUrl: string) => probe({ ...shape, url: `${baseUrl}/api${path}` }),
        });
        return {
          ...shape,
          description: `nginx ${nginxVersionText} proxy_pass, worker_processes 1, upstream keepalive 32`,
          url: `${nginx.baseUrl}/api${path}`,
          cpuUs: nginx.cpuUs,
          processes: async () => (await nginx.pids()).map((pid, i) => ({ label: i === 0 ? 'nginx master' : 'nginx worker', pid })),
          stop: nginx.stop,
        };
      },
      express: () => nodeProxy('express', 'express 5 + http-proxy-middleware 3, keep-alive http.Agent, one Node process'),
    };

    for (const name of options.targets) {
      checkInterrupted();
      const target = await starters[name]();
      if (typeof target === 'string') {
        skipped[name] = target;
        notes.push(`${name} skipped: ${target}.`);
        console.log(`${name}: skipped (${target}).`);
        continue;
      }
      running.push(target);
      results[name] = { description: target.description, url: target.url, rounds: [] };
    }

    /** Where every server process's threads may run, read from /proc; `pinned` against the server CPUs (null unpinned). */
    const checkPinning = async () => {
      const processes = [{ label: 'sandbox', pid: sandbox!.pid }, ...(await Promise.all(running.map((target) => target.processes()))).flat()];
      return Promise.all(
        processes.map(async ({ label, pid }) => {
          const found = await affinity(pid);
          return { label, affinity: found, pinned: serverCpus === undefined ? null : pinnedTo(found, serverCpus) };
        }),
      );
    };

    console.log(`Load generator: ${generator.description}.`);
    console.log(
      `GET ${path}: each target warmed up ${WARMUP_S} s, then ${options.rounds} round(s) of ${options.duration} s at ${options.connections} connections and ${options.duration} s at 1, per target.\n`,
    );
    // Idle, before any load: the console has just opened a fresh embedded database (its first start).
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    for (const target of running)
      for (const { label, pid } of await target.processes()) memory.push({ label, pid, idleMb: await residentMb(pid), afterLoadMb: null });
    for (const target of running) {
      console.log(`${target.name}: ${target.url} — warm-up`);
      results[target.name]!.warmup = await load(generator, target, options.connections, WARMUP_S, sandboxStats);
    }
    pinning.after_warmup = await checkPinning();
    for (let r = 0; r < options.rounds; r++) {
      // Rotated each round, so no target always runs right after the same one.
      const order = running.map((_, i) => running[(i + r) % running.length]!);
      console.log(`Round ${r + 1} of ${options.rounds}: ${order.map((t) => t.name).join(', ')}`);
      for (const target of order) {
        const loaded = await load(generator, target, options.connections, options.duration, sandboxStats);
        const single = await load(generator, target, 1, options.duration, sandboxStats);
        results[target.name]!.rounds.push({ loaded, single });
      }
    }
    pinning.after_rounds = await checkPinning();
    for (const entry of memory) entry.afterLoadMb = await residentMb(entry.pid);
  } finally {
    for (const target of running) await target.stop();
    await sandbox?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }

  // ---- Report
  const summaries = Object.fromEntries(Object.entries(results).map(([name, figures]) => [name, medians(figures)])) as Partial<
    Record<TargetName, ReturnType<typeof medians>>
  >;
  const header = ['target', 'req/s', 'p50 ms', 'p99 ms', 'p50 ms @1', 'CPU µs/req', 'CPU µs/req @1', 'non-2xx', 'errors'];
  const rows = TARGET_NAMES.filter((name) => options.targets.includes(name)).map((name) => {
    const figures = summaries[name];
    if (!figures) return [name, 'skipped', '', '', '', '', '', '', ''];
    return [
      name,
      fmt(figures.requests_per_s?.median, 0),
      fmt(figures.latency_p50_ms?.median),
      fmt(figures.latency_p99_ms?.median),
      fmt(figures.single_latency_p50_ms?.median),
      fmt(figures.cpu_us_per_request?.median, 1),
      fmt(figures.single_cpu_us_per_request?.median, 1),
      String(figures.non_2xx),
      String(figures.errors),
    ];
  });
  const table = (head: string[], body: string[][]) => {
    const widths = head.map((title, i) => Math.max(title.length, ...body.map((row) => row[i]!.length)));
    const line = (cells: string[]) => `  ${cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('   ')}`;
    console.log(line(head));
    console.log(line(widths.map((w) => '-'.repeat(w))));
    for (const row of body) console.log(line(row));
  };
  console.log('');
  console.log(`  Load generator: ${generator.description}.`);
  // Where wrk's threads were allowed to run in each run (read from /proc while it ran).
  const allRuns = Object.values(results).flatMap((figures) => [
    ...(figures.warmup ? [figures.warmup] : []),
    ...figures.rounds.flatMap((r) => [r.loaded, r.single]),
  ]);
  const wrkCpus = [
    ...new Set(
      allRuns
        .map((r) => ('load_generator_cpus_allowed_list' in r ? (r.load_generator_cpus_allowed_list ?? 'unread') : undefined))
        .filter((v) => v !== undefined),
    ),
  ];
  if (generator.name === 'wrk')
    console.log(`  wrk's Cpus_allowed_list, read from /proc during each of its ${allRuns.length} runs: ${wrkCpus.join(', ') || 'n/a'}.`);
  const finalPinning = pinning.after_rounds.length > 0 ? pinning.after_rounds : pinning.after_warmup;
  if (finalPinning.length > 0) {
    console.log(
      `  Server processes (read from /proc/<pid>/status and /proc/<pid>/task/*/status ${pinning.after_rounds.length > 0 ? 'after the last round' : 'after the warm-up'}${serverCpus ? `; wanted: CPU ${serverCpus}` : ''}):`,
    );
    table(
      ['process', 'pid', 'Cpus_allowed_list', 'threads', "threads' lists", 'pinned'],
      finalPinning.map(({ label, affinity: found, pinned }) => [
        label,
        String(found.pid),
        found.cpus_allowed_list ?? 'gone',
        String(found.threads),
        found.threads_cpus_allowed_lists.join(' ') || 'n/a',
        pinned === null ? 'not asked' : pinned ? 'yes' : 'NO',
      ]),
    );
  }
  const unpinned = [...pinning.after_warmup, ...pinning.after_rounds].filter((p) => p.pinned === false);
  for (const p of unpinned)
    notes.push(
      `${p.label} (pid ${p.affinity.pid}) was not pinned to CPU ${serverCpus}: Cpus_allowed_list ${p.affinity.cpus_allowed_list}, threads ${p.affinity.threads_cpus_allowed_lists.join(' ')}.`,
    );
  console.log('');
  console.log(`  Medians over ${options.rounds} round(s). req/s, p50, p99 and CPU at ${options.connections} connections; "@1" at 1 connection.`);
  console.log(
    `  Latencies ${generator.name === 'wrk' ? "from wrk's histogram (µs resolution)" : "from each answer's own timing"}. CPU µs/req: the answering process's own CPU time per request (the sandbox's for direct).`,
  );
  table(header, rows);
  console.log('');

  // Per round, so each ratio compares runs made minutes apart at most.
  const perRound = (name: TargetName, versus: TargetName, pick: (a: RoundFigures, b: RoundFigures) => number | null) => {
    const a = results[name]?.rounds;
    const b = results[versus]?.rounds;
    if (!a || !b) return null;
    return spread(a.map((round, i) => (b[i] ? pick(round, b[i]) : null)));
  };
  const reqRatio = (a: RoundFigures, b: RoundFigures) =>
    b.loaded.requests_per_s_mean > 0 ? a.loaded.requests_per_s_mean / b.loaded.requests_per_s_mean : null;
  const addedP50 = (a: RoundFigures, b: RoundFigures) =>
    a.single.latency_p50_ms === null || b.single.latency_p50_ms === null ? null : a.single.latency_p50_ms - b.single.latency_p50_ms;
  const nginxAbsent = !results.nginx;
  const measures = [
    nginxAbsent
      ? { name: 'req/s ÷ direct (nginx not measured; the budget is against nginx)', budget: 'n/a', versus: 'direct' as const, pick: reqRatio, met: () => null }
      : {
          name: 'req/s ÷ nginx',
          budget: `≥ ${BUDGETS.consoleVsNginx}`,
          versus: 'nginx' as const,
          pick: reqRatio,
          met: (v: number) => v >= BUDGETS.consoleVsNginx,
        },
    {
      name: 'req/s ÷ express',
      budget: `≥ ${BUDGETS.consoleVsExpress}`,
      versus: 'express' as const,
      pick: reqRatio,
      met: (v: number) => v >= BUDGETS.consoleVsExpress,
    },
    {
      name: 'req/s ÷ node-floor',
      budget: `≥ ${BUDGETS.consoleVsNodeFloor}`,
      versus: 'node-floor' as const,
      pick: reqRatio,
      met: (v: number) => v >= BUDGETS.consoleVsNodeFloor,
    },
    {
      name: 'p50 @1 − direct p50 @1 (ms added)',
      budget: `≤ ${BUDGETS.addedP50Ms}`,
      versus: 'direct' as const,
      pick: addedP50,
      met: (v: number) => v <= BUDGETS.addedP50Ms,
    },
  ];
  const budgeted = BUDGETED.filter((name) => results[name]);
  const verdict = (met: boolean | null) => (met === null ? 'n/a' : met ? 'ok' : 'MISSED');
  const budgets = measures.map((measure) => ({
    name: measure.name,
    budget: measure.budget,
    ...Object.fromEntries(
      budgeted.map((name) => {
        if (name === measure.versus) return [name, { verdict: 'itself' }];
        const value = perRound(name, measure.versus, measure.pick);
        return [name, { ...value, verdict: verdict(value ? measure.met(value.median) : null) }];
      }),
    ),
  })) as ({ name: string; budget: string } & Record<string, { median?: number; min?: number; max?: number; verdict: string }>)[];
  if (budgeted.length > 0) {
    console.log('  Budgets (median of the per-round ratios, range in brackets); the verdict is on the median.');
    console.log('  node-floor and fastify-http-proxy check nothing: they show what a Node proxy reaches on this machine;');
    console.log("  the console's req/s ÷ node-floor's is what all of its checks cost in throughput.");
    table(
      ['measure', 'budget', ...budgeted],
      budgets.map((b) => [
        b.name,
        b.budget,
        ...budgeted.map((name) => {
          const value = b[name]!;
          if (value.verdict === 'itself') return '—';
          return value.median === undefined ? 'n/a' : `${fmtSpread(value as Spread)} ${value.verdict}`;
        }),
      ]),
    );
  }
  if (memory.length > 0) {
    console.log('');
    console.log(`  Resident memory (VmRSS), idle after start and after the warm-up and every round. The console opens a fresh embedded`);
    console.log(
      `  database at start (its very first start); console-pg uses PostgreSQL. Budgets: console idle ≤ ${MEMORY_BUDGETS.consoleIdleMb} MB, console-pg idle ≤ ${MEMORY_BUDGETS.consolePgIdleMb} MB, growth ≤ ${MEMORY_BUDGETS.growthMb} MB.`,
    );
    table(
      ['process', 'idle MB', 'after load MB', 'growth MB', 'budget'],
      memory.map(({ label, idleMb, afterLoadMb }) => {
        const growth = idleMb !== null && afterLoadMb !== null ? afterLoadMb - idleMb : null;
        const idleBudget = label === 'console' ? MEMORY_BUDGETS.consoleIdleMb : label === 'console-pg' ? MEMORY_BUDGETS.consolePgIdleMb : undefined;
        const verdicts = idleBudget === undefined ? [] : [idleMb !== null && idleMb <= idleBudget, growth !== null && growth <= MEMORY_BUDGETS.growthMb];
        return [label, fmt(idleMb, 0), fmt(afterLoadMb, 0), fmt(growth, 0), verdicts.length === 0 ? '' : verdicts.every(Boolean) ? 'ok' : 'MISSED'];
      }),
    );
  }
  console.log('');
  for (const note of notes) console.log(`  Note: ${note}`);

  if (consoleProfile) {
    console.log(`\n  Console CPU profile (${consoleProfile.file}), ${consoleProfile.busy_ms} ms busy; top self time:`);
    for (const f of consoleProfile.top_functions) console.log(`    ${f.percent.toFixed(1).padStart(5)} %  ${f.self_ms.toFixed(1).padStart(8)} ms  ${f.name}`);
    console.log('  By package:');
    for (const p of consoleProfile.top_packages) console.log(`    ${p.percent.toFixed(1).padStart(5)} %  ${p.self_ms.toFixed(1).padStart(8)} ms  ${p.name}`);
  }

  const file = await writeResults(`proxy-${stamp}.json`, {
    route: 'GET /payout/wallet/{user_token}',
    path,
    started_at: startedAt.toISOString(),
    warmup_s: WARMUP_S,
    duration_s: options.duration,
    connections: options.connections,
    rounds: options.rounds,
    node: process.version,
    nginx: nginxVersionText ?? null,
    cpus: os.cpus().length,
    cpu_model: os.cpus()[0]?.model ?? null,
    cpu_profiled: options.cpuProf,
    load_generator: { ...generator.details, cpus_allowed_lists_seen: generator.name === 'wrk' ? wrkCpus : undefined },
    server_cpus: serverCpus ?? null,
    pinning,
    memory_mb: memory,
    skipped,
    medians: summaries,
    budgets,
    targets: results,
    notes,
    ...(consoleProfile ? { console_cpu_profile: consoleProfile } : {}),
  });
  console.log(`\nWrote ${file}`);

  const failed = Object.entries(summaries).filter(([, f]) => f.errors > 0 || f.non_2xx > 0);
  for (const [name, f] of failed) console.error(`FAILED: ${name} had ${f.errors} error(s) and ${f.non_2xx} non-2xx answer(s).`);
  return failed.length > 0 ? 1 : 0;
};

runBench(main);
