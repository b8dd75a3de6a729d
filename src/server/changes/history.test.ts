// A wallet's history and the rules at a payout's time (issue 14 items 6–8), through the real console
// and sandbox: the changes are made through the change path, then read back.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditPageSchema, rulesAtSchema, walletHistoryPageSchema, type AuditEntry, type AutopayRule } from '../../api';
import { SEED_DESTINATIONS as D, SEED_PEOPLE } from '../../../test/seed';
import { startConsole, type RunningConsole } from '../../../test/server-support';
import { rulesBefore } from './history';

const { ada, grace } = SEED_PEOPLE;
const base = `/api/console/wallet/${ada.userToken}/${ada.usdWallet}`;
const adaRules = `/api/payout/wallet/${ada.userToken}/${ada.usdWallet}/autopayout`;
const reason = (text: string) => ({ 'idempotency-key': randomUUID(), 'x-change-reason': encodeURIComponent(text) });
const byToken = (rules: readonly AutopayRule[]) => [...rules].map((rule) => `${rule.destination_token}=${rule.percentage}`).sort();

describe('rulesBefore', () => {
  const entry = (fields: Partial<AuditEntry>): AuditEntry => ({
    id: '1',
    at: '2026-12-01T00:00:00.000Z',
    staffEmail: 'e@example.com',
    staffRole: 'editor',
    action: 'add_rule',
    userToken: 'u',
    walletToken: 'w',
    destinationToken: null,
    percentage: null,
    ruleToken: null,
    idempotencyKey: null,
    masspayStatus: null,
    outcome: 'succeeded',
    requestId: 'r',
    changeId: null,
    reason: null,
    ...fields,
  });

  it('undoes adds and deletes newest first; refusals and requests change nothing; an unknown outcome makes it uncertain', () => {
    const now = [
      { token: 'r3', destination_token: 'd1', percentage: 50 },
      { token: 'r4', destination_token: 'd2', percentage: 10 },
    ];
    const since = [
      // Newest: a percentage change of d1 from 40 to 50 (its create, then its delete).
      entry({ action: 'add_rule', ruleToken: 'r3', destinationToken: 'd1', percentage: 50 }),
      entry({ action: 'edit_rule', ruleToken: 'r3', destinationToken: 'd1', percentage: 50 }),
      entry({ action: 'delete_rule', ruleToken: 'r1', destinationToken: 'd1', percentage: 40 }),
      entry({ action: 'add_rule', ruleToken: 'r4', destinationToken: 'd2', percentage: 10 }),
      entry({ action: 'add_rule', ruleToken: null, outcome: 'requested' }),
      entry({ action: 'delete_rule', ruleToken: 'r9', outcome: 'refused' }),
    ];
    expect(rulesBefore(now, since)).toEqual({ rules: [{ token: 'r1', destination_token: 'd1', percentage: 40 }], uncertain: false });
    expect(rulesBefore(now, [entry({ outcome: 'unknown' })]).uncertain).toBe(true);
    expect(rulesBefore(now, [entry({ action: 'add_rule', ruleToken: 'gone' })]).uncertain).toBe(true);
  });
});

