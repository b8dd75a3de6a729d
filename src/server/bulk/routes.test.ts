// The bulk intake routes through a real console in front of the real sandbox: the template, an upload
// refused (400 naming line and column, 413, 415, a viewer's 403) or accepted (202, its dry run on the
// server), the job, its rows and wallets and the rows CSV; hostile ids, pages and queries refused.
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BULK_MAX_BYTES, bulkJobPageSchema, bulkJobSchema, bulkRowPageSchema, bulkUploadProblemSchema, bulkWalletPageSchema, PROBLEM_TYPES } from '../../api';
import { SEED_DESTINATIONS as D, SEED_PEOPLE } from '../../../test/seed';
import { startConsole, type RunningConsole } from '../../../test/server-support';
import { BULK_TEMPLATE_CSV } from './csv';

const BULK = '/api/console/bulk';
const csv = (body: string, as: 'editor' | 'viewer' | 'admin' = 'editor') => ({ body, as, headers: { 'content-type': 'text/csv; charset=utf-8' } });
const upload = (c: RunningConsole, body: string, as: 'editor' | 'viewer' | 'admin' = 'editor', name = 'cohort.csv') =>
  c.call('POST', `${BULK}?name=${encodeURIComponent(name)}`, csv(body, as));

const GOOD = [
  'internal_user_id;currency;action;destination_token;percentage',
  `ext-1001;USD;set;${D.evergreen};"50,5"`,
  `ext-1001;USD;add;${D.lakeside};10`,
  `ext-1002;EUR;add;${D.rhein};10`,
  `ext-9999;USD;remove;${D.evergreen};`,
].join('\r\n');

