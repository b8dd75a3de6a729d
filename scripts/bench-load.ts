/**
 * `npm run bench [-- --duration <s>] [-- --connections <n>]`: load through the console's proxy, signed
 * in, beside the upstream alone and nginx `proxy_pass` (when installed), all against the SAME upstream —
 * one embedded MassPay sandbox in a process of its own (fresh temporary DATA_DIR, fault injection and
 * logger off). Defaults: 60 s at 50 connections per run; `--duration 3` for a quick check.
 *
 * Targets, one after another (never concurrently), each in its own process (bench-servers.ts):
 * - direct:  the sandbox itself, with `Authorization: Bearer <key>`;
 * - console: our proxy, `buildServer()` from src/server at `/api/payout/…`, signed in as the demo
 *            editor (session cookie; `X-Requested-With: XMLHttpRequest` on POST and DELETE), its audit
 *            log in embedded PostgreSQL (PGlite) on a temporary DATA_DIR, as in production;
 * - nginx:   `proxy_pass` to the sandbox adding the key (`worker_processes 1`), if installed.
 *
 * Two workloads per target, each after 2 s of warm-up at the same connections:
 * 1. get_wallets: `GET <prefix>/payout/wallet/<Ada's user token>`.
 * 2. add_delete: cycles of `POST …/autopayout` (a new rule) then `DELETE …/autopayout?token=<the token
 *    the POST answered>`, chained per connection with autocannon's `requests` (`setupRequest` /
 *    `onResponse`, the token carried in the connection's context). Every connection works on a wallet
 *    of its own (a generated user's active wallet with room under 100 % and a destination of its
 *    currency it does not pay yet), so cycles never collide. Both requests count as requests; cycles/s
 *    is completed deletes per second. Every POST and DELETE carries a fresh Idempotency-Key, as the SPA
 *    sends one (the console would add one anyway), so the sandbox does the same work for every target.
 *
 * The sandbox is reset to its seed (`POST /__sandbox/reset`) before each target, so every target starts
 * from the same state. After each add_delete run the bench's wallets are checked against the sandbox:
 * no rule of the bench may be left over. The one exception is a cycle cut off by the end of the run
 * (its POST answered or in flight, its DELETE never sent): at most one rule per connection, removed by
 * the bench directly on the sandbox and reported as `cut_off_rules`. For the console, the audit log must
 * then hold exactly 2 entries per POST and DELETE it was sent (`requested` + the outcome).
 *
 * Prints a table and writes everything to `bench-results/load-<timestamp>.json` (git-ignored). Exits
 * non-zero if any run had an error, a timeout or a non-2xx answer, a rule was left over or the audit
 * count is off.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import type autocannon from 'autocannon';
import {
  autopayRuleListSchema,
  autopayRuleSchema,
  browserWalletListSchema,
  deleteAutopayRuleResultSchema,
  payerCurrency,
  toBasisPoints,
  type AutopayRule,
} from '../src/api';
import { DESTINATIONS, toPayer } from '../src/sandbox/catalog';
import { createSeed, SEED_PEOPLE, userToken } from '../src/sandbox/seed';
import { measureChangeDbWork } from './bench-change-db';
import { checkInterrupted, fileStamp, percentiles, readLoadOptions, round, run, runBench, summarize, writeResults } from './bench-lib';
import { nginxInstalled, NGINX, nginxVersion, startCheckedNginx, startServerProcess, type ServerProcess } from './bench-servers';

const USAGE = 'Usage: npm run bench -- [--duration <seconds>] [--connections <count>]';
const WARMUP_S = 2;
/** The share each bench rule takes, in basis points (1 %), or what the wallet has left if less. */
const RULE_BP = 100;

type TargetName = 'direct' | 'console' | 'nginx';
type WorkloadName = 'get_wallets' | 'add_delete';
type Method = 'POST' | 'DELETE';

