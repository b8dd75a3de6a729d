// A bulk job survives its server: the real server process (src/server/main.ts, as `npm start` runs it,
// embedded store in its DATA_DIR) runs a job of 60 adds; it is stopped with SIGTERM mid-apply, started
// again on the same DATA_DIR, then SIGKILLed mid-apply and started again. The job resumes on its own
// each time and completes, and every row is applied exactly once: MassPay (a lenient sandbox in this
// test's process, which would take a second add) got one create per row, and the audit log holds one
// `succeeded` entry per row. The row in flight at the kill is asked again under its key and reconciled.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bulkJobSchema, bulkRowPageSchema, type AuditEntry, type BulkJob } from '../../api';
import { openAuditStore } from '../audit/store';
import { hashPassword } from '../auth/passwords';
import { writeStaffFile } from '../auth/staff-file';
import { startEmbeddedSandbox, type EmbeddedSandbox } from '../embedded-sandbox';
import { runningServers, startServerProcess, type ServerProcess } from '../server-process';
import { csvOf, planAdds, until } from '../../../test/bulk-support';
import { sessionCookieOf } from '../../../test/server-support';
import { seedConsoleDataDir } from '../../../test/embedded-db-template';

const PASSWORD = 'bulk-crash-password';
const ROWS = 60;

let dir = '';
let sandbox: EmbeddedSandbox;

/** The console as a process of its own in front of this test's sandbox. The key of a row in flight at a kill frees after 1 + 6 × 1 + 5 s. */
const startConsoleProcess = (dataDir: string) =>
  startServerProcess({
    DATA_DIR: dataDir,
    MASSPAY_BASE_URL: sandbox.baseUrl,
    MASSPAY_API_KEY: sandbox.apiKey,
    STAFF_FILE: join(dir, 'staff.json'),
    UPSTREAM_TIMEOUT_MS: '1000',
    WALLET_LOCK_WAIT_MS: '1000',
    MASSPAY_SETTLE_MS: '1000',
    // Load shedding is not under test: a process just started (tsx compiling, the database opening) on a
    // machine shared with other test runs may lag past its limit and refuse the first sign-in.
    MAX_EVENT_LOOP_DELAY_MS: '0',
  });

const signIn = async (server: ServerProcess) => {
  const res = await fetch(`${server.baseUrl}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-requested-with': 'XMLHttpRequest' },
    body: JSON.stringify({ email: 'editor@example.com', password: PASSWORD }),
  });
  const cookie = sessionCookieOf(res.headers);
  if (res.status !== 200 || !cookie) throw new Error(`sign-in answered ${res.status}: ${await res.text()}\n${server.output()}`);
  return cookie;
};

const api = async (server: ServerProcess, cookie: string, method: string, path: string, body?: string, type = 'application/json') => {
  const res = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: { cookie, 'x-requested-with': 'XMLHttpRequest', ...(body === undefined ? {} : { 'content-type': type }) },
    body,
  });
  return { status: res.status, body: (await res.json()) as unknown };
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bulk-crash-'));
  sandbox = await startEmbeddedSandbox({ dataDir: join(dir, 'sandbox'), policy: 'lenient' });
  await writeStaffFile(join(dir, 'staff.json'), [
    { email: 'editor@example.com', name: 'Eddie Editor', role: 'editor', passwordHash: await hashPassword(PASSWORD) },
  ]);
}, 60_000);
afterAll(async () => {
  for (const proc of runningServers) proc.kill('SIGKILL');
  await sandbox?.close();
  await rm(dir, { recursive: true, force: true });
});

it('resumes after SIGTERM and after SIGKILL mid-apply, and applies every row exactly once', { timeout: 180_000 }, async () => {
  const rows = planAdds(sandbox.sandbox.store.state, ROWS);
  expect(rows).toHaveLength(ROWS);
  const dataDir = join(dir, 'console');
  await seedConsoleDataDir(dataDir);
  let server = await startConsoleProcess(dataDir);
  let cookie = await signIn(server);
  const uploaded = await api(server, cookie, 'POST', '/api/console/bulk?name=crash.csv', csvOf(rows), 'text/csv');
  expect(uploaded.status).toBe(202);
  const { id } = uploaded.body as { id: string };
  const job = async (): Promise<BulkJob> => bulkJobSchema.parse((await api(server, cookie, 'GET', `/api/console/bulk/${id}`)).body);
  await until('the dry run', async () => (await job()).status === 'ready');
  expect((await job()).counts.change).toBe(ROWS);

  // Each create waits 100 ms in MassPay: the job takes a few seconds, and a kill finds a row in flight.
  sandbox.sandbox.faults.set({ latencyMs: 100, latencyMethods: ['POST'] });
  expect((await api(server, cookie, 'POST', `/api/console/bulk/${id}/start`)).status).toBe(200);
  const stops: { signal: 'SIGTERM' | 'SIGKILL'; after: number }[] = [
    { signal: 'SIGTERM', after: 12 },
    { signal: 'SIGKILL', after: 36 },
  ];
  for (const { signal, after } of stops) {
    await until(`${after} rows done`, async () => (await job()).counts.done >= after, 60_000);
    server.proc.kill(signal);
    const exited = await server.exited;
    // SIGTERM: the server closes cleanly (the row in flight ends, the lease is given back).
    if (signal === 'SIGTERM') expect(exited.code).toBe(0);
    expect(sandbox.sandbox.stats.byRoute.createAutopayRule ?? 0, 'stopped mid-apply').toBeLessThan(ROWS);
    server = await startConsoleProcess(dataDir);
    cookie = await signIn(server);
  }
  // Nobody starts it again: the job resumes by itself.
  await until('the job to complete', async () => (await job()).status === 'completed', 90_000);
  const final = await job();
  if (final.counts.applied !== ROWS) {
    const all = bulkRowPageSchema.parse((await api(server, cookie, 'GET', `/api/console/bulk/${id}/rows`)).body);
    console.log(
      JSON.stringify(
        all.items.filter((row) => row.outcome !== 'applied'),
        null,
        1,
      ),
      server.output(),
    );
  }
  expect(final.counts).toMatchObject({ change: ROWS, done: ROWS, applied: ROWS });
  const page = bulkRowPageSchema.parse((await api(server, cookie, 'GET', `/api/console/bulk/${id}/rows?outcome=applied`)).body);
  expect(page.total).toBe(ROWS);
  server.proc.kill('SIGTERM');
  await server.exited;

  // MassPay got exactly one create per row, and each row's rule is there.
  expect(sandbox.sandbox.stats.byRoute.createAutopayRule).toBe(ROWS);
  for (const row of rows) {
    const made = (sandbox.sandbox.store.state.rules[row.walletToken] ?? []).filter((rule) => rule.destination_token === row.change.destinationToken);
    expect(made, `line ${row.line}`).toHaveLength(1);
  }
  // The audit log agrees: one `succeeded` per row, under the row's change id and key.
  const audit = await openAuditStore({ dataDir });
  try {
    const entries: AuditEntry[] = [];
    for await (const entry of audit.iterate({})) if (entry.changeId?.startsWith(`${id}:`)) entries.push(entry);
    const succeeded = entries.filter((entry) => entry.outcome === 'succeeded');
    expect(succeeded).toHaveLength(ROWS);
    expect(new Set(succeeded.map((entry) => entry.changeId)).size).toBe(ROWS);
    for (const entry of succeeded) expect(entry.idempotencyKey).toBe(`bulk:${entry.changeId}`);
  } finally {
    await audit.close();
  }
});
