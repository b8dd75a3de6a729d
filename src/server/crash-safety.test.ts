// Issue 7 item 3: crash safety. The real server process (src/server/main.ts, as `npm start` runs it, with
// the embedded sandbox and the embedded audit log in a temporary DATA_DIR) is SIGKILLed during a burst of
// rule adds, three times at different points, and restarted on the same DATA_DIR each time. After every
// restart: every add the client saw acknowledged (200) is in its wallet's rule list and in the audit log
// (`requested` and `succeeded`, with the rule token), nothing is torn (every entry parses, the sandbox's
// state file parses), and the adds that were in flight at the kill left either nothing, or a trace that
// is consistent (never a rule without its `requested` entry, never `succeeded` without the rule).
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntrySchema, autopayRuleListSchema, type AuditEntry, type AutopayRule } from '../api';
import { openAuditStore } from './audit/store';
import { SEED_DESTINATIONS } from '../../test/seed';
import { runningServers, startServerProcess, type ServerProcess } from './server-process';
import { sessionCookieOf, TEST_PASSWORD } from '../../test/server-support';
import { seedConsoleDataDir } from '../../test/embedded-db-template';

/** Adds in flight at once. */
const CONCURRENCY = 16;
/** Acknowledged adds after which each burst's server is killed. */
const KILL_AFTER = [25, 70, 120];

// ---------------------------------------------------------------------------------------------------
// The server as a process: `npm start`'s entry point with the embedded sandbox, on the given DATA_DIR

// An add in flight at a kill may still land until its timeout and the settle time have passed since it
// was sent: its wallet answers 409 wallet-busy with Retry-After until then (kept short here).
const startServer = (dataDir: string) => startServerProcess({ DATA_DIR: dataDir, UPSTREAM_TIMEOUT_MS: '4000', MASSPAY_SETTLE_MS: '1000' });

