// A percentage change is two MassPay steps (delete, then create). The real server process
// (src/server/main.ts, as `npm start` runs it) is SIGKILLed between them, three ways, then restarted on
// the same DATA_DIR: once the step in flight can no longer land, the wallet holds the old rule or the
// new one — never neither, never both — and the audit log says which. MassPay is a lenient sandbox in this test's own process,
// so it outlives the console and its faults are set from here.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { auditPageSchema, type AuditEntry } from '../../api';
import { hashPassword } from '../auth/passwords';
import { writeStaffFile } from '../auth/staff-file';
import { startEmbeddedSandbox, type EmbeddedSandbox } from '../embedded-sandbox';
import { SEED_DESTINATIONS as D, SEED_PEOPLE } from '../../../test/seed';
import { runningServers, startServerProcess } from '../server-process';
import { sessionCookieOf } from '../../../test/server-support';
import { seedConsoleDataDir } from '../../../test/embedded-db-template';

const PASSWORD = 'crash-test-password';
const { ada } = SEED_PEOPLE;

let dir = '';
let sandbox: EmbeddedSandbox;
/** The console as a process of its own, in front of this test's sandbox, on `dataDir`. */
const startConsoleProcess = (dataDir: string) =>
  startServerProcess({
    DATA_DIR: dataDir,
    MASSPAY_BASE_URL: sandbox.baseUrl,
    MASSPAY_API_KEY: sandbox.apiKey,
    STAFF_FILE: join(dir, 'staff.json'),
    // A step in flight when the process died may land until its timeout and the settle time have passed
    // since it was sent: only then may the restarted server put a rule back or make it again.
    UPSTREAM_TIMEOUT_MS: '3000',
    MASSPAY_SETTLE_MS: '1000',
  });

const signIn = async (baseUrl: string, role: 'editor' | 'admin') => {
  const res = await fetch(`${baseUrl}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-requested-with': 'XMLHttpRequest' },
    body: JSON.stringify({ email: `${role}@example.com`, password: PASSWORD }),
  });
  const cookie = sessionCookieOf(res.headers);
  if (res.status !== 200 || !cookie) throw new Error(`sign-in as ${role} answered ${res.status}`);
  return cookie;
};

const until = async (what: string, check: () => boolean | Promise<boolean>, ms = 20_000) => {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'edit-crash-'));
  sandbox = await startEmbeddedSandbox({ dataDir: join(dir, 'sandbox'), policy: 'lenient' });
  const passwordHash = await hashPassword(PASSWORD);
  await writeStaffFile(join(dir, 'staff.json'), [
    { email: 'editor@example.com', name: 'Eddie Editor', role: 'editor', passwordHash },
    { email: 'admin@example.com', name: 'Ada Admin', role: 'admin', passwordHash },
  ]);
}, 60_000);
afterAll(async () => {
  for (const proc of runningServers) proc.kill('SIGKILL');
  await sandbox?.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  sandbox.sandbox.faults.clear();
  await sandbox.sandbox.store.reset();
  sandbox.sandbox.stats.reset();
});

const evergreenRules = () => (sandbox.sandbox.store.state.rules[ada.usdWallet] ?? []).filter((rule) => rule.destination_token === D.evergreen);

describe('a percentage change survives its server being killed between the steps', () => {
  it.each([
    ['while the delete is in flight (it lands after the kill)', { latencyMs: 1_500, latencyMethods: ['DELETE' as const] }, 'deleteAutopayRule'],
    ['while the create is in flight (it lands after the kill)', { latencyMs: 1_500, latencyMethods: ['POST' as const] }, 'createAutopayRule'],
    [
      'while the create is in flight (it never lands)',
      { latencyMs: 1_500, latencyMethods: ['POST' as const], failNext: { count: 1, drop: true, methods: ['POST' as const] } },
      'createAutopayRule',
    ],
  ])('killed %s', { timeout: 90_000 }, async (_when, faults, inFlight) => {
    const dataDir = join(dir, `console-${randomUUID()}`);
    await seedConsoleDataDir(dataDir);
    const first = await startConsoleProcess(dataDir);
    const cookie = await signIn(first.baseUrl, 'editor');
    const [old] = evergreenRules();
    sandbox.sandbox.faults.set(faults);
    const change = fetch(`${first.baseUrl}/api/console/wallet/${ada.userToken}/${ada.usdWallet}/autopayout/${old!.token}`, {
      method: 'PATCH',
      headers: { cookie, 'content-type': 'application/json', 'x-requested-with': 'XMLHttpRequest', 'idempotency-key': randomUUID() },
      body: JSON.stringify({ percentage: 70 }),
    }).catch(() => undefined);
    // The step is on the wire, waiting in MassPay: now the server dies.
    await until(`the ${inFlight} step to reach MassPay`, () => (sandbox.sandbox.stats.byRoute[inFlight as 'createAutopayRule'] ?? 0) >= 1);
    first.proc.kill('SIGKILL');
    await first.exited;
    expect(await change).toBeUndefined();
    // Let whatever was in flight land (or not) before the restart looks.
    await new Promise((resolve) => setTimeout(resolve, 1_700));
    sandbox.sandbox.faults.clear();

    const second = await startConsoleProcess(dataDir);
    try {
      const admin = await signIn(second.baseUrl, 'admin');
      let edits: AuditEntry[] = [];
      const ended = () => edits.find((entry) => entry.outcome !== 'requested');
      // Recovery runs before the server listens, and again as soon as the step in flight has settled
      // (sent + 3 s timeout + 1 s settle): the change ends within a few seconds of the restart.
      await until('the change to end', async () => {
        const page = auditPageSchema.parse(
          await (await fetch(`${second.baseUrl}/api/audit?user=${ada.userToken}&action=edit_rule&limit=100`, { headers: { cookie: admin } })).json(),
        );
        edits = page.entries;
        return ended() !== undefined;
      });
      const rules = evergreenRules();
      expect(rules, 'exactly one rule for the destination: never neither, never both').toHaveLength(1);
      expect([60, 70]).toContain(rules[0]!.percentage);
      const final = ended()!;
      expect(final.outcome).toBe(rules[0]!.percentage === 70 ? 'succeeded' : 'compensated');
      expect(final.ruleToken).toBe(rules[0]!.token);
      expect(edits.filter((entry) => entry.changeId === final.changeId).map((entry) => entry.outcome)).toEqual([final.outcome, 'requested']);
      // After the restart nothing is half done: the total is what one of the two rules makes it.
      const total = sandbox.sandbox.store.state.rules[ada.usdWallet]!.reduce((sum, rule) => sum + rule.percentage, 0);
      expect(total).toBe(rules[0]!.percentage + 25);
    } finally {
      second.proc.kill('SIGTERM');
      await second.exited;
    }
  });
});
