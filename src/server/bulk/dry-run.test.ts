// The dry run against the real sandbox (with 220 synthetic payees) and the embedded database: a
// 200-row file of good and bad rows gets exactly the verdicts below, with at most 8 reads in flight,
// 429s and 5xx retried, and not one write sent to MassPay.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toBasisPoints, type AutopayRule, type BulkRowInput, type BulkVerdict, type Wallet } from '../../api';
import { SEED_DESTINATIONS as D, SEED_PEOPLE } from '../../../test/seed';
import { rulesFingerprint } from '../approvals/store';
import type { SqlDb } from '../audit/db';
import { migrate } from '../audit/migrations';
import { startEmbeddedSandbox, type EmbeddedSandbox } from '../embedded-sandbox';
import { createUpstream, type Upstream } from '../upstream';
import { resolveJob } from './dry-run';
import { createBulkStore } from './store';
import { openFreshPglite } from '../../../test/embedded-db-template';

const USD_DESTINATIONS = [D.evergreen, D.lakeside, D.quickCash, D.exampleCard];

interface Expected {
  input: BulkRowInput;
  verdict: BulkVerdict;
  /** The reason, or for a change its action. */
  what: string | RegExp;
}

/** Counts the reads in flight on their way to the sandbox. */
const counting = (upstream: Upstream) => {
  let now = 0;
  const seen = { max: 0, requests: 0, writes: 0 };
  const wrapped: Upstream = {
    send: async (request, options) => {
      seen.requests += 1;
      if (request.method !== 'GET') seen.writes += 1;
      now += 1;
      seen.max = Math.max(seen.max, now);
      try {
        return await upstream.send(request, options);
      } finally {
        now -= 1;
      }
    },
    close: () => upstream.close(),
  };
  return { upstream: wrapped, seen };
};

