/**
 * `npm run bench:proxy [-- --duration <s>] [-- --connections <n>] [-- --cpu-prof]`: what our proxy
 * costs, side by side with the upstream alone and with two other proxies, all against the SAME
 * upstream — one embedded MassPay sandbox (fresh temporary DATA_DIR, fault injection and logger off).
 *
 * The request is `GET <prefix>/payout/wallet/<Ada's user token>`, to:
 * - direct:  the sandbox itself, with `Authorization: Bearer <key>`;
 * - console: our proxy, `buildServer()` from src/server, at `/api/payout/…` (it adds the key), signed in as a viewer;
 * - nginx:   `proxy_pass` to the sandbox (`worker_processes 1`, upstream keep-alive), if installed;
 * - express: express 5 + http-proxy-middleware 3 with a keep-alive agent.
 *
 * Every server runs in a process of its own (see bench-proxy-server.ts; nginx is one anyway) and
 * autocannon runs in this one; the targets are measured one after another, never concurrently. Per
 * target: a checked request, 2 s of warm-up, `--duration` s at `--connections` connections, then
 * `--duration` s at 1 connection for the unloaded latency (each run preceded by a checked request).
 * Prints a table and the budget ratios and writes everything to `bench-results/proxy-<timestamp>.json`
 * (git-ignored). Besides req/s and latency it records each run's CPU time per request of the answering
 * process (the proxy's; the sandbox's for direct): on a small shared machine that varies far less
 * from run to run than req/s does. `--cpu-prof` also profiles the console's process and prints its top self-time
 * functions (its figures are then somewhat lower than unprofiled ones).
 *
 * Exits non-zero if any target had an error or a non-2xx answer. Budgets are reported, not asserted.
 */
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { walletListSchema } from '../src/api';
import { SEED_PEOPLE } from '../src/sandbox/seed';
import { fileStamp, readLoadOptions, RESULTS_DIR, round, run, summarize, writeResults } from './bench-lib';
import { nginxInstalled, NGINX, nginxVersion, startCheckedNginx, startServerProcess, type ProcessStats, type ServerProcess } from './bench-servers';

const USAGE = 'Usage: npm run bench:proxy -- [--duration <seconds>] [--connections <count>] [--cpu-prof]';
const WARMUP_S = 2;

const BUDGETS = {
  consoleVsNginx: 0.3,
  consoleVsExpress: 3,
  addedP50Ms: 0.15,
};

type TargetName = 'direct' | 'console' | 'nginx' | 'express';

const readOptions = () => {
  const { flags, ...options } = readLoadOptions(USAGE, ['cpu-prof']);
  return { ...options, cpuProf: flags['cpu-prof'] };
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
  stop(): Promise<void>;
}

/** One GET that must answer 200 with Ada's 3 wallets, so nothing benchmarks 404s or 401s. */
const probe = async (target: Pick<Target, 'name' | 'url' | 'headers'>) => {
  const response = await fetch(target.url, { headers: target.headers });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${target.name}: GET ${target.url} answered ${response.status}: ${text.slice(0, 500)}`);
  const wallets = walletListSchema.parse(JSON.parse(text));
  if (wallets.length !== 3) throw new Error(`${target.name}: GET ${target.url} answered ${wallets.length} wallets, not Ada's 3`);
};


type RunFigures = ReturnType<typeof summarize>;

interface TargetFigures {
  description: string;
  url: string;
  warmup: RunFigures;
  loaded: RunFigures;
  single: RunFigures;
  non_2xx: number;
  errors: number;
  notes?: string[];
}

let interrupted = false;
const checkInterrupted = () => {
  if (interrupted) throw new Error('Interrupted.');
};

