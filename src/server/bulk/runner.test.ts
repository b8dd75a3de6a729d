// The bulk runner through the real console in front of the real sandbox (embedded store): a started
// job's rows are applied once each through the change path (the sandbox's counters and the audit log
// agree), pause, resume and cancel are seen between rows, and a wallet changed since the dry run is
// re-checked with the difference on its rows.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bulkJobSchema, PROBLEM_TYPES, type AuditEntry, type BulkJob } from '../../api';
import { csvOf, planAdds, until, uploadJob, type PlannedRow } from '../../../test/bulk-support';
import { SEED_DESTINATIONS as D, SEED_PEOPLE } from '../../../test/seed';
import { startConsole, type RunningConsole } from '../../../test/server-support';
import { requestFingerprint } from '../changes/idempotency';
import { createBulkStore } from './store';

const action = (id: string, verb: 'start' | 'approve' | 'reject' | 'pause' | 'resume' | 'cancel') => `/api/console/bulk/${id}/${verb}`;

describe('bulk jobs run through the change path (embedded store)', () => {
  let c: RunningConsole;
  beforeAll(async () => {
    // A short lease: its renewal (every second) is when a dry run sees that its job was cancelled.
    c = await startConsole({ bulk: { pollMs: 50, concurrency: 4, leaseMs: 3_000 } });
  }, 60_000);
  afterAll(() => c.close());
  beforeEach(async () => {
    c.embedded.sandbox.faults.clear();
    await c.embedded.sandbox.store.reset();
    c.embedded.sandbox.stats.reset();
  });

  const state = () => c.embedded.sandbox.store.state;
  const job = async (id: string): Promise<BulkJob> => bulkJobSchema.parse(await createBulkStore(c.audit.sql, { pageSize: 50 }).get(id));
  const leaseOwner = async (id: string) =>
    (await c.audit.sql.query<{ owner: string | null }>('SELECT lease_owner AS owner FROM bulk_jobs WHERE id = $1', [id]))[0]!.owner;
  const jobStatus = async (id: string) => (await c.audit.sql.query<{ status: string }>('SELECT status FROM bulk_jobs WHERE id = $1', [id]))[0]!.status;
  const outcomes = (id: string) =>
    c.audit.sql.query<{ line: number; outcome: string | null; reason: string | null; ruleToken: string | null }>(
      'SELECT line, outcome, outcome_reason AS reason, rule_token AS "ruleToken" FROM bulk_rows WHERE job_id = $1 ORDER BY line',
      [id],
    );
  const entriesOf = async (id: string) => {
    const all: AuditEntry[] = [];
    for await (const entry of c.audit.iterate({})) if (entry.changeId?.startsWith(`${id}:`)) all.push(entry);
    return all;
  };
  const hasRule = (row: PlannedRow, token: string | null) =>
    (state().rules[row.walletToken] ?? []).some((rule) => rule.token === token && rule.destination_token === row.change.destinationToken);

  it('applies every change row exactly once, each with its rule token, and completes', async () => {
    const rows = planAdds(state(), 24);
    expect(rows).toHaveLength(24);
    const id = await uploadJob(c, rows);
    const started = await c.call('POST', action(id, 'start'));
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({ id, status: 'running', startedBy: 'editor@example.com' });
    await until('the job to complete', async () => (await jobStatus(id)) === 'completed');

    const done = await outcomes(id);
    expect(done.map((row) => row.outcome)).toEqual(rows.map(() => 'applied'));
    for (const [index, row] of rows.entries()) expect(hasRule(row, done[index]!.ruleToken)).toBe(true);
    expect(c.embedded.sandbox.stats.byRoute.createAutopayRule).toBe(rows.length);
    const entries = await entriesOf(id);
    expect(entries.filter((entry) => entry.outcome === 'succeeded')).toHaveLength(rows.length);
    expect(entries.filter((entry) => entry.outcome === 'requested')).toHaveLength(rows.length);
    const first = entries.find((entry) => entry.changeId === `${id}:2` && entry.outcome === 'succeeded')!;
    expect(first).toMatchObject({ staffEmail: 'editor@example.com', idempotencyKey: `bulk:${id}:2`, ruleToken: done[0]!.ruleToken });
    expect(first.reason).toMatch(/^Bulk change bulk\.csv, line 2$/);

    const finished = await job(id);
    expect(finished).toMatchObject({ status: 'completed', counts: { change: 24, done: 24, applied: 24 } });
    expect(finished.finishedAt).not.toBeNull();
    // Over: nothing more to start, pause or cancel.
    expect((await c.call('POST', action(id, 'start'))).status).toBe(409);
    expect((await c.call('POST', action(id, 'cancel'))).body).toMatchObject({ type: PROBLEM_TYPES.bulkJobState });
  });

  it('pauses between rows, resumes where it stopped, and each row is still applied once', async () => {
    const rows = planAdds(state(), 16);
    const id = await uploadJob(c, rows);
    // 16 rows, 4 wallets at once, 600 ms each: the pause lands while most rows wait.
    c.embedded.sandbox.faults.set({ latencyMs: 600, latencyMethods: ['POST'] });
    await c.call('POST', action(id, 'start'));
    await until('a row to be done', async () => (await outcomes(id)).some((row) => row.outcome));
    const paused = await c.call('POST', action(id, 'pause'));
    expect(paused.status).toBe(200);
    expect(paused.body.status).toBe('paused');
    // The rows in flight end, then the runner gives the lease back: from then on nothing moves.
    await until('the lease to be given back', async () => (await leaseOwner(id)) === null);
    const whilePaused = (await outcomes(id)).filter((row) => row.outcome).length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await outcomes(id)).filter((row) => row.outcome).length).toBe(whilePaused);
    expect(whilePaused).toBeLessThan(rows.length);
    expect((await c.call('POST', action(id, 'pause'))).status).toBe(409);

    c.embedded.sandbox.faults.clear();
    expect((await c.call('POST', action(id, 'resume'))).body.status).toBe('running');
    await until('the job to complete', async () => (await jobStatus(id)) === 'completed');
    expect((await outcomes(id)).every((row) => row.outcome === 'applied')).toBe(true);
    expect(c.embedded.sandbox.stats.byRoute.createAutopayRule).toBe(rows.length);
    const events = await c.audit.sql.query<{ event: string; staff: string | null }>(
      'SELECT event, staff_email AS staff FROM bulk_job_events WHERE job_id = $1 ORDER BY id',
      [id],
    );
    expect(events).toEqual([
      { event: 'uploaded', staff: 'editor@example.com' },
      { event: 'started', staff: 'editor@example.com' },
      { event: 'paused', staff: 'editor@example.com' },
      { event: 'resumed', staff: 'editor@example.com' },
      { event: 'completed', staff: null },
    ]);
  });

  it('cancels between rows: the rows not run are skipped and nothing more is sent', async () => {
    const rows = planAdds(state(), 16);
    const id = await uploadJob(c, rows);
    c.embedded.sandbox.faults.set({ latencyMs: 600, latencyMethods: ['POST'] });
    await c.call('POST', action(id, 'start'));
    await until('a row to be done', async () => (await outcomes(id)).some((row) => row.outcome));
    const cancelled = await c.call('POST', action(id, 'cancel'), { as: 'admin' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    await until('the lease to be given back', async () => (await leaseOwner(id)) === null);
    const after = await outcomes(id);
    const applied = after.filter((row) => row.outcome === 'applied');
    expect(after.filter((row) => row.outcome === 'skipped').length).toBeGreaterThan(0);
    // The rows in flight at the cancel got their real outcome; none is left unknown.
    expect(after.every((row) => row.outcome === 'applied' || row.outcome === 'skipped')).toBe(true);
    // Every write MassPay got is an applied row.
    expect(c.embedded.sandbox.stats.byRoute.createAutopayRule).toBe(applied.length);
    for (const row of applied)
      expect(
        hasRule(
          rows.find((planned) => planned.line === row.line)!,
          row.ruleToken,
        ),
      ).toBe(true);
    expect((await c.call('POST', action(id, 'resume'))).status).toBe(409);
    expect((await job(id)).finishedAt).not.toBeNull();
  });

  it('applies a set (a percentage change: delete, then create) and a remove through the change path, in line order', async () => {
    const { ada } = SEED_PEOPLE;
    const before = state().rules[ada.usdWallet]!;
    const lakeside = before.find((rule) => rule.destination_token === D.lakeside)!;
    const csv = [
      'user_token,wallet_token,action,destination_token,percentage',
      `${ada.userToken},${ada.usdWallet},set,${D.evergreen},50`,
      `${ada.userToken},${ada.usdWallet},remove,${D.lakeside},`,
    ].join('\r\n');
    const uploaded = await c.call('POST', '/api/console/bulk?name=ada.csv', { body: csv, headers: { 'content-type': 'text/csv' } });
    const { id } = uploaded.body as { id: string };
    await until('the dry run', async () => (await jobStatus(id)) === 'ready');
    await c.call('POST', action(id, 'start'));
    await until('the job to complete', async () => (await jobStatus(id)) === 'completed');
    const after = state().rules[ada.usdWallet]!;
    expect(after.map((rule) => [rule.destination_token, rule.percentage])).toEqual([[D.evergreen, 50]]);
    expect(await outcomes(id)).toEqual([
      { line: 2, outcome: 'applied', reason: null, ruleToken: after[0]!.token },
      { line: 3, outcome: 'applied', reason: null, ruleToken: lakeside.token },
    ]);
    expect(c.embedded.sandbox.stats.byRoute).toMatchObject({ createAutopayRule: 1, deleteAutopayRule: 2 });
    const steps = (await entriesOf(id)).filter((entry) => entry.outcome === 'succeeded').map((entry) => [entry.changeId, entry.action]);
    expect(steps.sort()).toEqual([
      [`${id}:2`, 'add_rule'],
      [`${id}:2`, 'delete_rule'],
      [`${id}:2`, 'edit_rule'],
      [`${id}:3`, 'delete_rule'],
    ]);
  });

  it('re-checks a wallet whose rules changed since the dry run, and says so on its rows', async () => {
    const [changed, untouched] = planAdds(state(), 2) as [PlannedRow, PlannedRow];
    const id = await uploadJob(c, [changed, untouched]);
    // Meanwhile someone else gave the first wallet a rule for the very destination the row adds.
    state().rules[changed.walletToken] = [
      ...(state().rules[changed.walletToken] ?? []),
      { token: 'rule_00000000-0000-4000-8000-000000000001', destination_token: changed.change.destinationToken, percentage: 3 } as never,
    ];
    await c.call('POST', action(id, 'start'));
    await until('the job to complete', async () => (await jobStatus(id)) === 'completed');
    const [first, second] = await outcomes(id);
    expect(first).toMatchObject({ outcome: 'refused' });
    expect(first!.reason).toMatch(
      /^Not applied: the wallet now has a 3 % rule for this destination\. The wallet's rules changed since the dry run \(then: .*; now: .*3 %/,
    );
    expect(second).toMatchObject({ outcome: 'applied', reason: null });
    expect(c.embedded.sandbox.stats.byRoute.createAutopayRule).toBe(1);
  });

  it('a row begun by a process that died (its key recorded, its rule made, no outcome) is asked again, not re-checked: applied, nothing sent', async () => {
    const [row] = planAdds(state(), 1) as [PlannedRow];
    const id = await uploadJob(c, [row]);
    // The dead attempt's add landed: the wallet now differs from the dry run by that very rule.
    const made = { token: 'rule_00000000-0000-4000-8000-0000000000aa', destination_token: row.change.destinationToken, percentage: 0.1 };
    state().rules[row.walletToken] = [...(state().rules[row.walletToken] ?? []), made as never];
    const input = { destination_token: row.change.destinationToken, percentage: 0.1 };
    await c.audit.sql.query(
      `INSERT INTO idempotency_records (key, fingerprint, state, lease_until, expires_at) VALUES ($1, $2, 'in_flight', now() - interval '1 second', now() + interval '1 day')`,
      [`bulk:${id}:${row.line}`, requestFingerprint(['createAutopayRule', { user_token: row.userToken, wallet_token: row.walletToken }, input])],
    );
    await c.audit.sql.query(`UPDATE bulk_jobs SET status = 'running', started_by = 'editor@example.com', started_at = now() WHERE id = $1`, [id]);
    await until('the job to complete', async () => (await jobStatus(id)) === 'completed');
    expect(await outcomes(id)).toEqual([{ line: row.line, outcome: 'applied', reason: null, ruleToken: made.token }]);
    expect(c.embedded.sandbox.stats.byRoute.createAutopayRule ?? 0).toBe(0);
  });

  it('a dry run cancelled while it reads stops reading, and the job stays cancelled', async () => {
    const rows = planAdds(state(), 24);
    c.embedded.sandbox.faults.set({ latencyMs: 500, latencyMethods: ['GET'] });
    const reads = () => c.embedded.sandbox.stats.requests;
    const uploaded = await c.call('POST', '/api/console/bulk?name=slow.csv', { body: csvOf(rows), headers: { 'content-type': 'text/csv' } });
    const { id } = uploaded.body as { id: string };
    await until('the dry run to read', () => reads() > 0);
    expect((await c.call('POST', action(id, 'cancel'))).body.status).toBe('cancelled');
    await until('the lease to be given back', async () => (await leaseOwner(id)) === null);
    const readsThen = reads();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(reads()).toBe(readsThen);
    expect(await jobStatus(id)).toBe('cancelled');
  });

  it('refuses what a job cannot do now, a bad or unknown id, and viewers', async () => {
    const id = await uploadJob(c, planAdds(state(), 1));
    expect((await c.call('POST', action(id, 'start'), { as: 'viewer' })).status).toBe(403);
    expect((await c.call('POST', action(id, 'cancel'), { as: 'viewer' })).status).toBe(403);
    expect((await c.call('POST', action(id, 'pause'))).body).toMatchObject({ status: 409, type: PROBLEM_TYPES.bulkJobState });
    expect((await c.call('POST', action(id, 'resume'))).status).toBe(409);
    expect((await c.call('POST', action('not-a-job', 'start'))).status).toBe(400);
    expect((await c.call('POST', action('00000000-0000-4000-8000-000000000000', 'start'))).status).toBe(404);
    expect((await c.call('POST', action(id, 'start'), { as: 'anonymous' })).status).toBe(401);
    expect((await c.call('POST', action(id, 'start'), { csrf: false })).status).toBe(403);
    expect((await c.audit.sql.query(`SELECT 1 FROM bulk_job_events WHERE job_id = $1 AND event <> 'uploaded'`, [id])).length).toBe(0);
    expect((await c.call('POST', action(id, 'cancel'))).body.status).toBe('cancelled');
    expect((await outcomes(id)).map((row) => row.outcome)).toEqual(['skipped']);
  });
});