const signIn = async (baseUrl: string, role: 'editor' | 'admin') => {
  const res = await fetch(`${baseUrl}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-requested-with': 'XMLHttpRequest' },
    body: JSON.stringify({ email: `${role}@example.com`, password: TEST_PASSWORD }),
  });
  const cookie = sessionCookieOf(res.headers);
  if (res.status !== 200 || !cookie) throw new Error(`sign-in as ${role} answered ${res.status}: ${await res.text()}`);
  return cookie;
};

// ---------------------------------------------------------------------------------------------------
// What to add: rules the seed allows (same currency, a destination the wallet does not pay yet, small shares)

interface Plan {
  user: string;
  wallet: string;
  destination: string;
  percentage: number;
}

interface StateFile {
  version: number;
  users: { user_token: string; status: string }[];
  wallets: { user_token: string; token: string; currency_code: string; type: string; active: boolean }[];
  rules: Record<string, { destination_token: string; percentage: number }[]>;
}

const readStateFile = async (dataDir: string) => JSON.parse(await readFile(join(dataDir, 'sandbox-state.json'), 'utf8')) as StateFile;

/** One add per (wallet, destination) the seed leaves free, the wallets taken in turn; shares of 0.01–0.25 %. */
const planAdds = (state: StateFile): Plan[] => {
  const currencyOf = new Map<string, string>([
    [SEED_DESTINATIONS.evergreen, 'USD'],
    [SEED_DESTINATIONS.lakeside, 'USD'],
    [SEED_DESTINATIONS.quickCash, 'USD'],
    [SEED_DESTINATIONS.exampleCard, 'USD'],
    [SEED_DESTINATIONS.bancoEjemplo, 'MXN'],
    [SEED_DESTINATIONS.rhein, 'EUR'],
  ]);
  const walletCurrency = new Map(state.wallets.map((w) => [w.token, w.currency_code]));
  for (const [wallet, rules] of Object.entries(state.rules)) for (const rule of rules) currencyOf.set(rule.destination_token, walletCurrency.get(wallet)!);
  const activeUsers = new Set(state.users.filter((u) => u.status === 'ACTIVE').map((u) => u.user_token));
  const perWallet = state.wallets
    .filter((w) => w.type === 'USER_FUNDS' && w.active && activeUsers.has(w.user_token))
    .map((w) => {
      const rules = state.rules[w.token] ?? [];
      let freeBp = 10_000 - rules.reduce((sum, r) => sum + Math.round(r.percentage * 100), 0);
      const taken = new Set(rules.map((r) => r.destination_token));
      const plans: Plan[] = [];
      for (const [destination, currency] of currencyOf) {
        const bp = 1 + ((plans.length * 7 + w.token.charCodeAt(0)) % 25);
        if (currency !== w.currency_code || taken.has(destination) || bp > freeBp) continue;
        freeBp -= bp;
        plans.push({ user: w.user_token, wallet: w.token, destination, percentage: bp / 100 });
      }
      return plans;
    });
  const interleaved: Plan[] = [];
  for (let round = 0; perWallet.some((plans) => plans.length > round); round += 1) {
    for (const plans of perWallet) if (plans[round]) interleaved.push(plans[round]!);
  }
  return interleaved;
};

// ---------------------------------------------------------------------------------------------------
// The burst

interface Attempt {
  plan: Plan;
  /** Our Idempotency-Key: the audit log records it, so even an add that never answered can be found. */
  key: string;
  status?: number;
  ruleToken?: string;
  requestId?: string;
  error?: string;
}

const rulesPath = (plan: Plan) => `/api/payout/wallet/${plan.user}/${plan.wallet}/autopayout`;

/** Adds from `plans` with CONCURRENCY in flight; SIGKILLs the server once `killAfter` adds were acknowledged. */
const burstThenKill = async (server: ServerProcess, cookie: string, plans: Plan[], killAfter: number) => {
  const attempts: Attempt[] = [];
  let next = 0;
  let acknowledged = 0;
  let killed = false;
  const worker = async () => {
    while (!killed && next < plans.length) {
      const attempt: Attempt = { plan: plans[next++]!, key: randomUUID() };
      attempts.push(attempt);
      try {
        const send = () =>
          fetch(`${server.baseUrl}${rulesPath(attempt.plan)}`, {
            method: 'POST',
            headers: { cookie, 'x-requested-with': 'XMLHttpRequest', 'content-type': 'application/json', 'idempotency-key': attempt.key },
            body: JSON.stringify({ destination_token: attempt.plan.destination, percentage: attempt.plan.percentage }),
          });
        let res = await send();
        // A wallet whose add the last kill cut short may still change until that add has settled: the
        // console says so (409 wallet-busy, Retry-After), and a client comes back then with the same key.
        for (let wait = Number(res.headers.get('retry-after')); res.status === 409 && wait > 0 && !killed; wait = Number(res.headers.get('retry-after'))) {
          await res.text();
          await new Promise((resolve) => setTimeout(resolve, wait * 1_000));
          res = await send();
        }
        const text = await res.text();
        attempt.status = res.status;
        attempt.requestId = res.headers.get('x-request-id') ?? undefined;
        // Acknowledged: the client read the whole 200 (also after the kill, if it was already on its way).
        if (res.status === 200) {
          attempt.ruleToken = (JSON.parse(text) as AutopayRule).token;
          acknowledged += 1;
          if (acknowledged >= killAfter && !killed) {
            killed = true;
            server.proc.kill('SIGKILL');
          }
        } else {
          attempt.error = text;
        }
      } catch (error) {
        attempt.error = String((error as Error).cause ?? error);
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const { signal } = await server.exited;
  return { attempts, signal, ms: performance.now() - started };
};

// ---------------------------------------------------------------------------------------------------
// What survived

const getJson = async (baseUrl: string, path: string, cookie: string) => {
  const res = await fetch(`${baseUrl}${path}`, { headers: { cookie } });
  if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${await res.text()}`);
  return res.json() as Promise<unknown>;
};