interface Target {
  name: TargetName;
  description: string;
  baseUrl: string;
  /** Where MassPay's paths start on this target: '' for the sandbox, '/api' behind a proxy. */
  prefix: string;
  /** Sent with every request (the key for direct, the session cookie for the console). */
  headers: Record<string, string>;
  /** Also sent with every POST and DELETE (the console's CSRF header). */
  changeHeaders: Record<string, string>;
  /** CPU time used so far (µs) by the process that answers: the proxy's, or the sandbox's for direct. */
  cpuUs(): Promise<number | undefined>;
  /** The console's audit-log entry count. */
  auditEntries?(): Promise<number>;
  /** Before each run: the console signs in afresh (see bench-proxy-server.ts), into `headers`. */
  refresh?(): Promise<void>;
  stop(): Promise<void>;
}

/** A wallet one connection adds its rule to and deletes it from, over and over. */
interface BenchWallet {
  userToken: string;
  walletToken: string;
  currency: string;
  destinationToken: string;
  percentage: number;
}

const is2xx = (status: number) => status >= 200 && status <= 299;

// ---------------------------------------------------------------------------------------------
// The wallets: picked from the seed, then checked against the running sandbox.

/**
 * Active wallets of active generated users (not the named people the other benches and tests use)
 * with room under 100 % and a destination of the wallet's currency they do not pay yet — the same
 * checks as the sandbox's policy — one per connection.
 */
const pickWallets = (count: number): BenchWallet[] => {
  const seed = createSeed();
  const users = new Map(seed.users.map((user) => [user.user_token, user]));
  const picked: BenchWallet[] = [];
  for (let i = 1; picked.length < count && users.has(userToken(`generated:${i}`)); i++) {
    const token = userToken(`generated:${i}`);
    if (users.get(token)!.status !== 'ACTIVE') continue;
    for (const wallet of seed.wallets) {
      if (picked.length === count) break;
      if (wallet.user_token !== token || !wallet.active) continue;
      const rules = seed.rules[wallet.token] ?? [];
      const leftBp = 10_000 - rules.reduce((sum, rule) => sum + toBasisPoints(rule.percentage), 0);
      const destination = DESTINATIONS.find(
        (d) => payerCurrency(toPayer(d)) === wallet.currency_code && !rules.some((rule) => rule.destination_token === d.destination_token),
      );
      if (leftBp <= 0 || !destination) continue;
      picked.push({
        userToken: token,
        walletToken: wallet.token,
        currency: wallet.currency_code,
        destinationToken: destination.destination_token,
        percentage: Math.min(RULE_BP, leftBp) / 100,
      });
    }
  }
  if (picked.length < count)
    throw new Error(`The seed has only ${picked.length} wallets with room for a bench rule; use --connections ${picked.length} or fewer.\n${USAGE}`);
  return picked;
};

const rulesPath = (wallet: BenchWallet) => `/payout/wallet/${wallet.userToken}/${wallet.walletToken}/autopayout`;

/** The sandbox's own API, with its key: resets, rule lists, stats, clean-up. */
const sandboxClient = (upstream: { baseUrl: string; apiKey: string }) => {
  const call = async (method: string, path: string) => {
    const response = await fetch(`${upstream.baseUrl}${path}`, { method, headers: { authorization: `Bearer ${upstream.apiKey}`, accept: 'application/json' } });
    const text = await response.text();
    if (!is2xx(response.status)) throw new Error(`sandbox: ${method} ${path} answered ${response.status}: ${text.slice(0, 500)}`);
    return JSON.parse(text) as unknown;
  };
  return {
    reset: () => call('POST', '/__sandbox/reset'),
    /** Requests that reached MassPay's routes, by route id. */
    byRoute: async () => ((await call('GET', '/__sandbox/stats')) as { byRoute: Record<string, number> }).byRoute,
    rules: async (wallet: BenchWallet) => autopayRuleListSchema.parse(await call('GET', rulesPath(wallet))),
    deleteRule: (wallet: BenchWallet, token: string) => call('DELETE', `${rulesPath(wallet)}?token=${encodeURIComponent(token)}`),
  };
};
type SandboxClient = ReturnType<typeof sandboxClient>;