const measure = async (
  target: Target,
  options: { duration: number; connections: number },
  sandboxStats: () => Promise<ProcessStats>,
): Promise<TargetFigures> => {
  const load = async (connections: number, duration: number) => {
    checkInterrupted();
    await probe(target);
    const [sandboxBefore, targetBefore] = [await sandboxStats(), await target.cpuUs()];
    const outcome = await run({ url: target.url, method: 'GET', headers: target.headers, duration, connections });
    const [sandboxAfter, targetAfter] = [await sandboxStats(), await target.cpuUs()];
    const figures = summarize(outcome, {
      targetUs: targetBefore === undefined || targetAfter === undefined ? undefined : targetAfter - targetBefore,
      sandboxUs: sandboxAfter.cpuUs - sandboxBefore.cpuUs,
      upstreamRequests: sandboxAfter.requests - sandboxBefore.requests,
    });
    checkInterrupted();
    return figures;
  };
  console.log(`${target.name}: ${target.url} — ${WARMUP_S} s warm-up, ${options.duration} s at ${options.connections} connections, ${options.duration} s at 1…`);
  const warmup = await load(options.connections, WARMUP_S);
  const loaded = await load(options.connections, options.duration);
  const single = await load(1, options.duration);
  const runs = [warmup, loaded, single];
  return {
    description: target.description,
    url: target.url,
    warmup,
    loaded,
    single,
    non_2xx: runs.reduce((sum, r) => sum + r.non_2xx, 0),
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
  };
};

// ---------------------------------------------------------------------------------------------
// CPU profile of the console's process: self time per function and per package.

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

const shortUrl = (url: string) => {
  const path = url.replace(/^file:\/\//, '');
  const inModules = path.lastIndexOf('/node_modules/');
  if (inModules >= 0) return path.slice(inModules + '/node_modules/'.length);
  const root = fileURLToPath(new URL('../', import.meta.url));
  return path.startsWith(root) ? path.slice(root.length) : path;
};

const packageOf = (url: string) => {
  if (url === '') return '(native / VM)';
  if (url.startsWith('node:')) return 'node: internals';
  const short = shortUrl(url);
  if (short !== url.replace(/^file:\/\//, '') && !short.startsWith('src/') && !short.startsWith('scripts/')) {
    const [first, second] = short.split('/');
    return first!.startsWith('@') ? `${first}/${second}` : first!;
  }
  return short.split('/').slice(0, 2).join('/');
};

const summarizeProfile = (profile: CpuProfile, top = 15) => {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  // As DevTools does: the time up to the next sample belongs to this one.
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0)));
  const functions = new Map<string, number>();
  const packages = new Map<string, number>();
  let busyUs = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber, columnNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') continue;
    busyUs += us;
    // tsx emits each module on few lines, so the column is what tells src functions apart.
    const where = url ? ` ${shortUrl(url)}:${lineNumber + 1}:${columnNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'}${where}`;
    functions.set(key, (functions.get(key) ?? 0) + us);
    const pkg = functionName.startsWith('(') && !url ? functionName : packageOf(url);
    packages.set(pkg, (packages.get(pkg) ?? 0) + us);
  }
  const rank = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, self_ms: round(us / 1000, 1), percent: round((100 * us) / busyUs, 1) }));
  return { busy_ms: round(busyUs / 1000, 1), top_functions: rank(functions), top_packages: rank(packages) };
};

/** The main thread's profile (`CPU.<date>.<time>.<pid>.0.<seq>.cpuprofile`), not tsx's loader thread's. */
const readProfile = async (dir: string) => {
  const files = (await readdir(dir)).filter((name) => name.endsWith('.cpuprofile'));
  const file = files.find((name) => /\.\d+\.0\.\d+\.cpuprofile$/.test(name)) ?? files[0];
  if (!file) return undefined;
  const path = join(dir, file);
  return { file: path, ...summarizeProfile(JSON.parse(await readFile(path, 'utf8')) as CpuProfile) };
};

// ---------------------------------------------------------------------------------------------

const ratioMet = (value: number | null, budget: number) => (value === null ? null : value >= budget);

const fmt = (value: number | null | undefined, digits = 3) => (value === null || value === undefined ? 'n/a' : value.toFixed(digits));