/** Every audit entry, through the admin's API, each checked against the contract. */
const readAuditLog = async (baseUrl: string, cookie: string) => {
  const entries: AuditEntry[] = [];
  for (let page = 1; ; page += 1) {
    const body = (await getJson(baseUrl, `/api/audit?limit=100&page=${page}`, cookie)) as { entries: unknown[]; total: number };
    for (const entry of body.entries) entries.push(auditEntrySchema.parse(entry));
    if (entries.length >= body.total || body.entries.length === 0) return entries;
  }
};

type Fate = 'absent' | 'requested only' | 'rule, requested, no outcome' | 'complete';

/** Checks every attempt so far against the rules and the audit log after a restart; returns the fates of the unacknowledged ones of `round`. */
const checkSurvivors = async (baseUrl: string, attempts: Attempt[], round: Set<Attempt>) => {
  const [editor, admin] = await Promise.all([signIn(baseUrl, 'editor'), signIn(baseUrl, 'admin')]);
  const rulesByWallet = new Map<string, AutopayRule[]>();
  for (const path of new Set(attempts.map((a) => rulesPath(a.plan)))) {
    rulesByWallet.set(path, autopayRuleListSchema.parse(await getJson(baseUrl, path, editor)));
  }
  const entries = await readAuditLog(baseUrl, admin);
  const byKey = new Map<string, AuditEntry[]>();
  for (const entry of entries) if (entry.idempotencyKey) byKey.set(entry.idempotencyKey, [...(byKey.get(entry.idempotencyKey) ?? []), entry]);

  const fates = new Map<Fate, number>();
  for (const attempt of attempts) {
    const rules = rulesByWallet.get(rulesPath(attempt.plan))!;
    const rule = rules.find((r) => r.destination_token === attempt.plan.destination);
    const logged = byKey.get(attempt.key) ?? [];
    const requested = logged.filter((e) => e.outcome === 'requested');
    const outcomes = logged.filter((e) => e.outcome !== 'requested');
    const what = `add ${attempt.plan.percentage} % to ${attempt.plan.destination} on wallet ${attempt.plan.wallet} (key ${attempt.key}, ${attempt.status ?? attempt.error})`;
    // Never twice, never an outcome without its request, never a change MassPay made unrecorded.
    expect(requested.length, what).toBeLessThanOrEqual(1);
    expect(outcomes.length, what).toBeLessThanOrEqual(1);
    if (outcomes.length > 0) expect(requested, what).toHaveLength(1);
    if (rule) expect(requested, `${what}: the rule exists, so its request must be in the log`).toHaveLength(1);
    if (outcomes[0]?.outcome === 'succeeded') expect(rule?.token, `${what}: logged as succeeded`).toBe(outcomes[0].ruleToken);

    if (attempt.status === 200) {
      expect(rule, `${what}: acknowledged, so in the wallet's rules`).toMatchObject({ token: attempt.ruleToken, percentage: attempt.plan.percentage });
      expect(requested[0], `${what}: acknowledged, so requested`).toMatchObject({
        requestId: attempt.requestId,
        action: 'add_rule',
        staffEmail: 'editor@example.com',
        destinationToken: attempt.plan.destination,
        percentage: attempt.plan.percentage,
      });
      expect(outcomes[0], `${what}: acknowledged, so succeeded`).toMatchObject({
        outcome: 'succeeded',
        requestId: attempt.requestId,
        ruleToken: attempt.ruleToken,
        masspayStatus: 200,
      });
    } else {
      const fate: Fate =
        !rule && requested.length === 0 ? 'absent' : !rule ? 'requested only' : outcomes.length === 0 ? 'rule, requested, no outcome' : 'complete';
      if (fate === 'requested only') expect(outcomes, `${what}: no rule, so no success`).toEqual([]);
      if (round.has(attempt)) fates.set(fate, (fates.get(fate) ?? 0) + 1);
    }
  }
  return { fates, entries: entries.length };
};