/** Each wallet's rules now, which must still leave room for its bench rule. */
const readBaselines = async (sandbox: SandboxClient, wallets: BenchWallet[]) =>
  Promise.all(
    wallets.map(async (wallet) => {
      const rules = await sandbox.rules(wallet);
      const leftBp = 10_000 - rules.reduce((sum, rule) => sum + toBasisPoints(rule.percentage), 0);
      if (rules.some((rule) => rule.destination_token === wallet.destinationToken) || leftBp < toBasisPoints(wallet.percentage)) {
        throw new Error(`Wallet ${wallet.walletToken} has no room for the bench rule: the running sandbox differs from createSeed()`);
      }
      return new Set(rules.map((rule) => rule.token));
    }),
  );

// ---------------------------------------------------------------------------------------------
// Measuring

/** One connection's cycles, counted on the bench's side. */
interface Slot {
  wallet: BenchWallet;
  postsSent: number;
  postsOk: number;
  deletesSent: number;
  deletesOk: number;
  /** The token of the rule the last answered POST created and no answered DELETE has removed yet. */
  pending?: string;
  lastSent?: Method;
}

const sortedLatencies = (values: number[]) => Float64Array.from(values).sort();

type RunFigures = ReturnType<typeof summarize>;
type CycleFigures = RunFigures & ReturnType<typeof cycleFigures>;

const cycleFigures = (slots: Slot[], durationS: number, byMethod: Record<Method, number[]>, cutOff: number, leftovers: string[]) => {
  const sum = (pick: (slot: Slot) => number) => slots.reduce((total, slot) => total + pick(slot), 0);
  const methodLatency = (method: Method) => {
    const { percentile } = percentiles(sortedLatencies(byMethod[method]));
    return { p50: percentile(50), p99: percentile(99) };
  };
  const cycles = sum((slot) => slot.deletesOk);
  return {
    cycles,
    cycles_per_s: durationS > 0 ? round(cycles / durationS) : null,
    adds_sent: sum((slot) => slot.postsSent),
    adds_ok: sum((slot) => slot.postsOk),
    deletes_sent: sum((slot) => slot.deletesSent),
    deletes_ok: cycles,
    add_latency_ms: methodLatency('POST'),
    delete_latency_ms: methodLatency('DELETE'),
    cut_off_rules: cutOff,
    leftover_rules: leftovers,
  };
};

interface Measurer {
  target: Target;
  sandbox: ServerProcess;
  sandboxApi: SandboxClient;
  /** Waits until the sandbox has seen no new request for a moment (requests in flight at the end have landed). */
  settle(): Promise<void>;
}

/** Runs autocannon with the CPU and upstream counters read before and after. */
const measured = async (m: Measurer, options: autocannon.Options) => {
  checkInterrupted();
  const [sandboxBefore, targetBefore] = [await m.sandbox.stats(), await m.target.cpuUs()];
  const outcome = await run(options);
  await m.settle();
  const [sandboxAfter, targetAfter] = [await m.sandbox.stats(), await m.target.cpuUs()];
  checkInterrupted();
  return summarize(outcome, {
    targetUs: targetBefore === undefined || targetAfter === undefined ? undefined : targetAfter - targetBefore,
    sandboxUs: sandboxAfter.cpuUs - sandboxBefore.cpuUs,
    upstreamRequests: sandboxAfter.requests - sandboxBefore.requests,
  });
};

/** One GET that must answer 200 with Ada's 3 wallets, so nothing benchmarks 404s or 401s. */
const probeGet = async (target: Pick<Target, 'name' | 'baseUrl' | 'prefix' | 'headers'>) => {
  const url = `${target.baseUrl}${target.prefix}/payout/wallet/${SEED_PEOPLE.ada.userToken}`;
  const response = await fetch(url, { headers: target.headers });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${target.name}: GET ${url} answered ${response.status}: ${text.slice(0, 500)}`);
  const wallets = browserWalletListSchema.parse(JSON.parse(text));
  if (wallets.length !== 3) throw new Error(`${target.name}: GET ${url} answered ${wallets.length} wallets, not Ada's 3`);
};

const changeHeaders = (target: Target, json: boolean) => ({
  ...target.headers,
  ...target.changeHeaders,
  ...(json ? { 'content-type': 'application/json' } : {}),
  'idempotency-key': randomUUID(),
});

