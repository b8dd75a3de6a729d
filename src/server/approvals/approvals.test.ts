// Four-eyes approval (issue 14), through the real console in front of the LENIENT sandbox (which would
// take any change): a change the policy holds is never sent until a second person approves it, and
// every refusal below is the server's own. The concurrency test runs two replicas on PostgreSQL.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { changeRequestPageSchema, changeRequestSchema, PROBLEM_TYPES, type AuditEntry, type ChangeRequest } from '../../api';
import { openPostgres } from '../audit/postgres';
import { openAuditStore, type AuditStore } from '../audit/store';
import { SEED_DESTINATIONS as D, SEED_PEOPLE } from '../../../test/seed';
import { startConsole, type RunningConsole } from '../../../test/server-support';

const { ada } = SEED_PEOPLE;
const adaRules = `/api/payout/wallet/${ada.userToken}/${ada.usdWallet}/autopayout`;
const editPath = (rule: string) => `/api/console/wallet/${ada.userToken}/${ada.usdWallet}/autopayout/${rule}`;
const decide = (id: string, verb: 'approve' | 'reject' | 'withdraw') => `/api/console/change-requests/${id}/${verb}`;
const approvals = { policy: { kind: 'over', points: 0 } as const, ttlHours: 1 };

const withKey = (body?: unknown) => ({ body, headers: { 'idempotency-key': randomUUID(), 'x-change-reason': encodeURIComponent('ticket 42') } });

