// A bulk job under APPROVAL_POLICY (another editor or admin approves its dry run before it starts; its
// rows are then not held one by one), and on two replicas sharing PostgreSQL: one replica runs a job,
// two decisions at once get one winner, and a job whose replica is gone is taken over — at once when
// that replica closed, when its lease lapses when it died.
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { PROBLEM_TYPES } from '../../api';
import { openPostgres } from '../audit/postgres';
import { openAuditStore, type AuditStore } from '../audit/store';
import { planAdds, until, uploadJob } from '../../../test/bulk-support';
import { startConsole, type RunningConsole } from '../../../test/server-support';

const action = (id: string, verb: 'start' | 'approve' | 'reject' | 'pause' | 'resume' | 'cancel') => `/api/console/bulk/${id}/${verb}`;
const approvals = { policy: { kind: 'over', points: 0 } as const, ttlHours: 1 };

const statusOf = async (c: RunningConsole, id: string) =>
  (await c.audit.sql.query<{ status: string }>('SELECT status FROM bulk_jobs WHERE id = $1', [id]))[0]!.status;
const outcomesOf = async (c: RunningConsole, id: string) =>
  (await c.audit.sql.query<{ outcome: string | null }>('SELECT outcome FROM bulk_rows WHERE job_id = $1 ORDER BY line', [id])).map((row) => row.outcome);

describe('a bulk job with APPROVAL_POLICY=over:0 (embedded store)', () => {
  let c: RunningConsole;
  beforeAll(async () => {
    c = await startConsole({ sandbox: { policy: 'lenient' }, changes: { approvals }, bulk: { pollMs: 50 } });
  }, 60_000);
  afterAll(() => c.close());
  beforeEach(async () => {
    await c.embedded.sandbox.store.reset();
    c.embedded.sandbox.stats.reset();
  });
  const state = () => c.embedded.sandbox.store.state;

  it('starts only once another editor or admin approved it; then its rows are applied, not held one by one', async () => {
    const rows = planAdds(state(), 6);
    const id = await uploadJob(c, rows);
    expect(await statusOf(c, id)).toBe('awaiting_approval');
    const early = await c.call('POST', action(id, 'start'));
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ type: PROBLEM_TYPES.bulkJobState, detail: expect.stringMatching(/approve the dry run/) });

    const self = await c.call('POST', action(id, 'approve'), { body: {} });
    expect(self.status).toBe(403);
    expect(self.body.detail).toMatch(/another editor or admin/);
    expect((await c.call('POST', action(id, 'approve'), { body: {}, as: 'viewer' })).status).toBe(403);
    expect((await c.call('POST', action(id, 'approve'), { body: { comment: 'x'.repeat(201) }, as: 'admin' })).status).toBe(400);
    expect((await c.call('POST', action(id, 'approve'), { body: { extra: 1 }, as: 'admin' })).status).toBe(400);

    const approved = await c.call('POST', action(id, 'approve'), { body: { comment: 'checked the dry run' }, as: 'admin' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', decidedBy: 'admin@example.com', decisionComment: 'checked the dry run' });
    const second = await c.call('POST', action(id, 'approve'), { body: {}, as: 'admin' });
    expect(second.status).toBe(409);
    expect(second.body.type).toBe(PROBLEM_TYPES.alreadyDecided);
    expect((await c.call('POST', action(id, 'reject'), { body: {}, as: 'admin' })).status).toBe(409);

    expect((await c.call('POST', action(id, 'start'))).body.status).toBe('running');
    await until('the job to complete', async () => (await statusOf(c, id)) === 'completed');
    expect(await outcomesOf(c, id)).toEqual(rows.map(() => 'applied'));
    expect(c.embedded.sandbox.stats.byRoute.createAutopayRule).toBe(rows.length);
    expect(await c.audit.sql.query('SELECT id FROM change_requests')).toEqual([]);
    const events = await c.audit.sql.query<{ event: string; staff: string; comment: string | null }>(
      'SELECT event, staff_email AS staff, comment FROM bulk_job_events WHERE job_id = $1 ORDER BY id',
      [id],
    );
    expect(events.slice(1, 3)).toEqual([
      { event: 'approved', staff: 'admin@example.com', comment: 'checked the dry run' },
      { event: 'started', staff: 'editor@example.com', comment: null },
    ]);
  });

  it('rejected by another editor or admin: it never starts', async () => {
    const id = await uploadJob(c, planAdds(state(), 2));
    expect((await c.call('POST', action(id, 'reject'), { body: {} })).status).toBe(403);
    const rejected = await c.call('POST', action(id, 'reject'), { body: { comment: 'wrong bank' }, as: 'admin' });
    expect(rejected.body).toMatchObject({ status: 'rejected', decidedBy: 'admin@example.com', decisionComment: 'wrong bank' });
    expect((await c.call('POST', action(id, 'start'))).status).toBe(409);
    expect((await c.call('POST', action(id, 'approve'), { body: {}, as: 'admin' })).status).toBe(409);
    expect(c.embedded.sandbox.stats.byRoute.createAutopayRule ?? 0).toBe(0);
  });
});