/** One checked cycle on `wallet` through the target: the POST answers the rule, the DELETE removes it. */
const probeCycle = async (target: Target, wallet: BenchWallet) => {
  const url = `${target.baseUrl}${target.prefix}${rulesPath(wallet)}`;
  const added = await fetch(url, {
    method: 'POST',
    headers: changeHeaders(target, true),
    body: JSON.stringify({ destination_token: wallet.destinationToken, percentage: wallet.percentage }),
  });
  const addText = await added.text();
  if (added.status !== 200) throw new Error(`${target.name}: POST ${url} answered ${added.status}: ${addText.slice(0, 500)}`);
  const rule = autopayRuleSchema.parse(JSON.parse(addText));
  const deleted = await fetch(`${url}?token=${encodeURIComponent(rule.token)}`, { method: 'DELETE', headers: changeHeaders(target, false) });
  const deleteText = await deleted.text();
  if (deleted.status !== 200) throw new Error(`${target.name}: DELETE ${url}?token=${rule.token} answered ${deleted.status}: ${deleteText.slice(0, 500)}`);
  deleteAutopayRuleResultSchema.parse(JSON.parse(deleteText));
};

const getWallets = async (m: Measurer, connections: number, duration: number) => {
  await m.target.refresh?.();
  await probeGet(m.target);
  return measured(m, {
    url: `${m.target.baseUrl}${m.target.prefix}/payout/wallet/${SEED_PEOPLE.ada.userToken}`,
    method: 'GET',
    headers: m.target.headers,
    duration,
    connections,
  });
};

/**
 * add+delete cycles, one wallet per connection: autocannon's per-connection `requests` are
 * [POST, DELETE]; the POST's `onResponse` keeps the new rule's token in the connection's context, the
 * DELETE's `setupRequest` puts it in the query (or, if the POST failed, returns nothing, and the
 * connection starts over with a POST). Then every wallet is checked for leftovers.
 */