describe('four-eyes approval (APPROVAL_POLICY=over:0), embedded store', () => {
  let c: RunningConsole;
  beforeAll(async () => {
    // The sweep for approved changes a dead replica left unfinished runs every 250 ms here (30 s by default).
    c = await startConsole({ sandbox: { policy: 'lenient' }, changes: { approvals: { ...approvals, sweepIntervalMs: 250 } } });
  }, 60_000);
  afterAll(() => c.close());
  beforeEach(async () => {
    await c.embedded.sandbox.store.reset();
    c.embedded.sandbox.stats.reset();
  });

  const rulesNow = () => c.embedded.sandbox.store.state.rules[ada.usdWallet] ?? [];
  const writesSent = () => (c.embedded.sandbox.stats.byRoute.createAutopayRule ?? 0) + (c.embedded.sandbox.stats.byRoute.deleteAutopayRule ?? 0);
  const entriesOf = async (changeId: string) => {
    const all: AuditEntry[] = [];
    for await (const entry of c.audit.iterate({ user: ada.userToken })) if (entry.changeId === changeId) all.push(entry);
    return all.reverse();
  };
  const requestAdd = async (percentage = 5) => {
    const answer = await c.call('POST', adaRules, withKey({ destination_token: D.quickCash, percentage }));
    expect(answer.status).toBe(202);
    return changeRequestSchema.parse(answer.body);
  };

  it('tells the SPA the policy', async () => {
    expect((await c.call('GET', '/api/console/settings', { as: 'viewer' })).body).toMatchObject({ approvalPolicy: 'over:0' });
  });

  it('holds an add (202, pending, why), sends nothing, and replays the same request for the same key', async () => {
    const key = { headers: { 'idempotency-key': randomUUID() }, body: { destination_token: D.quickCash, percentage: 5 } };
    const first = await c.call('POST', adaRules, key);
    expect(first.status).toBe(202);
    const held = changeRequestSchema.parse(first.body);
    expect(held).toMatchObject({ status: 'pending', action: 'add_rule', destinationToken: D.quickCash, percentage: 5, requestedBy: 'editor@example.com' });
    expect(held.approvalReason).toMatch(/no rule for/);
    expect(held.rulesAtRequest.map((rule) => rule.destination_token).sort()).toEqual([D.evergreen, D.lakeside].sort());
    const again = await c.call('POST', adaRules, key);
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(changeRequestSchema.parse(again.body).id).toBe(held.id);
    expect(writesSent()).toBe(0);
    expect(rulesNow().some((rule) => rule.destination_token === D.quickCash)).toBe(false);
    expect((await entriesOf(held.id)).map((entry) => [entry.outcome, entry.staffEmail])).toEqual([['awaiting_approval', 'editor@example.com']]);
  });

  it('a policy refusal is not held: a change that does not fit is refused at once (409), nothing stored', async () => {
    const answer = await c.call('POST', adaRules, withKey({ destination_token: D.quickCash, percentage: 20 }));
    expect(answer.status).toBe(409);
    expect(answer.body.type).toBe(PROBLEM_TYPES.policy);
  });

  it('approved by a second person: carried out once through the change path, with both names in the log', async () => {
    const held = await requestAdd();
    const self = await c.call('POST', decide(held.id, 'approve'), { body: {} });
    expect(self.status).toBe(403);
    expect(self.body.detail).toMatch(/another editor or admin/);
    const viewer = await c.call('POST', decide(held.id, 'approve'), { body: {}, as: 'viewer' });
    expect(viewer.status).toBe(403);
    expect(writesSent()).toBe(0);

    const approved = await c.call('POST', decide(held.id, 'approve'), { body: { comment: 'checked with the payee' }, as: 'admin' });
    expect(approved.status).toBe(200);
    const done = changeRequestSchema.parse(approved.body);
    expect(done).toMatchObject({ status: 'applied', decidedBy: 'admin@example.com', comment: 'checked with the payee' });
    const made = rulesNow().find((rule) => rule.destination_token === D.quickCash);
    expect(made).toMatchObject({ percentage: 5, token: done.resultRuleToken });
    expect(c.embedded.sandbox.stats.byRoute.createAutopayRule).toBe(1);

    const log = await entriesOf(held.id);
    expect(log.map((entry) => [entry.outcome, entry.staffEmail, entry.reason])).toEqual([
      ['awaiting_approval', 'editor@example.com', 'ticket 42'],
      ['approved', 'admin@example.com', 'checked with the payee'],
      ['requested', 'admin@example.com', 'ticket 42'],
      ['succeeded', 'admin@example.com', 'ticket 42'],
    ]);

    const second = await c.call('POST', decide(held.id, 'approve'), { body: {}, as: 'admin' });
    expect(second.status).toBe(409);
    expect(second.body.type).toBe(PROBLEM_TYPES.alreadyDecided);
    const reject = await c.call('POST', decide(held.id, 'reject'), { body: {}, as: 'admin' });
    expect(reject.status).toBe(409);
    expect(c.embedded.sandbox.stats.byRoute.createAutopayRule).toBe(1);
  });

  it('an edit and a delete are held too, and applied through the change path', async () => {
    const rule = rulesNow().find((candidate) => candidate.destination_token === D.lakeside)!;
    const edit = await c.call('PATCH', editPath(rule.token), withKey({ percentage: 20 }));
    expect(edit.status).toBe(202);
    const held = changeRequestSchema.parse(edit.body);
    expect(held).toMatchObject({ action: 'edit_rule', ruleToken: rule.token, previousPercentage: 25, percentage: 20, destinationToken: D.lakeside });
    const applied = changeRequestSchema.parse((await c.call('POST', decide(held.id, 'approve'), { body: {}, as: 'admin' })).body);
    expect(applied.status).toBe('applied');
    const lakeside = rulesNow().find((candidate) => candidate.destination_token === D.lakeside)!;
    expect(lakeside).toMatchObject({ percentage: 20, token: applied.resultRuleToken });

    const deletion = await c.call('DELETE', `${adaRules}?token=${lakeside.token}`, withKey());
    expect(deletion.status).toBe(202);
    const heldDelete = changeRequestSchema.parse(deletion.body);
    expect(heldDelete).toMatchObject({ action: 'delete_rule', ruleToken: lakeside.token, previousPercentage: 20 });
    expect((await c.call('POST', decide(heldDelete.id, 'approve'), { body: {}, as: 'admin' })).body).toMatchObject({ status: 'applied' });
    expect(rulesNow().map((candidate) => candidate.destination_token)).toEqual([D.evergreen]);
  });

  it('rejected by a second person, or withdrawn by the requester (only): nothing is sent', async () => {
    const one = await requestAdd();
    const selfReject = await c.call('POST', decide(one.id, 'reject'), { body: {} });
    expect(selfReject.status).toBe(403);
    const rejected = await c.call('POST', decide(one.id, 'reject'), { body: { comment: 'not on the ticket' }, as: 'admin' });
    expect(rejected.body).toMatchObject({ status: 'rejected', decidedBy: 'admin@example.com', comment: 'not on the ticket' });

    const two = await requestAdd(4);
    expect((await c.call('POST', decide(two.id, 'withdraw'), { as: 'admin' })).status).toBe(403);
    expect((await c.call('POST', decide(two.id, 'withdraw'), { as: 'viewer' })).status).toBe(403);
    expect((await c.call('POST', decide(two.id, 'withdraw'))).body).toMatchObject({ status: 'withdrawn', decidedBy: 'editor@example.com' });
    expect((await c.call('POST', decide(two.id, 'approve'), { body: {}, as: 'admin' })).status).toBe(409);
    expect(writesSent()).toBe(0);
    expect((await entriesOf(two.id)).map((entry) => entry.outcome)).toEqual(['awaiting_approval', 'withdrawn']);
  });

  it('a stale approval: the approver sees both rule lists and confirms; a change that no longer fits fails with the reason', async () => {
    const held = await requestAdd(10);
    // Meanwhile the wallet changed (another channel): evergreen went from 60 % to 70 %, so 10 % more no longer fits.
    c.embedded.sandbox.store.state.rules[ada.usdWallet] = rulesNow().map((rule) =>
      rule.destination_token === D.evergreen ? { ...rule, percentage: 70 } : rule,
    );

    const stale = await c.call('POST', decide(held.id, 'approve'), { body: {}, as: 'admin' });
    expect(stale.status).toBe(409);
    expect(stale.body.type).toBe(PROBLEM_TYPES.staleApproval);
    expect(stale.body.rulesAtRequest.find((rule: { destination_token: string }) => rule.destination_token === D.evergreen).percentage).toBe(60);
    expect(stale.body.rulesNow.find((rule: { destination_token: string }) => rule.destination_token === D.evergreen).percentage).toBe(70);
    const stillPending = changeRequestPageSchema.parse((await c.call('GET', '/api/console/change-requests?status=pending')).body);
    expect(stillPending.items.map((item) => item.id)).toContain(held.id);

    const confirmed = await c.call('POST', decide(held.id, 'approve'), { body: { confirmRulesFingerprint: stale.body.rulesFingerprint }, as: 'admin' });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ status: 'failed', resultDetail: expect.stringMatching(/At most 5 % can be added/) });
    expect(writesSent()).toBe(0);
    const failed = changeRequestPageSchema.parse((await c.call('GET', '/api/console/change-requests?status=failed', { as: 'viewer' })).body);
    expect(failed.items.map((item) => item.id)).toContain(held.id);
  });

  it("an approved change whose replica died before carrying it out is finished by a replica's sweep, once, as its approver; a running one is left alone", async () => {
    const held = await requestAdd();
    // As a replica leaves it when it dies right after the decision: approved, no outcome, running since.
    const approveAsDeadReplica = (since: string) =>
      c.audit.sql.query(
        `UPDATE change_requests SET status = 'approved', decided_by = 'admin@example.com', decided_at = now(), updated_at = ${since} WHERE id = $1`,
        [held.id],
      );
    const statusOf = async () => (await c.audit.sql.query<{ status: string }>('SELECT status FROM change_requests WHERE id = $1', [held.id]))[0]?.status;

    await approveAsDeadReplica('now()');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await statusOf()).toBe('approved');
    expect(writesSent()).toBe(0);

    await approveAsDeadReplica("now() - interval '1 hour'");
    await expect.poll(statusOf, { timeout: 5_000 }).toBe('applied');
    expect(writesSent()).toBe(1);
    expect(rulesNow().filter((rule) => rule.destination_token === D.quickCash)).toHaveLength(1);
    const made = (await entriesOf(held.id)).filter((entry) => entry.outcome === 'succeeded');
    expect(made.map((entry) => entry.staffEmail)).toEqual(['admin@example.com']);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(writesSent()).toBe(1);
  });

  it('expires after APPROVAL_TTL: no decision after that, and the expiry is in the log', async () => {
    const held = await requestAdd();
    await c.audit.sql.query(`UPDATE change_requests SET expires_at = now() - interval '1 second' WHERE id = $1`, [held.id]);
    const late = await c.call('POST', decide(held.id, 'approve'), { body: {}, as: 'admin' });
    expect(late.status).toBe(409);
    expect(late.body.detail).toMatch(/expired/);
    expect((await entriesOf(held.id)).map((entry) => entry.outcome)).toEqual(['awaiting_approval', 'expired']);
    expect(writesSent()).toBe(0);
  });

  it('lists pending first, filters by status and wallet, pages, and refuses bad filters and ids', async () => {
    const older = await requestAdd(1);
    const newer = await requestAdd(2);
    await c.call('POST', decide(older.id, 'reject'), { body: {}, as: 'admin' });
    const page = changeRequestPageSchema.parse((await c.call('GET', `/api/console/change-requests?wallet=${ada.usdWallet}`, { as: 'viewer' })).body);
    const ids = page.items.map((item: ChangeRequest) => item.id);
    expect(ids.indexOf(newer.id)).toBeLessThan(ids.indexOf(older.id));
    expect(page.items.filter((item) => item.status === 'pending').every((item, index) => page.items[index]!.status === 'pending')).toBe(true);
    expect(page.pendingCount).toBeGreaterThanOrEqual(1);
    expect((await c.call('GET', '/api/console/change-requests?status=maybe')).status).toBe(400);
    expect((await c.call('GET', '/api/console/change-requests?sort=id')).status).toBe(400);
    expect((await c.call('POST', decide('not-a-uuid', 'approve'), { body: {}, as: 'admin' })).status).toBe(400);
    expect((await c.call('POST', decide(randomUUID(), 'approve'), { body: {}, as: 'admin' })).status).toBe(404);
    expect((await c.call('POST', decide(newer.id, 'approve'), { body: { comment: 'x'.repeat(201) }, as: 'admin' })).status).toBe(400);
    expect((await c.call('POST', decide(newer.id, 'approve'), { body: { extra: 1 }, as: 'admin' })).status).toBe(400);
    expect((await c.call('GET', '/api/console/change-requests', { as: 'anonymous' })).status).toBe(401);
  });
});