describe('the dry run', () => {
  let dir: string;
  let db: SqlDb;
  let sandbox: EmbeddedSandbox;
  let upstream: Upstream;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bulk-dry-run-'));
    [db, sandbox] = await Promise.all([openFreshPglite(join(dir, 'db')), startEmbeddedSandbox({ dataDir: join(dir, 'sandbox'), seedUsers: 220 })]);
    await migrate(db);
    upstream = createUpstream({ baseUrl: sandbox.baseUrl, timeoutMs: 5_000 });
  }, 60_000);
  afterAll(async () => {
    await upstream.close();
    await Promise.all([db.close(), sandbox.close()]);
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    sandbox.sandbox.faults.clear();
    sandbox.sandbox.stats.reset();
  });

  const state = () => sandbox.sandbox.store.state;
  const store = () => createBulkStore(db, { pageSize: 1_000 });
  const upload = (inputs: readonly BulkRowInput[]) =>
    store().create({
      fileName: 'cohort.csv',
      requestedBy: 'editor@example.com',
      requestedByName: 'Eddie Editor',
      rows: inputs.map((input, index) => ({ line: index + 2, input })),
    });

  /** 200 rows over synthetic payees, a dozen kinds of good and bad, each with the verdict it must get. */
  const plan = (): Expected[] => {
    const { users, wallets, rules } = state();
    const synthetic = users.filter((user) => user.internal_user_id.startsWith('syn-'));
    const walletsOf = (user: string) => wallets.filter((wallet) => wallet.user_token === user);
    const rulesOf = (wallet: Wallet): AutopayRule[] => rules[wallet.token] ?? [];
    const totalBp = (wallet: Wallet) => rulesOf(wallet).reduce((sum, rule) => sum + toBasisPoints(rule.percentage), 0);
    const freeUsd = (wallet: Wallet) => USD_DESTINATIONS.find((token) => !rulesOf(wallet).some((rule) => rule.destination_token === token));
    const expected: Expected[] = [];
    // Each payee's first wallet, named by token for even payees and by internal ID + currency for odd ones (the first wallet is the first of its currency).
    const naming = (index: number, wallet: Wallet) =>
      index % 2 === 0
        ? { user_token: wallet.user_token, wallet_token: wallet.token }
        : { internal_user_id: users.find((user) => user.user_token === wallet.user_token)!.internal_user_id, currency: wallet.currency_code };
    let kind = 0;
    for (const [index, user] of synthetic.entries()) {
      if (expected.length >= 190) break;
      const wallet = walletsOf(user.user_token)[0]!;
      const names = naming(index, wallet);
      const first = rulesOf(wallet)[0];
      const usd = wallet.currency_code === 'USD';
      const k = kind++ % 9;
      if (k === 0 && first)
        expected.push({
          input: { ...names, action: 'set', destination_token: first.destination_token, percentage: first.percentage },
          verdict: 'noop',
          what: /already sends/,
        });
      else if (k === 1 && first && first.percentage >= 0.02) {
        const percentage = Math.floor(first.percentage * 50) / 100;
        expected.push({ input: { ...names, action: 'set', destination_token: first.destination_token, percentage }, verdict: 'change', what: 'edit_rule' });
      } else if (k === 2 && first)
        expected.push({ input: { ...names, action: 'remove', destination_token: first.destination_token }, verdict: 'change', what: 'delete_rule' });
      else if (k === 3 && usd && freeUsd(wallet)) {
        const fits = totalBp(wallet) + 100 <= 10_000;
        expected.push({
          input: { ...names, action: 'add', destination_token: freeUsd(wallet)!, percentage: 1 },
          verdict: fits ? 'change' : 'refused',
          what: fits ? 'add_rule' : /At most/,
        });
      } else if (k === 4 && first)
        expected.push({
          input: { ...names, action: 'add', destination_token: first.destination_token, percentage: 1 },
          verdict: 'refused',
          what: /already sends/,
        });
      else if (k === 5 && usd && freeUsd(wallet)) {
        expected.push({
          input: { ...names, action: 'remove', destination_token: freeUsd(wallet)! },
          verdict: 'refused',
          what: 'This wallet has no rule for this destination to remove.',
        });
      } else if (k === 6) {
        const other = usd ? D.rhein : D.evergreen;
        expected.push({
          input: { ...names, action: 'set', destination_token: other, percentage: 1 },
          verdict: 'refused',
          what: /autopay never converts currency/,
        });
      } else if (k === 7) {
        expected.push({
          input: { ...names, action: 'set', destination_token: `dest_${randomUUID()}`, percentage: 1 },
          verdict: 'refused',
          what: 'MassPay knows no destination with this token.',
        });
      } else if (k === 8 && first) {
        // Twice the same wallet and destination: the first row stands, the second is a duplicate.
        expected.push({
          input: { ...names, action: 'set', destination_token: first.destination_token, percentage: first.percentage },
          verdict: 'noop',
          what: /already sends/,
        });
        expected.push({
          input: { ...names, action: 'remove', destination_token: first.destination_token },
          verdict: 'refused',
          what: `Duplicate row: line ${expected.length + 1} already names this wallet and destination.`,
        });
      } else kind -= 1;
    }
    const someone = synthetic[0]!;
    const stranger = wallets.find((wallet) => wallet.user_token !== someone.user_token && wallet.type === 'USER_FUNDS')!;
    const bad: Expected[] = [
      {
        input: { internal_user_id: 'syn-999999', currency: 'USD', action: 'set', destination_token: D.evergreen, percentage: 5 },
        verdict: 'refused',
        what: 'MassPay knows no user with internal user ID syn-999999.',
      },
      {
        input: { user_token: `usr_${randomUUID()}`, currency: 'USD', action: 'remove', destination_token: D.evergreen },
        verdict: 'refused',
        what: 'MassPay knows no user with this user token.',
      },
      {
        input: { user_token: someone.user_token, wallet_token: stranger.token, action: 'remove', destination_token: D.evergreen },
        verdict: 'refused',
        what: 'This user has no wallet with this token.',
      },
      {
        input: { internal_user_id: someone.internal_user_id, currency: 'JPY', action: 'add', destination_token: D.evergreen, percentage: 1 },
        verdict: 'refused',
        what: 'This user has no active USER_FUNDS wallet in JPY.',
      },
      {
        input: {
          user_token: SEED_PEOPLE.ada.userToken,
          wallet_token: SEED_PEOPLE.ada.inactiveWallet,
          action: 'add',
          destination_token: D.quickCash,
          percentage: 5,
        },
        verdict: 'refused',
        what: 'This wallet is inactive: no new rule can be made on it.',
      },
      // Ada's USD wallet holds 60 % + 25 %: 20 % more is over 100 %; after lowering Evergreen to 50 % (line before), 20 % fits exactly to 95 %.
      {
        input: { internal_user_id: 'ext-1001', currency: 'USD', action: 'add', destination_token: D.quickCash, percentage: 20 },
        verdict: 'refused',
        what: /85 % allocated; 20 % more would make 105 %/,
      },
      {
        input: { internal_user_id: 'ext-1001', currency: 'USD', action: 'set', destination_token: D.evergreen, percentage: 50 },
        verdict: 'change',
        what: 'edit_rule',
      },
      {
        input: {
          user_token: SEED_PEOPLE.ada.userToken,
          wallet_token: SEED_PEOPLE.ada.usdWallet,
          action: 'set',
          destination_token: D.exampleCard,
          percentage: 20,
        },
        verdict: 'change',
        what: 'add_rule',
      },
      {
        input: { internal_user_id: 'ext-1001', currency: 'USD', action: 'set', destination_token: D.lakeside, percentage: 40 },
        verdict: 'refused',
        what: /other rules hold 70 %; 40 % for this one would make 110 %/,
      },
      // Grace's USD wallet is fully allocated to Example Card Services.
      { input: { internal_user_id: 'ext-1002', currency: 'USD', action: 'remove', destination_token: D.exampleCard }, verdict: 'change', what: 'delete_rule' },
    ];
    return [...expected.slice(0, 200 - bad.length), ...bad];
  };

  it('gives a 200-row file exactly its verdicts, each wallet its rules before and after, and sends MassPay reads only, at most 8 at once', async () => {
    const expected = plan();
    expect(expected).toHaveLength(200);
    expect(new Set(expected.map((row) => row.verdict))).toEqual(new Set(['change', 'noop', 'refused']));
    const id = await upload(expected.map((row) => row.input));
    sandbox.sandbox.faults.set({ latencyMs: 20 });
    const wire = counting(upstream);
    await resolveJob({ db, upstream: wire.upstream, apiKey: sandbox.apiKey }, id, new AbortController().signal);

    const job = await store().get(id);
    const count = (verdict: BulkVerdict) => expected.filter((row) => row.verdict === verdict).length;
    expect(job).toMatchObject({
      status: 'ready',
      rowCount: 200,
      counts: { rows: 200, change: count('change'), noop: count('noop'), refused: count('refused'), done: 0 },
    });
    const rows = (await store().rows(id, {}, 1)).items;
    expect(rows).toHaveLength(200);
    for (const [index, row] of rows.entries()) {
      const want = expected[index]!;
      expect({ line: row.line, verdict: row.verdict }).toEqual({ line: index + 2, verdict: want.verdict });
      const what = row.verdict === 'change' ? row.change!.action : row.reason!;
      if (typeof want.what === 'string') expect(what, `line ${row.line}`).toBe(want.what);
      else expect(what, `line ${row.line}`).toMatch(want.what);
    }

    // Ada's wallet: before as MassPay has it, after as the rows leave it (Evergreen 50 %, Lakeside 25 %, Example Card 20 %).
    const wallets = (await store().wallets(id, 1)).items;
    const ada = wallets.find((wallet) => wallet.walletToken === SEED_PEOPLE.ada.usdWallet)!;
    expect(ada.rulesBefore).toEqual(state().rules[SEED_PEOPLE.ada.usdWallet]);
    expect(ada.fingerprint).toBe(rulesFingerprint(ada.rulesBefore));
    expect(ada.rulesAfter.map((rule) => [rule.destination_token, rule.percentage]).sort()).toEqual(
      [
        [D.evergreen, 50],
        [D.lakeside, 25],
        [D.exampleCard, 20],
      ].sort(),
    );
    const edit = rows.find((row) => row.walletToken === SEED_PEOPLE.ada.usdWallet && row.change?.action === 'edit_rule')!;
    const evergreen = state().rules[SEED_PEOPLE.ada.usdWallet]!.find((rule) => rule.destination_token === D.evergreen)!;
    expect(edit.change).toEqual({
      action: 'edit_rule',
      destinationToken: D.evergreen,
      percentage: 50,
      ruleToken: evergreen.token,
      previousPercentage: 60,
      attrSetToken: null,
    });
    // Over 100 % with later rows of the wallet to come (Ada's add, before the row lowering Evergreen): the reason says rows apply in line order.
    expect(rows.filter((row) => row.reason?.includes('Rows apply in line order')).map((row) => row.walletToken)).toEqual([SEED_PEOPLE.ada.usdWallet]);
    // Rows refused before a wallet was found name none.
    expect(rows.filter((row) => row.walletToken === null).map((row) => row.reason)).toEqual(
      expect.arrayContaining(['MassPay knows no user with this user token.']),
    );

    // Reads only, each distinct thing once; never more than 8 in flight.
    expect(wire.seen.writes).toBe(0);
    const stats = sandbox.sandbox.stats.byRoute;
    expect(stats.createAutopayRule ?? 0).toBe(0);
    expect(stats.deleteAutopayRule ?? 0).toBe(0);
    const distinctUsers = new Set(expected.map((row) => row.input.user_token ?? row.input.internal_user_id)).size;
    expect(stats.listWallets).toBeLessThanOrEqual(distinctUsers);
    expect(stats.lookupUser).toBe(new Set(expected.flatMap((row) => (row.input.internal_user_id ? [row.input.internal_user_id] : []))).size);
    expect(wire.seen.max).toBe(8);
    console.info(
      `dry run of 200 rows (${count('change')} change, ${count('noop')} noop, ${count('refused')} refused): ${wire.seen.requests} MassPay reads, at most ${wire.seen.max} in flight`,
      stats,
    );
  });

  it('backs off and retries reads answered 429 or 500, and is safe to run again', async () => {
    const inputs: BulkRowInput[] = [
      { internal_user_id: 'ext-1001', currency: 'USD', action: 'set', destination_token: D.evergreen, percentage: 50 },
      { internal_user_id: 'ext-1002', currency: 'EUR', action: 'add', destination_token: D.rhein, percentage: 10 },
    ];
    const id = await upload(inputs);
    sandbox.sandbox.faults.set({ failNext: { count: 3, status: 429 } });
    const reads = { minDelayMs: 5 };
    await resolveJob({ db, upstream, apiKey: sandbox.apiKey, reads }, id, new AbortController().signal);
    expect((await store().get(id))!.counts).toMatchObject({ change: 2, refused: 0 });
    // Two lookups, two wallet lists, two rule lists, two destinations, and the three refused tries.
    expect(sandbox.sandbox.stats.requests).toBe(8 + 3);

    // Run again (a replica died after saving?): a job no longer resolving is left as it is.
    sandbox.sandbox.stats.reset();
    await resolveJob({ db, upstream, apiKey: sandbox.apiKey, reads }, id, new AbortController().signal);
    expect(sandbox.sandbox.stats.requests).toBe(0);

    // A read that keeps failing refuses only the rows that needed it, saying why: the one lookup fails twice (its two tries).
    const second = await upload([
      inputs[0]!,
      { user_token: SEED_PEOPLE.grace.userToken, wallet_token: SEED_PEOPLE.grace.eurWallet, action: 'add', destination_token: D.rhein, percentage: 10 },
    ]);
    sandbox.sandbox.faults.set({ failNext: { count: 2, status: 500 } });
    await resolveJob({ db, upstream, apiKey: sandbox.apiKey, reads: { minDelayMs: 5, retries: 1 } }, second, new AbortController().signal);
    const rows = (await store().rows(second, {}, 1)).items;
    expect(rows.map((row) => [row.verdict, row.reason])).toEqual([
      ['refused', 'MassPay could not be read for this row (it answered 500); upload the file again later.'],
      ['change', null],
    ]);
    expect(sandbox.sandbox.stats.byRoute.createAutopayRule ?? 0).toBe(0);
  });

  it('stops when its signal is aborted, writing nothing', async () => {
    const id = await upload([{ internal_user_id: 'ext-1001', currency: 'USD', action: 'remove', destination_token: D.lakeside }]);
    const controller = new AbortController();
    controller.abort(new Error('lease lost'));
    await expect(resolveJob({ db, upstream, apiKey: sandbox.apiKey }, id, controller.signal)).rejects.toThrow('lease lost');
    expect((await store().get(id))!.status).toBe('resolving');
  });
});
