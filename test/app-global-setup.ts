// Global setup of the `app` test project (vite.config.ts): for each file that may run at once (a
// lane), one real console — the server (proxy) on an ephemeral port in front of the embedded sandbox
// with a fresh DATA_DIR — for the whole run, a second one whose audit log was changed behind its back
// (the /audit page's broken hash chain) and a third with four-eyes approval on.
// It lives outside src/app because the SPA must not import src/server (ESLint's layer rule).
import type { TestProject } from 'vitest/node';
import type { AuditStore } from '../src/server/audit/store';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { takeEmbeddedDbTemplate, useEmbeddedDbTemplate } from './embedded-db-template';
import type { AppLane } from './app/backend';
import { startConsole, TEST_PASSWORD } from './server-support';

/**
 * Appends a few entries to `audit` (embedded: one PostgreSQL session, no roles), then changes one of
 * them as someone with the database's files could — the append-only trigger lifted for the UPDATE —
 * so that its hash no longer matches. Returns the changed entry's id.
 */
const tamper = async (audit: AuditStore): Promise<string> => {
  const ids: string[] = [];
  for (let i = 1; i <= 5; i += 1) {
    const entry = await audit.append({
      staffEmail: 'editor@example.com',
      staffRole: 'editor',
      action: 'add_rule',
      userToken: 'usr_tampered',
      walletToken: 'wal_tampered',
      destinationToken: 'dest_tampered',
      percentage: 10 * i,
      ruleToken: null,
      idempotencyKey: null,
      masspayStatus: 200,
      outcome: 'succeeded',
      requestId: `req-tampered-${i}`,
    });
    ids.push(entry.id);
  }
  const victim = ids[2]!;
  await audit.sql.exec(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;
    UPDATE audit_log SET percentage = 100 WHERE id = ${Number(victim)};
    ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only;`);
  return victim;
};

/** One lane's consoles: the shared one, the tampered one and the one with approvals on. */
const startLane = async () => {
  const [running, tampered, approvals] = await Promise.all([
    startConsole(),
    startConsole(),
    // Four-eyes approval on (APPROVAL_POLICY=over:0): every change waits for a second person.
    startConsole({ changes: { approvals: { policy: { kind: 'over', points: 0 }, ttlHours: 1 } } }),
  ]);
  const lane: AppLane = {
    consoleUrl: running.baseUrl,
    sandboxUrl: running.embedded.baseUrl,
    sandboxKey: running.embedded.apiKey,
    tamperedConsoleUrl: tampered.baseUrl,
    tamperedEntryId: await tamper(tampered.audit),
    approvalConsoleUrl: approvals.baseUrl,
    approvalSandboxUrl: approvals.embedded.baseUrl,
    approvalSandboxKey: approvals.embedded.apiKey,
  };
  return { lane, close: () => Promise.all([running.close(), tampered.close(), approvals.close()]) };
};

export default async function setup(project: TestProject) {
  // The run's one template, shared with the node project's setup (test/embedded-db-template.ts).
  const template = await takeEmbeddedDbTemplate();
  useEmbeddedDbTemplate(template.dir);
  // A lane per file that may run at once: the files reset their sandbox between tests.
  const lanes = await Promise.all(Array.from({ length: project.config.maxWorkers }, startLane));
  project.provide(
    'appLanes',
    lanes.map(({ lane }) => lane),
  );
  const locks = await mkdtemp(join(tmpdir(), 'masspay-app-lanes-'));
  project.provide('appLaneLocks', locks);
  // The demo accounts (viewer@, editor@, admin@example.com) sign in with it, on every console.
  project.provide('staffPassword', TEST_PASSWORD);
  return async () => {
    await Promise.all(lanes.map(({ close }) => close()));
    await template.release();
    await rm(locks, { recursive: true, force: true });
  };
}