describe('bulk jobs on two replicas sharing PostgreSQL', () => {
  let a: RunningConsole;
  let b: RunningConsole;
  let audits: AuditStore[];
  beforeAll(async () => {
    const schema = `bulk_${process.pid}_${Date.now()}`;
    const admin = await openPostgres(inject('databaseUrl'));
    await admin.exec(`CREATE SCHEMA ${schema}`);
    await admin.close();
    const url = new URL(inject('databaseUrl'));
    url.searchParams.set('options', `-c search_path=${schema}`);
    audits = [
      await openAuditStore({ databaseUrl: url.href, dataDir: '/nonexistent' }),
      await openAuditStore({ databaseUrl: url.href, dataDir: '/nonexistent' }),
    ];
    // A lease long enough that a replica slowed down by a busy machine keeps its job.
    const bulk = { pollMs: 50, leaseMs: 10_000, concurrency: 2 };
    a = await startConsole({ sandbox: { policy: 'lenient' }, audit: audits[0], changes: { approvals }, bulk });
    b = await startConsole({ audit: audits[1], upstream: { baseUrl: a.recorder.baseUrl, apiKey: a.embedded.apiKey }, changes: { approvals }, bulk });
  }, 90_000);
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await Promise.all(audits.map((audit) => audit.close()));
  });
  beforeEach(async () => {
    a.embedded.sandbox.faults.clear();
    await a.embedded.sandbox.store.reset();
    a.embedded.sandbox.stats.reset();
  });
  const state = () => a.embedded.sandbox.store.state;
  /** How many times a replica claimed the job to run its rows (its dry run is a claim of its own). */
  const claimsOf = (c: RunningConsole, id: string) =>
    c.logs.filter((line) => line.includes(id) && line.includes('bulk job: claimed') && line.includes('"status":"running"')).length;

  it('two decisions at once on two replicas: one wins; one replica runs the job, each row once', async () => {
    const rows = planAdds(state(), 12);
    const id = await uploadJob(a, rows);
    const answers = await Promise.all([
      a.call('POST', action(id, 'approve'), { body: {}, as: 'admin' }),
      b.call('POST', action(id, 'approve'), { body: {}, as: 'admin' }),
      b.call('POST', action(id, 'reject'), { body: {}, as: 'admin' }),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409, 409]);
    let run = id;
    if ((await statusOf(a, id)) === 'rejected') {
      run = await uploadJob(a, rows);
      expect((await a.call('POST', action(run, 'approve'), { body: {}, as: 'admin' })).status).toBe(200);
    }

    expect((await b.call('POST', action(run, 'start'))).status).toBe(200);
    await until('the job to complete', async () => (await statusOf(a, run)) === 'completed');
    expect(await outcomesOf(a, run)).toEqual(rows.map(() => 'applied'));
    expect(a.embedded.sandbox.stats.byRoute.createAutopayRule).toBe(rows.length);
    expect(claimsOf(a, run) + claimsOf(b, run)).toBe(1);
  });

  it('a job whose replica died waits for its lease to lapse, then another replica finishes it, each row once', async () => {
    const rows = planAdds(state(), 6);
    const id = await uploadJob(a, rows);
    // As a replica that started it, applied its first row and died would leave it: running, leased for 1.5 s more.
    await a.audit.sql.query(
      `UPDATE bulk_jobs SET status = 'running', started_by = 'editor@example.com', started_at = now(), lease_owner = 'dead-replica', lease_until = now() + interval '1500 milliseconds' WHERE id = $1`,
      [id],
    );
    const leasedAt = Date.now();
    await until('the job to be taken over', async () => claimsOf(a, id) + claimsOf(b, id) > 0);
    expect(Date.now() - leasedAt).toBeGreaterThanOrEqual(1_200);
    await until('the job to complete', async () => (await statusOf(a, id)) === 'completed');
    expect(await outcomesOf(a, id)).toEqual(rows.map(() => 'applied'));
    expect(a.embedded.sandbox.stats.byRoute.createAutopayRule).toBe(rows.length);
  });
});