// ---------------------------------------------------------------------------------------------------

let dataDir = '';
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'console-crash-'));
  await seedConsoleDataDir(dataDir);
});
afterAll(async () => {
  for (const proc of runningServers) proc.kill('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

describe('the server SIGKILLed during a burst of adds', () => {
  it(`three kills (after ${KILL_AFTER.join(', ')} acknowledged adds): after each restart every acknowledged add is in MassPay and the audit log, and nothing is torn`, async () => {
    let server = await startServer(dataDir);
    const plans = planAdds(await readStateFile(dataDir));
    expect(plans.length).toBeGreaterThan(KILL_AFTER.reduce((a, n) => a + n + CONCURRENCY, 0));
    const everyAttempt: Attempt[] = [];
    const report: string[] = [`crash safety: ${plans.length} adds planned over ${new Set(plans.map((p) => p.wallet)).size} wallets, ${CONCURRENCY} in flight`];

    for (const [round, killAfter] of KILL_AFTER.entries()) {
      const cookie = await signIn(server.baseUrl, 'editor');
      const { attempts, signal, ms } = await burstThenKill(server, cookie, plans.slice(everyAttempt.length), killAfter);
      expect(signal, server.output()).toBe('SIGKILL');
      everyAttempt.push(...attempts);
      const acknowledged = attempts.filter((a) => a.status === 200);
      // Before the kill every add was valid: only the kill may cut one short.
      expect(attempts.filter((a) => a.status !== undefined && a.status !== 200).map((a) => `${a.status} ${a.error}`)).toEqual([]);
      expect(acknowledged.length).toBeGreaterThanOrEqual(killAfter);

      const restartedAt = performance.now();
      server = await startServer(dataDir);
      const restartMs = performance.now() - restartedAt;
      const { fates, entries } = await checkSurvivors(server.baseUrl, everyAttempt, new Set(attempts));
      const cut = attempts.filter((a) => a.status === undefined);
      report.push(
        `  kill ${round + 1}: ${acknowledged.length} acknowledged, ${cut.length} cut short, in ${(ms / 1000).toFixed(1)} s; restart ${(restartMs / 1000).toFixed(1)} s; ` +
          `audit log ${entries} entries; all ${everyAttempt.filter((a) => a.status === 200).length} acknowledged adds so far present (rule, requested, succeeded); ` +
          `the ${cut.length} cut short: ${[...fates].map(([fate, n]) => `${fate} ${n}`).join(', ') || 'none'}`,
      );
    }

    // Stopped cleanly, the files themselves: the audit store opens and every row parses, the state file parses.
    server.proc.kill('SIGTERM');
    expect((await server.exited).code, server.output()).toBe(0);
    const store = await openAuditStore({ dataDir });
    const rows: AuditEntry[] = [];
    try {
      for await (const row of store.iterate({})) rows.push(auditEntrySchema.parse(row));
    } finally {
      await store.close();
    }
    const state = await readStateFile(dataDir);
    expect(state.version).toBe(1);
    for (const attempt of everyAttempt.filter((a) => a.status === 200)) {
      expect(
        state.rules[attempt.plan.wallet]?.some((r) => (r as AutopayRule).token === attempt.ruleToken),
        `rule ${attempt.ruleToken} in the state file`,
      ).toBe(true);
    }
    const leftovers = (await readdir(dataDir)).filter((name) => name.endsWith('.tmp'));
    report.push(
      `  after a clean stop: audit store ${rows.length} rows, all parse; sandbox-state.json parses; temp files left by the kills: ${leftovers.length}`,
    );
    console.log(report.join('\n'));
    expect(rows.length).toBe(new Set(rows.map((r) => r.id)).size);
  }, 180_000);
});