const addDeleteCycles = async (m: Measurer, wallets: BenchWallet[], connections: number, duration: number): Promise<CycleFigures> => {
  const { target } = m;
  await target.refresh?.();
  const slots: Slot[] = wallets.slice(0, connections).map((wallet) => ({ wallet, postsSent: 0, postsOk: 0, deletesSent: 0, deletesOk: 0 }));
  const baselines = await readBaselines(
    m.sandboxApi,
    slots.map((slot) => slot.wallet),
  );
  const byMethod: Record<Method, number[]> = { POST: [], DELETE: [] };
  let clients = 0;

  const setupClient = (client: autocannon.Client) => {
    const slot = slots[clients++];
    if (!slot) throw new Error(`autocannon opened more than ${connections} connections`);
    const path = `${target.prefix}${rulesPath(slot.wallet)}`;
    const body = JSON.stringify({ destination_token: slot.wallet.destinationToken, percentage: slot.wallet.percentage });
    // Pipelining is 1: the request answered is always the one set up last.
    let inFlight: Method = 'POST';
    const post: autocannon.Request = {
      method: 'POST',
      path,
      setupRequest: (request) => {
        slot.postsSent++;
        slot.lastSent = inFlight = 'POST';
        return { ...request, method: 'POST', path, body, headers: changeHeaders(target, true) };
      },
      onResponse: (status, text, context) => {
        if (!is2xx(status)) return;
        slot.postsOk++;
        let answer: unknown;
        try {
          answer = JSON.parse(text);
        } catch {
          return;
        }
        const rule = autopayRuleSchema.safeParse(answer);
        if (rule.success) (context as { token?: string }).token = slot.pending = rule.data.token;
      },
    };
    const remove: autocannon.Request = {
      method: 'DELETE',
      path,
      setupRequest: (request, context) => {
        const { token } = context as { token?: string };
        // Nothing to delete: autocannon starts the connection's sequence over (a new POST).
        if (!token) return undefined as unknown as autocannon.Request;
        slot.deletesSent++;
        slot.lastSent = inFlight = 'DELETE';
        return { ...request, method: 'DELETE', path: `${path}?token=${encodeURIComponent(token)}`, body: '', headers: changeHeaders(target, false) };
      },
      onResponse: (status) => {
        if (!is2xx(status)) return;
        slot.deletesOk++;
        slot.pending = undefined;
      },
    };
    client.setRequests([post, remove]);
    client.on('response', (status: number, _bytes: number, responseTime: number) => {
      if (is2xx(status)) byMethod[inFlight].push(responseTime);
    });
  };

  const figures = await measured(m, { url: target.baseUrl, duration, connections, setupClient, requests: [{ method: 'GET', path: `${target.prefix}/` }] });
  if (clients !== slots.length) throw new Error(`autocannon opened ${clients} connections, not ${slots.length}`);

  // Leftovers: every rule the wallet holds beyond its baseline, less the one a cut-off cycle may leave.
  let cutOff = 0;
  const leftovers: string[] = [];
  await Promise.all(
    slots.map(async (slot, i) => {
      const extra = (await m.sandboxApi.rules(slot.wallet)).filter((rule: AutopayRule) => !baselines[i]!.has(rule.token));
      if (extra.length === 0) return;
      const [rule] = extra;
      const cutOffCycle = extra.length === 1 && (rule!.token === slot.pending || (slot.lastSent === 'POST' && slot.pending === undefined));
      if (cutOffCycle) {
        cutOff++;
        await m.sandboxApi.deleteRule(slot.wallet, rule!.token);
      } else {
        leftovers.push(...extra.map((r) => `${slot.wallet.walletToken}: ${r.token} (${r.destination_token}, ${r.percentage} %)`));
      }
    }),
  );
  // And nothing of the seed's may have gone.
  await Promise.all(
    slots.map(async (slot, i) => {
      const now = new Set((await m.sandboxApi.rules(slot.wallet)).map((rule) => rule.token));
      for (const token of baselines[i]!) if (!now.has(token)) leftovers.push(`${slot.wallet.walletToken}: the seed's rule ${token} is gone`);
    }),
  );
  return { ...figures, ...cycleFigures(slots, figures.duration_s, byMethod, cutOff, leftovers) };
};

// ---------------------------------------------------------------------------------------------
// Targets

interface TargetFigures {
  description: string;
  url: string;
  get_wallets: { warmup: RunFigures; measured: RunFigures };
  add_delete: { warmup: CycleFigures; measured: CycleFigures };
  audit?: { entries: number; expected: number; changes_sent: number; ok: boolean };
  failures: string[];
}

const failuresOf = (name: string, figures: RunFigures & Partial<CycleFigures>) => {
  const failures: string[] = [];
  if (figures.errors > 0) failures.push(`${name}: ${figures.errors} error(s)`);
  if (figures.timeouts > 0) failures.push(`${name}: ${figures.timeouts} timeout(s)`);
  if (figures.non_2xx > 0) failures.push(`${name}: ${figures.non_2xx} non-2xx answer(s) ${JSON.stringify(figures.status_codes)}`);
  if (figures.leftover_rules?.length)
    failures.push(`${name}: ${figures.leftover_rules.length} leftover rule(s): ${figures.leftover_rules.slice(0, 5).join('; ')}`);
  return failures;
};

