// The bulk job store on the embedded PGlite (the same SQL runs on PostgreSQL: migration 10 is checked
// there by the audit store's suite).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlDb } from '../audit/db';
import { migrate } from '../audit/migrations';
import { openPglite } from '../audit/pglite';
import { createBulkStore } from './store';

const DEST = 'dest_1a6f3c0e-8d2b-4c59-9e71-2f4b8a0d6c11';

describe('bulk store', () => {
  let dir: string;
  let db: SqlDb;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bulk-store-'));
    db = await openPglite(join(dir, 'db'));
    await migrate(db);
  });
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
    const id = await store.create({ fileName: 'cohort.csv', requestedBy: 'editor@example.com', requestedByName: 'Eddie', rows });
    expect(await store.status(id)).toBe('resolving');
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
});
