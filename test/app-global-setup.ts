// Global setup of the `app` test project (vite.config.ts): one real console — the server (proxy) on
// an ephemeral port in front of the embedded sandbox with a fresh DATA_DIR — for the whole run, and a
// second one whose audit log was changed behind its back (the /audit page's broken hash chain).
// It lives outside src/app because the SPA must not import src/server (ESLint's layer rule).
import type { TestProject } from 'vitest/node';
import type { AuditStore } from '../src/server/audit/store';
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createEmbeddedDbTemplate, useEmbeddedDbTemplate } from './embedded-db-template';
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

export default async function setup(project: TestProject) {
  // One initdb for the three consoles (test/embedded-db-template.ts).
  const template = await createEmbeddedDbTemplate();
  useEmbeddedDbTemplate(template);
  const [running, tampered, approvals] = await Promise.all([
    startConsole(),
    startConsole(),
    // Four-eyes approval on (APPROVAL_POLICY=over:0): every change waits for a second person.
    startConsole({ changes: { approvals: { policy: { kind: 'over', points: 0 }, ttlHours: 1 } } }),
  ]);
  project.provide('consoleUrl', running.baseUrl);
  project.provide('sandboxUrl', running.embedded.baseUrl);
  project.provide('sandboxKey', running.embedded.apiKey);
  // The demo accounts (viewer@, editor@, admin@example.com) sign in with it, on both consoles.
  project.provide('staffPassword', TEST_PASSWORD);
  project.provide('tamperedConsoleUrl', tampered.baseUrl);
  project.provide('tamperedEntryId', await tamper(tampered.audit));
  project.provide('approvalConsoleUrl', approvals.baseUrl);
  project.provide('approvalSandboxUrl', approvals.embedded.baseUrl);
  project.provide('approvalSandboxKey', approvals.embedded.apiKey);
  return async () => {
    await Promise.all([running.close(), tampered.close(), approvals.close()]);
    await rm(dirname(template), { recursive: true, force: true });
  };
}
