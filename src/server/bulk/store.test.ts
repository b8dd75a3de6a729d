// The bulk job store, the same SQL on the embedded PGlite and on the real PostgreSQL started by
// test/node-global-setup.ts (a schema of its own).
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { SqlDb } from '../audit/db';
import { migrate } from '../audit/migrations';
import { openPostgres } from '../audit/postgres';
import { createBulkStore } from './store';
import { openFreshPglite } from '../../../test/embedded-db-template';

const DEST = 'dest_1a6f3c0e-8d2b-4c59-9e71-2f4b8a0d6c11';

const embedded = { kind: 'embedded', open: (dir: string) => openFreshPglite(join(dir, 'db')) };
const postgres = {
  kind: 'postgres',
  open: async () => {
    const schema = `bulk_${randomUUID().replaceAll('-', '')}`;
    const admin = await openPostgres(inject('databaseUrl'));
    await admin.exec(`CREATE SCHEMA ${schema}`);
    await admin.close();
    const url = new URL(inject('databaseUrl'));
    url.searchParams.set('options', `-c search_path=${schema}`);
    return openPostgres(url.href);
  },
};

describe.each([embedded, postgres])('bulk store: $kind', (backend) => {
  let dir: string;
  let db: SqlDb;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bulk-store-'));
    db = await backend.open(dir);
    await migrate(db);
  }, 60_000);
  afterAll(async () => {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps a job, its rows in batches, its verdicts and wallets, and pages them', async () => {
    const store = createBulkStore(db, { pageSize: 50 });
    const rows = Array.from({ length: 2_345 }, (_, index) => ({
      line: index + 2,
      input: { internal_user_id: `syn-${index}`, currency: 'USD', action: 'set' as const, destination_token: DEST, percentage: 10 },
    }));
    const id = await store.create({
      fileName: 'cohort.csv',
      requestedBy: 'editor@example.com',
      requestedByName: 'Eddie',
      rows,
      uploadedBy: { role: 'editor', requestId: 'req-1' },
    });
    expect(await store.status(id)).toBe('resolving');
    expect(
      await db.query(
        'SELECT event, staff_email AS "staffEmail", staff_role AS "staffRole", comment, request_id AS "requestId" FROM bulk_job_events WHERE job_id = $1',
        [id],
      ),
    ).toEqual([{ event: 'uploaded', staffEmail: 'editor@example.com', staffRole: 'editor', comment: 'cohort.csv: 2345 rows', requestId: 'req-1' }]);
    expect((await store.inputs(id)).length).toBe(2_345);

    const rule = { token: 'autopayout_00000000-0000-4000-8000-000000000001', destination_token: DEST, percentage: 10 };
    const saved = await store.saveResolution(
      id,
      [{ walletToken: 'w1', userToken: 'u1', currency: 'USD', rulesBefore: [], rulesAfter: [rule], fingerprint: 'f' }],
      rows.map(({ line }) =>
        line === 2
          ? {
              line,
              userToken: 'u1',
              walletToken: 'w1',
              verdict: 'change' as const,
              reason: null,
              change: { action: 'add_rule' as const, destinationToken: DEST, percentage: 10, ruleToken: null, previousPercentage: null, attrSetToken: null },
            }
          : {
              line,
              userToken: null,
              walletToken: null,
              verdict: 'refused' as const,
              reason: 'MassPay knows no user with this internal user ID.',
              change: null,
            },
      ),
    );
    expect(saved).toBe(true);
    expect(await store.saveResolution(id, [], [])).toBe(false);

    const job = await store.get(id);
    expect(job).toMatchObject({
      status: 'ready',
      fileName: 'cohort.csv',
      rowCount: 2_345,
      counts: { rows: 2_345, change: 1, refused: 2_344, noop: 0, done: 0 },
    });
    const changes = await store.rows(id, { verdict: 'change' }, 1);
    expect(changes.total).toBe(1);
    expect(changes.items[0]).toMatchObject({ line: 2, change: { action: 'add_rule', percentage: 10 }, input: rows[0]!.input });
    const refusedPage = await store.rows(id, { verdict: 'refused' }, 3);
    expect(refusedPage.items.map((row) => row.line)).toEqual(Array.from({ length: 50 }, (_, index) => 103 + index));
    expect(refusedPage.items[0]!.change).toBeNull();
    expect((await store.wallets(id, 1)).items).toEqual([
      { walletToken: 'w1', userToken: 'u1', currency: 'USD', rulesBefore: [], rulesAfter: [rule], fingerprint: 'f' },
    ]);
    let count = 0;
    for await (const batch of store.allRows(id)) count += batch.length;
    expect(count).toBe(2_345);
    expect((await store.list(1)).items[0]).toMatchObject({ id, requestedByName: 'Eddie' });
  });

  it('says how far a run is, and the time left at the pace of the last minute while it runs', async () => {
    const store = createBulkStore(db, { pageSize: 50 });
    const rows = Array.from({ length: 10 }, (_, index) => ({
      line: index + 2,
      input: { internal_user_id: `syn-${index}`, currency: 'USD', action: 'add' as const, destination_token: DEST, percentage: 1 },
    }));
    const id = await store.create({ fileName: 'pace.csv', requestedBy: 'editor@example.com', requestedByName: 'Eddie', rows });
    const change = { action: 'add_rule' as const, destinationToken: DEST, percentage: 1, ruleToken: null, previousPercentage: null, attrSetToken: null };
    await store.saveResolution(
      id,
      [],
      rows.map(({ line }) => ({ line, userToken: 'u', walletToken: `w${line}`, verdict: 'change' as const, reason: null, change })),
    );
    expect((await store.get(id))!.progress).toEqual({ total: 10, done: 0, etaSeconds: null });
    // Running for 30 s, 4 rows done just now: 6 left at 4 per 30 s.
    await db.query(`UPDATE bulk_jobs SET status = 'running', started_at = now() - interval '30 seconds' WHERE id = $1`, [id]);
    await db.query(`UPDATE bulk_rows SET outcome = 'applied', done_at = now() WHERE job_id = $1 AND line <= 5`, [id]);
    const running = (await store.get(id))!.progress;
    expect(running).toMatchObject({ total: 10, done: 4 });
    expect(running.etaSeconds).toBeGreaterThanOrEqual(45);
    expect(running.etaSeconds).toBeLessThanOrEqual(46);
    await db.query(`UPDATE bulk_jobs SET status = 'paused' WHERE id = $1`, [id]);
    expect((await store.get(id))!.progress).toEqual({ total: 10, done: 4, etaSeconds: null });
  });
});