const measureTarget = async (
  target: Target,
  context: Omit<Measurer, 'target'> & { wallets: BenchWallet[]; duration: number; connections: number },
): Promise<TargetFigures> => {
  const m: Measurer = { ...context, target };
  const { wallets, duration, connections } = context;
  console.log(`${target.name}: ${target.baseUrl}${target.prefix} — each workload ${WARMUP_S} s warm-up, then ${duration} s at ${connections} connections…`);

  const getWarmup = await getWallets(m, connections, WARMUP_S);
  const getMeasured = await getWallets(m, connections, duration);

  // One checked cycle, so nothing benchmarks 4xx; the console's audit log then holds its 4 entries too.
  await probeCycle(target, wallets[0]!);
  const cycleWarmup = await addDeleteCycles(m, wallets, connections, WARMUP_S);
  const cycleMeasured = await addDeleteCycles(m, wallets, connections, duration);

  const figures: TargetFigures = {
    description: target.description,
    url: `${target.baseUrl}${target.prefix}`,
    get_wallets: { warmup: getWarmup, measured: getMeasured },
    add_delete: { warmup: cycleWarmup, measured: cycleMeasured },
    failures: [
      ...failuresOf(`${target.name} get_wallets warm-up`, getWarmup),
      ...failuresOf(`${target.name} get_wallets`, getMeasured),
      ...failuresOf(`${target.name} add_delete warm-up`, cycleWarmup),
      ...failuresOf(`${target.name} add_delete`, cycleMeasured),
    ],
  };

  if (target.auditEntries) {
    // Each POST and DELETE the console was sent writes `requested` and its outcome.
    const changesSent = 2 + [cycleWarmup, cycleMeasured].reduce((sum, f) => sum + f.adds_sent + f.deletes_sent, 0);
    const expected = 2 * changesSent;
    let entries = await target.auditEntries();
    // Changes in flight when a run ended finish a moment later.
    for (let tries = 0; entries !== expected && tries < 20; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      entries = await target.auditEntries();
    }
    figures.audit = { entries, expected, changes_sent: changesSent, ok: entries === expected };
    if (!figures.audit.ok) figures.failures.push(`${target.name}: the audit log holds ${entries} entries, not 2 × ${changesSent} = ${expected}`);
  }
  return figures;
};

// ---------------------------------------------------------------------------------------------
// The report

const fmt = (value: number | null | undefined, digits = 3) => (value === null || value === undefined ? 'n/a' : value.toFixed(digits));

const table = (header: string[], rows: string[][]) => {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `  ${cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('   ')}`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
};