describe("a wallet's history, the rules at a payout's time, and the audit page's token filters", () => {
  let c: RunningConsole;
  let beforeChanges: string;
  let seedRules: AutopayRule[];
  beforeAll(async () => {
    c = await startConsole();
    seedRules = [...(c.embedded.sandbox.store.state.rules[ada.usdWallet] ?? [])];
    // The console's records begin with a change to another wallet; the time after it is before Ada's changes.
    await c.call('POST', `/api/payout/wallet/${grace.userToken}/${grace.usdWallet}/autopayout`, {
      body: { destination_token: D.quickCash, percentage: 1 },
      headers: reason('first'),
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    beforeChanges = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const lakeside = seedRules.find((rule) => rule.destination_token === D.lakeside)!;
    expect((await c.call('POST', adaRules, { body: { destination_token: D.quickCash, percentage: 5 }, headers: reason('ticket 1') })).status).toBe(200);
    expect((await c.call('PATCH', `${base}/autopayout/${lakeside.token}`, { body: { percentage: 20 }, headers: reason('ticket 2') })).status).toBe(200);
    // A refused change is history too.
    expect((await c.call('POST', adaRules, { body: { destination_token: D.rhein, percentage: 99 }, headers: reason('ticket 3') })).status).toBe(409);
  }, 60_000);
  afterAll(() => c.close());

  it("lists the wallet's rule changes newest first, for a viewer too, with names, reasons and outcomes", async () => {
    const answer = await c.call('GET', `${base}/history`, { as: 'viewer' });
    expect(answer.status).toBe(200);
    const page = walletHistoryPageSchema.parse(answer.body);
    expect(page.entries.every((entry) => entry.walletToken === ada.usdWallet)).toBe(true);
    expect(page.entries[0]).toMatchObject({ outcome: 'blocked', reason: 'ticket 3', staffName: 'Demo Editor' });
    expect(page.entries.map((entry) => entry.reason)).toContain('ticket 1');
    expect(page.entries.some((entry) => entry.action === 'edit_rule' && entry.outcome === 'succeeded')).toBe(true);
    expect(page.entries.map((entry) => Number(entry.id))).toEqual([...page.entries.map((entry) => Number(entry.id))].sort((a, b) => b - a));
    expect(page).toMatchObject({ page: 1, limit: 20, total: page.entries.length });
    expect((await c.call('GET', `${base}/history?page=2`)).body.entries).toEqual([]);
    expect((await c.call('GET', `${base}/history?page=0`)).status).toBe(400);
    expect((await c.call('GET', `${base}/history?limit=5`)).status).toBe(400);
    expect((await c.call('GET', `/api/console/wallet/${ada.userToken}/not-a-wallet/history`)).status).toBe(400);
    expect((await c.call('GET', `${base}/history`, { as: 'anonymous' })).status).toBe(401);
  });

  it('gives the rules in force at a moment: before the changes, the seed rules; now, the rules now', async () => {
    const before = rulesAtSchema.parse((await c.call('GET', `${base}/rules-at?at=${encodeURIComponent(beforeChanges)}`, { as: 'viewer' })).body);
    expect(before).toMatchObject({ known: true, uncertain: false });
    expect(byToken(before.rules!)).toEqual(byToken(seedRules));
    const now = rulesAtSchema.parse((await c.call('GET', `${base}/rules-at?at=${encodeURIComponent(new Date().toISOString())}`)).body);
    expect(byToken(now.rules!)).toEqual(byToken(c.embedded.sandbox.store.state.rules[ada.usdWallet]!));
  });

  it('says when the console has no record from before a moment', async () => {
    const answer = rulesAtSchema.parse((await c.call('GET', `${base}/rules-at?at=2020-01-01T00:00:00Z`)).body);
    expect(answer).toMatchObject({ known: false, rules: null });
    expect(Date.parse(answer.recordsSince!)).toBeGreaterThan(Date.parse('2020-01-01T00:00:00Z'));
    expect((await c.call('GET', `${base}/rules-at?at=yesterday`)).status).toBe(400);
    expect((await c.call('GET', `${base}/rules-at`)).status).toBe(400);
  });

  it('filters the audit log by wallet, destination and rule token (admins)', async () => {
    const byWallet = auditPageSchema.parse((await c.call('GET', `/api/audit?wallet=${ada.usdWallet}`, { as: 'admin' })).body);
    expect(byWallet.entries.length).toBeGreaterThan(0);
    expect(byWallet.entries.every((entry) => entry.walletToken === ada.usdWallet)).toBe(true);
    const byDestination = auditPageSchema.parse((await c.call('GET', `/api/audit?destination=${D.quickCash}`, { as: 'admin' })).body);
    expect(new Set(byDestination.entries.map((entry) => entry.walletToken))).toEqual(new Set([ada.usdWallet, grace.usdWallet]));
    const rule = byWallet.entries.find((entry) => entry.ruleToken)!.ruleToken!;
    const byRule = auditPageSchema.parse((await c.call('GET', `/api/audit?rule=${rule}`, { as: 'admin' })).body);
    expect(byRule.entries.every((entry) => entry.ruleToken === rule)).toBe(true);
    expect((await c.call('GET', '/api/audit?wallet=nope', { as: 'admin' })).status).toBe(400);
  });
});