const main = async (): Promise<number> => {
  const options = readOptions();
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const startedAt = new Date();
  const stamp = fileStamp(startedAt);
  const onSigint = () => {
    interrupted = true;
  };
  process.on('SIGINT', onSigint);

  const token = SEED_PEOPLE.ada.userToken;
  const path = `/payout/wallet/${token}`;
  const accept = { accept: 'application/json' };
  const notes: string[] = [
    `${os.cpus().length} CPU core(s), shared by autocannon (this process), the sandbox (one Node process) and the proxy under test; targets run one after another.`,
    'nginx runs with worker_processes 1; the console is one Node process (one event loop), and so are express and the sandbox.',
  ];
  const results: Partial<Record<TargetName, TargetFigures | { skipped: string }>> = {};
  let consoleProfile: Awaited<ReturnType<typeof readProfile>>;
  let nginxVersionText: string | undefined;

  const dataDir = await mkdtemp(join(os.tmpdir(), 'masspay-proxy-bench-'));
  let sandbox: ServerProcess | undefined;
  try {
    sandbox = await startServerProcess({ type: 'start', role: 'sandbox', dataDir });
    const upstream = { baseUrl: sandbox.baseUrl, apiKey: sandbox.apiKey! };
    const sandboxStats = () => sandbox!.stats();
    console.log(`Sandbox (upstream for every target) on ${upstream.baseUrl}, data in ${dataDir}.`);
    console.log(`GET ${path}: warm-up ${WARMUP_S} s, then ${options.duration} s at ${options.connections} connections and ${options.duration} s at 1, per target.\n`);

    const targets: { name: TargetName; start: () => Promise<Target | string> }[] = [
      {
        name: 'direct',
        start: async () => ({
          name: 'direct',
          description: 'the sandbox itself',
          url: `${upstream.baseUrl}${path}`,
          headers: { ...accept, authorization: `Bearer ${upstream.apiKey}` },
          cpuUs: async () => (await sandboxStats()).cpuUs,
          stop: async () => {},
        }),
      },
      {
        name: 'console',
        start: async () => {
          const profileDir = join(RESULTS_DIR, `cpu-console-${stamp}`);
          if (options.cpuProf) await mkdir(profileDir, { recursive: true });
          const server = await startServerProcess(
            { type: 'start', role: 'console', upstream },
            options.cpuProf ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [],
          );
          return {
            name: 'console',
            description: 'our proxy: buildServer() from src/server (Fastify + undici Pool), one Node process, signed in (session cookie checked on every request)',
            url: `${server.baseUrl}/api${path}`,
            headers: { ...accept, ...server.headers },
            cpuUs: async () => (await server.stats()).cpuUs,
            stop: async () => {
              await server.stop();
              if (options.cpuProf) consoleProfile = await readProfile(profileDir);
            },
          };
        },
      },
      {
        name: 'nginx',
        start: async () => {
          if (!(await nginxInstalled())) return `${NGINX} is not installed`;
          nginxVersionText = await nginxVersion();
          const shape = { name: 'nginx' as const, headers: accept };
          const nginx = await startCheckedNginx(upstream, { notes, answers: (baseUrl: string) => probe({ ...shape, url: `${baseUrl}/api${path}` }) });
          const target: Target = {
            ...shape,
            description: `nginx ${nginxVersionText} proxy_pass, worker_processes 1, upstream keepalive 32`,
            url: `${nginx.baseUrl}/api${path}`,
            cpuUs: nginx.cpuUs,
            stop: nginx.stop,
          };
          return target;
        },
      },
      {
        name: 'express',
        start: async () => {
          const server = await startServerProcess({ type: 'start', role: 'express', upstream });
          return {
            name: 'express',
            description: 'express 5 + http-proxy-middleware 3, keep-alive http.Agent, one Node process',
            url: `${server.baseUrl}/api${path}`,
            headers: accept,
            cpuUs: async () => (await server.stats()).cpuUs,
            stop: () => server.stop(),
          };
        },
      },
    ];

    for (const { name, start } of targets) {
      checkInterrupted();
      const target = await start();
      if (typeof target === 'string') {
        results[name] = { skipped: target };
        notes.push(`${name} skipped: ${target}.`);
        console.log(`${name}: skipped (${target}).`);
        continue;
      }
      try {
        results[name] = await measure(target, options, sandboxStats);
      } finally {
        await target.stop();
      }
    }
  } finally {
    process.off('SIGINT', onSigint);
    await sandbox?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }

  // ---- Report
  const measured = (name: TargetName) => {
    const figures = results[name];
    return figures && !('skipped' in figures) ? figures : undefined;
  };
  const header = ['target', 'req/s', 'p50 ms', 'p99 ms', 'p50 ms @1', 'non-2xx', 'errors', 'CPU µs/req'];
  const rows = (['direct', 'console', 'nginx', 'express'] as const).map((name) => {
    const figures = measured(name);
    if (!figures) return [name, 'skipped', '', '', '', '', '', ''];
    return [
      name,
      figures.loaded.requests_per_s_mean.toFixed(1),
      fmt(figures.loaded.latency_p50_ms),
      fmt(figures.loaded.latency_p99_ms),
      fmt(figures.single.latency_p50_ms),
      String(figures.non_2xx),
      String(figures.errors),
      fmt(figures.loaded.target_cpu_us_per_request, 1),
    ];
  });
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `  ${cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('   ')}`;
  console.log('');
  console.log(`  req/s, p50 and p99 at ${options.connections} connections; "p50 ms @1" at 1 connection. Latencies from each answer's own timing.`);
  console.log(`  CPU µs/req (at ${options.connections} connections): the answering process's own CPU time per request — the proxy's, the sandbox's for direct.`);
  console.log(line(header));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const row of rows) console.log(line(row));
  console.log('');

  const direct = measured('direct');
  const consoleFigures = measured('console');
  const nginx = measured('nginx');
  const express = measured('express');
  const ratio = (a?: TargetFigures, b?: TargetFigures) => (a && b && b.loaded.requests_per_s_mean > 0 ? round(a.loaded.requests_per_s_mean / b.loaded.requests_per_s_mean, 3) : null);
  const addedP50 =
    consoleFigures?.single.latency_p50_ms != null && direct?.single.latency_p50_ms != null
      ? round(consoleFigures.single.latency_p50_ms - direct.single.latency_p50_ms, 3)
      : null;
  const verdict = (met: boolean | null) => (met === null ? 'n/a' : met ? 'ok' : 'MISSED');
  const budgets = [
    nginx
      ? { name: 'console ÷ nginx req/s', value: ratio(consoleFigures, nginx), budget: `≥ ${BUDGETS.consoleVsNginx}`, met: ratioMet(ratio(consoleFigures, nginx), BUDGETS.consoleVsNginx) }
      : { name: 'console ÷ direct req/s (nginx absent; the budget is against nginx)', value: ratio(consoleFigures, direct), budget: 'n/a', met: null },
    { name: 'console ÷ express req/s', value: ratio(consoleFigures, express), budget: `≥ ${BUDGETS.consoleVsExpress}`, met: ratioMet(ratio(consoleFigures, express), BUDGETS.consoleVsExpress) },
    {
      name: 'console p50 − direct p50 @1 connection (ms added)',
      value: addedP50,
      budget: `≤ ${BUDGETS.addedP50Ms}`,
      met: addedP50 === null ? null : addedP50 <= BUDGETS.addedP50Ms,
    },
  ];
  const nameWidth = Math.max(...budgets.map((b) => b.name.length));
  for (const b of budgets) {
    console.log(`  ${b.name.padEnd(nameWidth)}  ${String(b.value ?? 'n/a').padStart(8)}   budget ${b.budget.padEnd(6)}  ${verdict(b.met)}`);
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
    node: process.version,
    nginx: nginxVersionText ?? null,
    cpus: os.cpus().length,
    cpu_model: os.cpus()[0]?.model ?? null,
    cpu_profiled: options.cpuProf,
    targets: results,
    budgets: budgets.map((b) => ({ ...b, verdict: verdict(b.met) })),
    notes,
    ...(consoleProfile ? { console_cpu_profile: consoleProfile } : {}),
  });
  console.log(`\nWrote ${file}`);

  const failed = Object.entries(results).filter(([, f]) => f && !('skipped' in f) && (f.errors > 0 || f.non_2xx > 0));
  if (failed.length > 0) {
    for (const [name, f] of failed) {
      const figures = f as TargetFigures;
      console.error(`FAILED: ${name} had ${figures.errors} error(s) and ${figures.non_2xx} non-2xx answer(s).`);
    }
    return 1;
  }
  return 0;
};

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = interrupted ? 130 : 1;
  },
);
