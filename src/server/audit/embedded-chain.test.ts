// The embedded store (PGlite, one process, no roles): its hash chain is the guarantee. Tampering is
// done the only way it can be — by opening the data dir directly while no server has it — and the
// check finds it, as a library, through the store (what /audit shows) and as `npm run audit:verify`.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditVerify } from '../../../test/audit-verify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from './chain';
import { openPglite } from './pglite';
import { openAuditStore, type NewAuditEntry } from './store';
import { seedConsoleDataDir } from '../../../test/embedded-db-template';

const entry = (i: number): NewAuditEntry => ({
  staffEmail: 'editor@example.com',
  staffRole: 'editor',
  action: i % 2 ? 'add_rule' : 'read_card',
  userToken: 'usr_ada',
  walletToken: 'wal_usd',
  destinationToken: i % 2 ? 'dst_quick' : null,
  percentage: i % 2 ? i + 0.25 : null,
  ruleToken: null,
  idempotencyKey: null,
  masspayStatus: 200,
  outcome: 'succeeded',
  requestId: `req-${i}`,
  reason: i % 3 ? null : `Ticket #${i} «ü»`,
});

let dataDir = '';
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'audit-embedded-chain-'));
  await seedConsoleDataDir(dataDir);
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe('the embedded log’s hash chain', () => {
  it('verifies, is refused while a server holds the data dir, and shows an entry changed behind the server’s back', async () => {
    const store = await openAuditStore({ dataDir });
    const appended = [];
    for (let i = 1; i <= 20; i += 1) appended.push(await store.append(entry(i)));
    expect(await store.chainStatus()).toMatchObject({ verified: true, checkedEntries: 20, headId: appended.at(-1)!.id });
    const busy = await auditVerify(dataDir);
    expect(busy.code).toBe(2);
    expect(busy.stderr).toContain(`in use by process ${process.pid}`);
    await store.close();

    const intact = await auditVerify(dataDir);
    expect(intact.code).toBe(0);
    expect(intact.stdout).toContain('INTACT: 20 entries checked');
    expect(intact.stdout).toMatch(/Last entry: \d+:[0-9a-f]{64}/);

    // Someone with the files, no server running: opens the database and changes an entry.
    const victim = appended[6]!;
    const raw = await openPglite(join(dataDir, 'audit-db'));
    await raw.exec(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;
      UPDATE audit_log SET staff_email = 'someone-else@example.com' WHERE id = ${Number(victim.id)};
      ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only;`);
    expect(await verifyAuditChain(raw)).toMatchObject({ verified: false, checkedEntries: 20, brokenAt: victim.id, brokenEntries: 1 });
    await raw.close();

    const broken = await auditVerify(dataDir);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(`BROKEN at entry ${victim.id}`);
    expect(broken.stdout).toContain('20 entries checked, 1 do not match');

    const reopened = await openAuditStore({ dataDir });
    try {
      expect(await reopened.chainStatus()).toMatchObject({ verified: false, brokenAt: victim.id, checkedEntries: 20 });
    } finally {
      await reopened.close();
    }
  }, 60_000);

  it('the script checks nothing it would have to create', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'audit-none-'));
    try {
      const none = await auditVerify(empty);
      expect(none.code).toBe(2);
      expect(none.stderr).toMatch(/There is no embedded audit log in/);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  }, 30_000);
});
