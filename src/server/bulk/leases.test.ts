// The claim loop's lease on a real embedded database: one replica's claim excludes another's until the
// lease lapses; closing gives the lease back and aborts the work; a replica that finds its lease taken
// over stops its work.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openAuditStore, type AuditStore } from '../audit/store';
import { createJobLeases } from './leases';
import { createBulkRunner } from './runner';
import { until } from '../../../test/bulk-support';
import { seedConsoleDataDir } from '../../../test/embedded-db-template';

let dir = '';
let audit: AuditStore;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bulk-leases-'));
  await seedConsoleDataDir(dir);
  audit = await openAuditStore({ dataDir: dir });
}, 60_000);
afterAll(async () => {
  await audit?.close();
  await rm(dir, { recursive: true, force: true });
});

const runningJob = async () => {
  const id = randomUUID();
  await audit.sql.query(
    `INSERT INTO bulk_jobs (id, file_name, requested_by, requested_by_name, status, row_count, started_by) VALUES ($1, 'f.csv', 'e', 'E', 'running', 0, 'e')`,
    [id],
  );
  return id;
};
const ownerOf = async (id: string) =>
  (await audit.sql.query<{ owner: string | null }>('SELECT lease_owner AS owner FROM bulk_jobs WHERE id = $1', [id]))[0]!.owner;

it('one claim at a time: another replica gets the job only once the lease has lapsed', async () => {
  const id = await runningJob();
  const one = createJobLeases(audit.sql, { owner: 'one', leaseMs: 2_000 });
  const two = createJobLeases(audit.sql, { owner: 'two', leaseMs: 2_000 });
  expect(await one.claim()).toEqual({ id, status: 'running' });
  expect(await two.claim()).toBeUndefined();
  expect(await one.renew(id)).toBe('running');
  await new Promise((resolve) => setTimeout(resolve, 2_100));
  expect(await two.claim()).toEqual({ id, status: 'running' });
  expect(await one.renew(id)).toBeUndefined();
  await two.release(id);
  await audit.sql.query(`UPDATE bulk_jobs SET status = 'completed' WHERE id = $1`, [id]);
});

it('closing the runner aborts the work between rows and gives the lease back; a lease taken over stops the work', async () => {
  const id = await runningJob();
  const signals: AbortSignal[] = [];
  const leases = createJobLeases(audit.sql, { owner: 'closing', leaseMs: 300 });
  const runner = createBulkRunner({
    leases,
    log: Fastify({ logger: false }).log,
    pollMs: 50,
    leaseMs: 300,
    maxJobs: 1,
    takeOverAtStart: false,
    resolve: async () => {},
    // Work that goes on until it is told to stop.
    apply: (_jobId, signal) => {
      signals.push(signal);
      return new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
    },
    complete: async () => false,
    fail: async () => false,
  });
  await runner.start();
  await until('the job to be claimed', () => signals.length === 1);
  expect(await ownerOf(id)).toBe('closing');
  // Another replica takes the job over (as if this one had stalled past its lease): the renewal sees it and stops the work.
  await audit.sql.query(`UPDATE bulk_jobs SET lease_owner = 'other', lease_until = now() + interval '1 minute' WHERE id = $1`, [id]);
  await until('the work to stop', () => signals[0]!.aborted);
  expect(await ownerOf(id)).toBe('other');

  await audit.sql.query(`UPDATE bulk_jobs SET lease_owner = NULL, lease_until = NULL WHERE id = $1`, [id]);
  await until('the job to be claimed again', () => signals.length === 2);
  await runner.stop();
  expect(signals[1]!.aborted).toBe(true);
  expect(await ownerOf(id)).toBeNull();
});