const main = async (): Promise<number> => {
  const options = readLoadOptions(USAGE, [], { duration: 60, connections: 50 });
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const startedAt = new Date();

  const wallets = pickWallets(options.connections);
  const accept = { accept: 'application/json' };
  const notes: string[] = [
    `${os.cpus().length} CPU core(s), shared by autocannon (this process), the sandbox (one Node process) and the target; targets run one after another.`,
    'The sandbox persists every change (a group-committed, fsynced JSON snapshot) before answering, and is reset to its seed before each target.',
    "The console's change path re-reads the wallet's rules under the wallet's lock before every POST and DELETE (the policy on fresh data), claims each Idempotency-Key and keeps its answer, and writes 2 audit entries per POST and DELETE (embedded PGlite); the wallet's facts and the destination's currency are cached briefly.",
  ];
  const results: Partial<Record<TargetName, TargetFigures | { skipped: string }>> = {};
  /** What reached MassPay during each target's runs (both workloads): writes, and the reads around them. */
  const masspayPerChange: Partial<
    Record<TargetName, { writes: number; listAutopayRules: number; listWallets: number; getService: number; gets_per_change: number | null }>
  > = {};
  let nginxVersionText: string | undefined;

  const dataDir = await mkdtemp(join(os.tmpdir(), 'masspay-load-bench-'));
  let sandbox: ServerProcess | undefined;
  try {
    sandbox = await startServerProcess({ type: 'start', role: 'sandbox', dataDir });
    const running = sandbox;
    const upstream = { baseUrl: running.baseUrl, apiKey: running.apiKey! };
    const sandboxApi = sandboxClient(upstream);
    const settle = async () => {
      let last = (await running.stats()).requests;
      for (let tries = 0; tries < 40; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        const now = (await running.stats()).requests;
        if (now === last) return;
        last = now;
      }
    };
    console.log(`Sandbox (upstream for every target) on ${upstream.baseUrl}, data in ${dataDir}.`);
    console.log(`Workloads: GET wallets of Ada; add+delete cycles on ${wallets.length} wallets of generated users (one per connection).\n`);

    const targets: { name: TargetName; start: () => Promise<Target | string> }[] = [
      {
        name: 'direct',
        start: async () => ({
          name: 'direct',
          description: 'the sandbox itself',
          baseUrl: upstream.baseUrl,
          prefix: '',
          headers: { ...accept, authorization: `Bearer ${upstream.apiKey}` },
          changeHeaders: {},
          cpuUs: async () => (await running.stats()).cpuUs,
          stop: async () => {},
        }),
      },
      {
        name: 'console',
        start: async () => {
          const server = await startServerProcess({ type: 'start', role: 'console', upstream, staffRole: 'editor' });
          const target: Target = {
            name: 'console',
            description:
              'our proxy: buildServer() from src/server (Fastify + undici Pool), one Node process, signed in as an editor (session cookie checked on every request), audit log in embedded PGlite',
            baseUrl: server.baseUrl,
            prefix: '/api',
            headers: { ...accept, ...server.headers },
            changeHeaders: { 'x-requested-with': 'XMLHttpRequest' },
            cpuUs: async () => (await server.stats()).cpuUs,
            auditEntries: () => server.auditEntries(),
            refresh: async () => void Object.assign(target.headers, await server.signIn()),
            stop: () => server.stop(),
          };
          return target;
        },
      },
      {
        name: 'nginx',
        start: async () => {
          if (!(await nginxInstalled())) return `${NGINX} is not installed`;
          nginxVersionText = await nginxVersion();
          // Enough idle upstream connections for every client connection: no reconnecting to the sandbox.
          const keepalive = Math.max(32, options.connections);
          const shape = { name: 'nginx' as const, prefix: '/api', headers: accept };
          const nginx = await startCheckedNginx(upstream, { keepalive, notes, answers: (baseUrl: string) => probeGet({ ...shape, baseUrl }) });
          const target: Target = {
            ...shape,
            description: `nginx ${nginxVersionText} proxy_pass, worker_processes 1, upstream keepalive ${keepalive}`,
            baseUrl: nginx.baseUrl,
            changeHeaders: {},
            cpuUs: nginx.cpuUs,
            stop: nginx.stop,
          };
          return target;
        },
      },
    ];

    for (const { name, start } of targets) {
      checkInterrupted();
      await sandboxApi.reset();
      const target = await start();
      if (typeof target === 'string') {
        results[name] = { skipped: target };
        notes.push(`${name} skipped: ${target}.`);
        console.log(`${name}: skipped (${target}).`);
        continue;
      }
      try {
        const before = await sandboxApi.byRoute();
        results[name] = await measureTarget(target, {
          sandbox: running,
          sandboxApi,
          settle,
          wallets,
          duration: options.duration,
          connections: options.connections,
        });
        const after = await sandboxApi.byRoute();
        const delta = (route: string) => (after[route] ?? 0) - (before[route] ?? 0);
        const writes = delta('createAutopayRule') + delta('deleteAutopayRule');
        const reads = { listAutopayRules: delta('listAutopayRules'), listWallets: delta('listWallets'), getService: delta('getService') };
        masspayPerChange[name] = {
          writes,
          ...reads,
          gets_per_change: writes > 0 ? round((reads.listAutopayRules + reads.listWallets + reads.getService) / writes, 3) : null,
        };
      } finally {
        await target.stop();
      }
    }
  } finally {
    await sandbox?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }

  // ---- Report
  const header = ['target', 'workload', 'req/s', 'cycles/s', 'p50 ms', 'p99 ms', 'errors', 'non-2xx', 'CPU µs/req'];
  const rows: string[][] = [];
  for (const name of ['direct', 'console', 'nginx'] as const) {
    const figures = results[name];
    if (!figures || 'skipped' in figures) {
      rows.push([name, 'skipped', '', '', '', '', '', '', '']);
      continue;
    }
    for (const workload of ['get_wallets', 'add_delete'] as const satisfies WorkloadName[]) {
      const run = figures[workload].measured;
      rows.push([
        name,
        workload === 'get_wallets' ? 'GET wallets' : 'add+delete',
        run.requests_per_s_mean.toFixed(1),
        'cycles_per_s' in run ? fmt(run.cycles_per_s, 1) : '',
        fmt(run.latency_p50_ms),
        fmt(run.latency_p99_ms),
        String(run.errors),
        String(run.non_2xx),
        fmt(run.target_cpu_us_per_request, 1),
      ]);
    }
  }
  console.log('');
  console.log(
    `  ${options.duration} s at ${options.connections} connections per run (after ${WARMUP_S} s of warm-up). Latencies from each 2xx answer's own timing;`,
  );
  console.log('  add+delete: a cycle is a POST and a DELETE, both counted in req/s. CPU µs/req: the answering process (the sandbox for direct).');
  console.log(table(header, rows));
  const consoleFigures = results.console;
  if (consoleFigures && !('skipped' in consoleFigures) && consoleFigures.audit) {
    const { entries, expected, changes_sent: sent } = consoleFigures.audit;
    console.log(
      `\n  console audit log: ${entries} entries for ${sent} POSTs and DELETEs (expected 2 × ${sent} = ${expected}) — ${consoleFigures.audit.ok ? 'ok' : 'MISMATCH'}`,
    );
  }
  for (const [name, figures] of Object.entries(masspayPerChange)) {
    console.log(
      `  ${name}: MassPay saw ${figures.writes} rule writes, ${figures.listAutopayRules} rule lists, ${figures.getService} catalog reads and ${figures.listWallets} wallet lists (most of them the GET wallets workload; the change path's own are cached per wallet for 30 s)`,
    );
  }
  const consoleCalls = masspayPerChange.console;
  const directCalls = masspayPerChange.direct;
  if (consoleCalls && directCalls && consoleCalls.writes > 0) {
    const extraPerChange =
      (consoleCalls.listAutopayRules + consoleCalls.getService - directCalls.listAutopayRules - directCalls.getService) / consoleCalls.writes;
    console.log(`  console: extra MassPay GETs per change (rule lists and catalog reads beyond direct's) ${extraPerChange.toFixed(3)} — budget ≤ 1`);
  }
  const dbWork = await measureChangeDbWork();
  console.log(
    `  change path database work per add (embedded PGlite: key claimed, settle mark read, set and cleared, 2 audit entries, answer kept), ${dbWork.changes} changes: p50 ${dbWork.p50_ms} ms, p99 ${dbWork.p99_ms} ms — budget p50 ≤ 5 ms`,
  );
  const cutOffs = Object.entries(results)
    .filter((entry): entry is [string, TargetFigures] => !('skipped' in entry[1]))
    .map(([name, f]) => `${name} ${f.add_delete.warmup.cut_off_rules + f.add_delete.measured.cut_off_rules}`);
  console.log(`  rules left by cycles cut off at the end of a run (removed by the bench): ${cutOffs.join(', ')}; no other leftovers allowed.`);
  console.log('');
  for (const note of notes) console.log(`  Note: ${note}`);

  const failures = Object.values(results).flatMap((f) => (f && !('skipped' in f) ? f.failures : []));
  const file = await writeResults(`load-${fileStamp(startedAt)}.json`, {
    started_at: startedAt.toISOString(),
    warmup_s: WARMUP_S,
    duration_s: options.duration,
    connections: options.connections,
    node: process.version,
    nginx: nginxVersionText ?? null,
    cpus: os.cpus().length,
    cpu_model: os.cpus()[0]?.model ?? null,
    workloads: {
      get_wallets: { route: 'GET /payout/wallet/{user_token}', user_token: SEED_PEOPLE.ada.userToken },
      add_delete: {
        routes: ['POST /payout/wallet/{user_token}/{wallet_token}/autopayout', 'DELETE /payout/wallet/{user_token}/{wallet_token}/autopayout?token='],
        wallets: wallets.map((w) => ({
          user_token: w.userToken,
          wallet_token: w.walletToken,
          currency: w.currency,
          destination_token: w.destinationToken,
          percentage: w.percentage,
        })),
      },
    },
    targets: results,
    masspay_requests: masspayPerChange,
    change_db_work: dbWork,
    failures,
    notes,
  });
  console.log(`\nWrote ${file}`);

  if (failures.length > 0) {
    for (const failure of failures) console.error(`FAILED: ${failure}`);
    return 1;
  }
  return 0;
};

runBench(main);
