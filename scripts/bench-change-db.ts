/**
 * The change path's own database work per change, on the embedded store (PGlite), measured in this
 * process without MassPay: what one add with a client's Idempotency-Key writes — the key claimed, the
 * wallet's settle mark read, `requested` appended, the mark set around the write and cleared after
 * its answer, the outcome appended, the answer kept for replays. Used by `npm run bench`.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { openAuditStore, type NewAuditEntry } from '../src/server/audit/store';
import { createIdempotencyRecord, requestFingerprint } from '../src/server/changes/idempotency';
import { createSettling } from '../src/server/changes/settling';
import { percentiles } from './bench-lib';

export const measureChangeDbWork = async (changes = 400) => {
  const dir = await mkdtemp(join(os.tmpdir(), 'masspay-change-db-'));
  const store = await openAuditStore({ dataDir: dir });
  try {
    const idempotency = createIdempotencyRecord(store.sql, { leaseMs: 60_000 });
    const settling = createSettling(store.sql, { settleMs: 60_000, timeoutMs: 10_000 });
    const answered = { status: 200, contentType: 'application/json', body: Buffer.from('{"token":"autopayout_x"}') };
    const entry = (outcome: NewAuditEntry['outcome']): NewAuditEntry => ({
      staffEmail: 'editor@example.com',
      staffRole: 'editor',
      action: 'add_rule',
      userToken: 'usr_bench',
      walletToken: 'wlt_bench',
      destinationToken: 'dest_bench',
      percentage: 1,
      ruleToken: null,
      idempotencyKey: null,
      masspayStatus: outcome === 'requested' ? null : 200,
      outcome,
      requestId: randomUUID(),
    });
    const timings: number[] = [];
    for (let i = 0; i < changes + 50; i += 1) {
      const key = randomUUID();
      const started = performance.now();
      await idempotency.claim(key, requestFingerprint(['createAutopayRule', { i }]));
      await settling.remainingMs('usr_bench/wlt_bench');
      await store.append({ ...entry('requested'), idempotencyKey: key });
      await settling.send('usr_bench/wlt_bench', async () => answered);
      await store.append({ ...entry('succeeded'), idempotencyKey: key });
      await idempotency.done(key, { status: 200, contentType: 'application/json', body: '{"token":"autopayout_x"}' });
      // The first 50 warm up (JIT, PGlite's caches).
      if (i >= 50) timings.push(performance.now() - started);
    }
    const sorted = percentiles(Float64Array.from(timings).sort());
    return { changes, p50_ms: sorted.percentile(50), p99_ms: sorted.percentile(99) };
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
};
