// Pickup codes (issue 16 item 4): masked in history answers (proxy.test.ts), revealed one at a time by an
// editor or admin on the console's route, each reveal recorded; a viewer is refused and that is recorded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROBLEM_TYPES, revealPickupCodePath } from '../api';
import { SEED_PEOPLE } from '../../test/seed';
import { startConsole, type RunningConsole } from '../../test/server-support';

const { rosalind, ada } = SEED_PEOPLE;

let c: RunningConsole;
beforeAll(async () => {
  c = await startConsole();
});
afterAll(() => c.close());

/** A cash-pickup payout of Rosalind's, with its code as MassPay (the sandbox) holds it. */
const pickupRow = () => {
  const row = c.embedded.sandbox.store.historyOf(rosalind.userToken).find((r) => r.pickup_code !== undefined)!;
  return { token: row.token, code: row.pickup_code!, day: row.time_of_txn.slice(0, 10), destination: row.destination_token };
};
const reveal = (transactionToken: string, day: string, as: 'viewer' | 'editor' | 'admin' = 'editor', walletToken: string = rosalind.mxnWallet) =>
  c.call('POST', revealPickupCodePath(rosalind.userToken, walletToken, transactionToken), { body: { day }, as });
const entriesOf = async (requestId: string | null) =>
  (await c.audit.list({ action: 'reveal_pickup_code' }, { page: 1, limit: 100 })).entries.filter((entry) => entry.requestId === requestId);
const historyReads = () => c.embedded.sandbox.stats.byRoute.getUserHistory ?? 0;

describe('reveal a pickup code', () => {
  it('an editor or admin gets the code, and the reveal is recorded with the transaction and its destination', async () => {
    const row = pickupRow();
    for (const role of ['editor', 'admin'] as const) {
      const res = await reveal(row.token, row.day, role);
      expect(res.status).toBe(200);
      expect(res.body).toStrictEqual({ pickup_code: row.code });
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(await entriesOf(res.headers.get('x-request-id'))).toEqual([
        expect.objectContaining({
          action: 'reveal_pickup_code',
          outcome: 'succeeded',
          staffEmail: `${role}@example.com`,
          userToken: rosalind.userToken,
          walletToken: rosalind.mxnWallet,
          ruleToken: row.token,
          destinationToken: row.destination,
          masspayStatus: 200,
        }),
      ]);
    }
  });

  it('a viewer is refused (403) without MassPay being asked, and the refusal is recorded', async () => {
    const row = pickupRow();
    const reads = historyReads();
    const res = await reveal(row.token, row.day, 'viewer');
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ type: PROBLEM_TYPES.forbidden, detail: expect.stringMatching(/pickup codes/) });
    expect(res.text).not.toContain(row.code);
    expect(historyReads()).toBe(reads);
    expect(await entriesOf(res.headers.get('x-request-id'))).toEqual([
      expect.objectContaining({ outcome: 'forbidden', staffRole: 'viewer', ruleToken: row.token, walletToken: rosalind.mxnWallet }),
    ]);
  });

  it('a transaction without a code, or none with that token that day, is 404 and recorded as refused', async () => {
    const row = pickupRow();
    const load = c.embedded.sandbox.store.historyOf(rosalind.userToken).find((r) => r.type === 'load')!;
    const noCode = await reveal(load.token, load.time_of_txn.slice(0, 10));
    expect(noCode.status).toBe(404);
    expect(noCode.body.detail).toMatch(/no pickup code/);
    expect(await entriesOf(noCode.headers.get('x-request-id'))).toEqual([expect.objectContaining({ outcome: 'refused', ruleToken: load.token })]);
    const otherDay = await reveal(row.token, '2001-01-01');
    expect(otherDay.status).toBe(404);
    expect(otherDay.text).not.toContain(row.code);
    const otherWallet = await c.call('POST', revealPickupCodePath(ada.userToken, ada.usdWallet, row.token), { body: { day: row.day } });
    expect(otherWallet.status).toBe(404);
    expect(otherWallet.text).not.toContain(row.code);
  });

  it('refuses a malformed request before MassPay is asked', async () => {
    const row = pickupRow();
    const reads = historyReads();
    const path = revealPickupCodePath(rosalind.userToken, rosalind.mxnWallet, row.token);
    for (const body of [{}, { day: '2026-13-01' }, { day: row.day, extra: true }, { day: 20260101 }]) {
      expect((await c.call('POST', path, { body })).status, JSON.stringify(body)).toBe(400);
    }
    expect((await c.call('POST', `${path}?page=2`, { body: { day: row.day } })).status).toBe(400);
    expect((await c.call('POST', path.replace(row.token, 'pyt_../../x'), { body: { day: row.day } })).status).toBe(400);
    expect((await c.call('POST', path, { body: { day: row.day }, csrf: false })).status).toBe(403);
    expect(historyReads()).toBe(reads);
  });

  it('a reveal that cannot be recorded is not answered', async () => {
    const row = pickupRow();
    const failing = await startConsole({ audit: { ...c.audit, append: () => Promise.reject(new Error('disk full')) } });
    try {
      const res = await failing.call('POST', revealPickupCodePath(rosalind.userToken, rosalind.mxnWallet, row.token), { body: { day: row.day } });
      expect(res.status).toBe(503);
      expect(res.text).not.toContain(row.code);
    } finally {
      await failing.close();
    }
  });
});