describe('bulk intake routes', () => {
  let c: RunningConsole;
  beforeAll(async () => {
    c = await startConsole({ bulk: { pollMs: 50 } });
  }, 60_000);
  afterAll(() => c.close());

  const writesSent = () => (c.embedded.sandbox.stats.byRoute.createAutopayRule ?? 0) + (c.embedded.sandbox.stats.byRoute.deleteAutopayRule ?? 0);
  const jobCount = async () => bulkJobPageSchema.parse((await c.call('GET', BULK, { as: 'viewer' })).body).total;

  /** The job once its dry run is done (the console's runner works it). */
  const settled = async (id: string) => {
    for (let tries = 0; tries < 200; tries++) {
      const job = bulkJobSchema.parse((await c.call('GET', `${BULK}/${id}`, { as: 'viewer' })).body);
      if (job.status !== 'resolving') return job;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`job ${id} still resolving after 10 s`);
  };

  it('serves the template to every role', async () => {
    const answer = await c.call('GET', `${BULK}/template.csv`, { as: 'viewer' });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(answer.headers.get('content-disposition')).toBe('attachment; filename="bulk-rules-template.csv"');
    expect(answer.text).toBe(BULK_TEMPLATE_CSV);
  });

  it('refuses an upload by a viewer (403), without a session (401) or without the CSRF header, and makes no job', async () => {
    expect((await upload(c, GOOD, 'viewer')).status).toBe(403);
    expect((await c.call('POST', BULK, { ...csv(GOOD), as: 'anonymous' })).status).toBe(401);
    expect((await c.call('POST', BULK, { ...csv(GOOD), csrf: false })).status).toBe(403);
    expect(await jobCount()).toBe(0);
  });

  it('refuses a bad file with 400 naming line and column, a file over 5 MiB with 413, JSON with 415', async () => {
    const bad = await upload(
      c,
      `internal_user_id,currency,action,destination_token,percentage\next-1001,USD,set,${D.evergreen},10\next-1002,USD,jump,${D.evergreen},101\n`,
    );
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = bulkUploadProblemSchema.parse(bad.body);
    expect(problem.detail).toBe('Line 3, action: Action must be add, set or remove (and 1 more). Nothing was uploaded.');
    expect(problem.refusals).toEqual([
      { line: 3, column: 'action', message: 'Action must be add, set or remove' },
      { line: 3, column: 'percentage', message: 'Percentage must be at most 100' },
    ]);

    const header = 'internal_user_id,currency,action,destination_token,percentage\n';
    const big = header + `ext-1001,USD,set,${D.evergreen},10\n`.repeat(Math.ceil(BULK_MAX_BYTES / 60) + 10);
    const tooLarge = await upload(c, big);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body).toMatchObject({ type: PROBLEM_TYPES.tooLarge, detail: 'The file is over 5 MiB: split it into smaller files.' });

    const empty = await upload(c, '');
    expect(empty.status).toBe(400);
    expect(empty.body.detail).toBe('Line 1: The file is empty: it needs a header and at least one row. Nothing was uploaded.');
    const json = await c.call('POST', BULK, { body: { rows: [] } });
    expect(json.status).toBe(415);
    const binary = await upload(c, 'internal_user_id,currency\u0000');
    expect(bulkUploadProblemSchema.parse(binary.body).refusals[0]).toMatchObject({ line: 1, column: 'column 2' });
    expect(await jobCount()).toBe(0);
  });

  it('takes a good file (202), resolves it on the server, and shows the job, its rows, wallets and CSV; nothing written to MassPay', async () => {
    c.embedded.sandbox.stats.reset();
    const answer = await upload(c, `\ufeff${GOOD}`, 'editor', 'Cohort 7 (re-point).csv');
    expect(answer.status).toBe(202);
    const { id } = answer.body as { id: string };
    expect(answer.headers.get('location')).toBe(`${BULK}/${id}`);

    const job = await settled(id);
    expect(job).toMatchObject({
      status: 'ready',
      fileName: 'Cohort 7 (re-point).csv',
      requestedBy: 'editor@example.com',
      rowCount: 4,
      counts: { rows: 4, change: 2, noop: 0, refused: 2, done: 0 },
    });
    expect(job.requestedByName).toBeTruthy();

    const refused = bulkRowPageSchema.parse((await c.call('GET', `${BULK}/${id}/rows?verdict=refused`, { as: 'viewer' })).body);
    expect(refused.items.map((row) => [row.line, row.reason])).toEqual([
      [3, expect.stringMatching(/^This wallet already sends 25 % to this destination/)],
      [5, 'MassPay knows no user with internal user ID ext-9999.'],
    ]);
    const changes = bulkRowPageSchema.parse((await c.call('GET', `${BULK}/${id}/rows?verdict=change&page=1`, { as: 'viewer' })).body);
    expect(changes.items.map((row) => [row.line, row.change?.action, row.change?.percentage, row.walletToken])).toEqual([
      [2, 'edit_rule', 50.5, SEED_PEOPLE.ada.usdWallet],
      [4, 'add_rule', 10, SEED_PEOPLE.grace.eurWallet],
    ]);

    const wallets = bulkWalletPageSchema.parse((await c.call('GET', `${BULK}/${id}/wallets`, { as: 'viewer' })).body);
    expect(wallets.items.map((wallet) => wallet.walletToken).sort()).toEqual([SEED_PEOPLE.ada.usdWallet, SEED_PEOPLE.grace.eurWallet].sort());
    const grace = wallets.items.find((wallet) => wallet.walletToken === SEED_PEOPLE.grace.eurWallet)!;
    expect([grace.rulesBefore, grace.rulesAfter]).toEqual([[], [{ token: '', destination_token: D.rhein, percentage: 10 }]]);

    const file = await c.call('GET', `${BULK}/${id}/rows.csv`, { as: 'viewer' });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const parsed = Papa.parse<Record<string, string>>(file.text, { header: true, skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data.map((row) => [row.line, row.verdict, row.percentage])).toEqual([
      ['2', 'change', '50.5'],
      ['3', 'refused', '10'],
      ['4', 'change', '10'],
      ['5', 'refused', ''],
    ]);

    const list = bulkJobPageSchema.parse((await c.call('GET', `${BULK}?page=1`, { as: 'viewer' })).body);
    expect(list.items[0]).toMatchObject({ id, status: 'ready', rowCount: 4 });
    const [event] = await c.audit.sql.query<{ event: string; staff_email: string; comment: string }>(
      "SELECT event, staff_email, comment FROM bulk_job_events WHERE job_id = $1 AND event = 'uploaded'",
      [id],
    );
    expect(event).toEqual({ event: 'uploaded', staff_email: 'editor@example.com', comment: 'Cohort 7 (re-point).csv: 4 rows' });
    expect(writesSent()).toBe(0);
  });

  it('refuses hostile ids, pages and queries (400) and answers 404 for a job that does not exist', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const path of [`${BULK}/not-a-uuid`, `${BULK}/..%2F..%2Fetc`, `${BULK}/${unknown.toUpperCase()}`, `${BULK}/%00/rows`, `${BULK}/x/rows.csv`]) {
      const answer = await c.call('GET', path, { as: 'viewer' });
      expect([400, 404], path).toContain(answer.status);
      expect(answer.headers.get('content-type'), path).toMatch(/^application\/problem\+json/);
    }
    expect((await c.call('GET', `${BULK}/not-a-uuid`, { as: 'viewer' })).status).toBe(400);
    for (const path of [`${BULK}/${unknown}`, `${BULK}/${unknown}/rows`, `${BULK}/${unknown}/wallets`, `${BULK}/${unknown}/rows.csv`]) {
      expect((await c.call('GET', path, { as: 'viewer' })).status, path).toBe(404);
    }
    for (const query of ['page=0', 'page=-1', 'page=abc', 'page=1e3', 'page=9999999', 'verdict=maybe', 'outcome=done', 'sort=line', 'page=1&page=2']) {
      expect((await c.call('GET', `${BULK}/${unknown}/rows?${query}`, { as: 'viewer' })).status, query).toBe(400);
      expect((await c.call('GET', `${BULK}?${query}`, { as: 'viewer' })).status, query).toBe(400);
    }
    expect((await upload(c, GOOD, 'editor', 'a\u0007b.csv')).status).toBe(400);
    expect((await upload(c, GOOD, 'editor', 'x'.repeat(201))).status).toBe(400);
  });
});