describe('four-eyes approval on two replicas sharing PostgreSQL', () => {
  let a: RunningConsole;
  let b: RunningConsole;
  let audits: AuditStore[];
  beforeAll(async () => {
    const schema = `approvals_${process.pid}_${Date.now()}`;
    const admin = await openPostgres(inject('databaseUrl'));
    await admin.exec(`CREATE SCHEMA ${schema}`);
    await admin.close();
    const url = new URL(inject('databaseUrl'));
    url.searchParams.set('options', `-c search_path=${schema}`);
    audits = [
      await openAuditStore({ databaseUrl: url.href, dataDir: '/nonexistent' }),
      await openAuditStore({ databaseUrl: url.href, dataDir: '/nonexistent' }),
    ];
    a = await startConsole({ sandbox: { policy: 'lenient' }, audit: audits[0], changes: { approvals } });
    b = await startConsole({ audit: audits[1], upstream: { baseUrl: a.recorder.baseUrl, apiKey: a.embedded.apiKey }, changes: { approvals } });
  }, 90_000);
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
    await Promise.all(audits.map((audit) => audit.close()));
  });

  it('two decisions at once on two replicas: one wins, the change is made once', async () => {
    for (let round = 0; round < 3; round += 1) {
      await a.embedded.sandbox.store.reset();
      a.embedded.sandbox.stats.reset();
      const held = changeRequestSchema.parse((await a.call('POST', adaRules, withKey({ destination_token: D.quickCash, percentage: 5 }))).body);
      const answers = await Promise.all([
        a.call('POST', decide(held.id, 'approve'), { body: {}, as: 'admin' }),
        b.call('POST', decide(held.id, round === 0 ? 'approve' : 'reject'), { body: {}, as: 'admin' }),
        b.call('POST', decide(held.id, 'approve'), { body: {}, as: 'admin' }),
      ]);
      expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1);
      expect(answers.filter((answer) => answer.status === 409)).toHaveLength(2);
      const final = changeRequestPageSchema
        .parse((await b.call('GET', `/api/console/change-requests?wallet=${ada.usdWallet}`)).body)
        .items.find((item) => item.id === held.id)!;
      const rules = a.embedded.sandbox.store.state.rules[ada.usdWallet] ?? [];
      expect(rules.filter((rule) => rule.destination_token === D.quickCash)).toHaveLength(final.status === 'applied' ? 1 : 0);
      expect(a.embedded.sandbox.stats.byRoute.createAutopayRule ?? 0).toBe(final.status === 'applied' ? 1 : 0);
    }
  });
});
