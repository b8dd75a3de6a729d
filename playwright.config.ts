import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';
import {
  APPROVAL_SPECS,
  CHROMIUM,
  CONSOLE_APPROVALS_PORT,
  CONSOLE_APPROVALS_URL,
  CONSOLE_B_PORT,
  CONSOLE_B_URL,
  CONSOLE_PORT,
  CONSOLE_URL,
  DATABASE_URL,
  POSTGRES_PORT,
  REPLICA_B_SPECS,
  SANDBOX_API_KEY,
  SANDBOX_PORT,
  SANDBOX_SEED_USERS,
  SANDBOX_URL,
  SESSION_SECRET,
  storageStateOf,
} from './e2e/env';

// Workers re-evaluate this file; the env vars keep one fresh data dir per run and server.
process.env.E2E_SANDBOX_DATA_DIR ??= mkdtempSync(path.join(os.tmpdir(), 'masspay-e2e-sandbox-'));
process.env.E2E_CONSOLE_DATA_DIR ??= mkdtempSync(path.join(os.tmpdir(), 'masspay-e2e-console-'));
process.env.E2E_CONSOLE_B_DATA_DIR ??= mkdtempSync(path.join(os.tmpdir(), 'masspay-e2e-console-b-'));
process.env.E2E_CONSOLE_APPROVALS_DATA_DIR ??= mkdtempSync(path.join(os.tmpdir(), 'masspay-e2e-console-approvals-'));
// With a real MASSPAY_BASE_URL the console has no demo accounts: e2e/make-staff-file.ts writes this
// file (the accounts of e2e/env.ts) just before the first console starts, in the webServer command below.
process.env.E2E_STAFF_FILE ??= path.join(mkdtempSync(path.join(os.tmpdir(), 'masspay-e2e-staff-')), 'staff.json');

// Specs reset the sandbox and inject faults: a server left over from another run (other data, other
// key, other faults) would make them lie, so reusing one is opt-in. A reused console must know the
// staff accounts and session secret of e2e/env.ts (started once by this config, it does).
const reuseExistingServer = process.env.E2E_REUSE_SERVERS === '1';

/** What both replicas share: the sandbox as their MassPay, the staff, the session key, the audit store. */
const replicaEnv = {
  STAFF_FILE: process.env.E2E_STAFF_FILE,
  HOST: '127.0.0.1',
  MASSPAY_BASE_URL: SANDBOX_URL,
  MASSPAY_API_KEY: SANDBOX_API_KEY,
  SESSION_SECRET,
  DATABASE_URL,
  UPSTREAM_TIMEOUT_MS: '3000',
  // How long after a write MassPay did not answer the console expects it may still land (e2e/faults.spec.ts).
  MASSPAY_SETTLE_MS: '4000',
  LOG_LEVEL: 'warn',
};

const browser = { ...devices['Desktop Chrome'], launchOptions: CHROMIUM };

export default defineConfig({
  testDir: 'e2e',
  forbidOnly: !!process.env.CI,
  retries: 0,
  // Specs share one sandbox and change its state (rules, faults): one test at a time.
  workers: 1,
  fullyParallel: false,
  reporter: 'list',
  use: { baseURL: CONSOLE_URL, trace: 'retain-on-failure' },
  projects: [
    {
      // Signs each role in once through replica A's /login and saves its browser state in e2e/.auth/
      // (git-ignored): failed sign-ins are rate-limited, successful ones are not, and a session
      // outlives the run.
      name: 'setup',
      testMatch: /auth\.setup\.ts$/,
      use: browser,
    },
    {
      // Replica A: every spec but replica B's half (e2e/replicas.spec.ts, which talks to both, included).
      name: 'chromium',
      dependencies: ['setup'],
      testIgnore: [REPLICA_B_SPECS, APPROVAL_SPECS],
      use: {
        ...browser,
        // Signed in as the editor by default (it may read and change rules); a spec that needs
        // another role, or nobody, says so with `test.use({ storageState: ... })` (e2e/support.ts).
        storageState: storageStateOf('editor'),
      },
    },
    {
      // Replica B: its half of the specs, with the sessions made on A (a cookie is per host, not per
      // port: B accepts it because both replicas share SESSION_SECRET).
      name: 'replica-b',
      dependencies: ['setup'],
      testMatch: REPLICA_B_SPECS,
      use: {
        ...browser,
        baseURL: CONSOLE_B_URL,
        storageState: storageStateOf('editor'),
      },
    },
    {
      // The console with APPROVAL_POLICY=over:0: the four-eyes spec, two staff members in two contexts.
      name: 'approvals',
      dependencies: ['setup'],
      testMatch: APPROVAL_SPECS,
      use: {
        ...browser,
        baseURL: CONSOLE_APPROVALS_URL,
        storageState: storageStateOf('editor'),
      },
    },
  ],
  // Started one after the other, in this order, each once it is ready.
  webServer: [
    {
      // The MassPay sandbox alone, so that specs can reset it and inject faults through its admin routes.
      // First to start, it is the one that builds (scripts/launch.js) when build/ or dist/ is stale.
      // Every route of it needs the key, so readiness is the open port. Lenient: it enforces only what
      // MassPay documents (the currency rule), so a cap, a duplicate destination or a repeated
      // Idempotency-Key refused in a spec was refused by the console's own checks.
      command: 'npm run sandbox',
      port: SANDBOX_PORT,
      env: {
        SANDBOX_POLICY: 'lenient',
        SANDBOX_PORT: String(SANDBOX_PORT),
        SANDBOX_HOST: '127.0.0.1',
        SANDBOX_API_KEY,
        SANDBOX_SEED_USERS: String(SANDBOX_SEED_USERS),
        DATA_DIR: process.env.E2E_SANDBOX_DATA_DIR,
        LOG_LEVEL: 'warn',
      },
      reuseExistingServer,
      timeout: 60_000,
      gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
      stdout: 'pipe',
    },
    {
      // The replicas' shared audit store: a throwaway PostgreSQL (initdb, pg_ctl; `.ci/run` installs
      // them), removed when this process gets SIGTERM. Readiness is its port; the consoles wait for
      // the database itself (e2e/wait-for.ts).
      command: 'npx tsx scripts/postgres.ts',
      port: POSTGRES_PORT,
      env: { POSTGRES_PORT: String(POSTGRES_PORT) },
      reuseExistingServer,
      timeout: 60_000,
      gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
      stdout: 'pipe',
    },
    {
      // Replica A, proxying to that sandbox as it would to MassPay, from the build (scripts/launch.js).
      // It writes the staff file first.
      command: `npx tsx e2e/make-staff-file.ts && npx tsx e2e/wait-for.ts --pg ${DATABASE_URL} && npm start`,
      url: `${CONSOLE_URL}/healthz`,
      env: { ...replicaEnv, PORT: String(CONSOLE_PORT), DATA_DIR: process.env.E2E_CONSOLE_DATA_DIR },
      reuseExistingServer,
      timeout: 120_000,
      gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
      stdout: 'pipe',
    },
    {
      // Replica B: only once A answers (the launcher's lock keeps two builds apart in any case).
      command: `npx tsx e2e/wait-for.ts --http ${CONSOLE_URL}/healthz && npm start`,
      url: `${CONSOLE_B_URL}/healthz`,
      env: { ...replicaEnv, PORT: String(CONSOLE_B_PORT), DATA_DIR: process.env.E2E_CONSOLE_B_DATA_DIR },
      reuseExistingServer,
      timeout: 180_000,
      gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
      stdout: 'pipe',
    },
    {
      // The console with four-eyes approval on; like B, it starts once A answers (A builds when needed).
      command: `npx tsx e2e/wait-for.ts --http ${CONSOLE_URL}/healthz && npm start`,
      url: `${CONSOLE_APPROVALS_URL}/healthz`,
      env: { ...replicaEnv, APPROVAL_POLICY: 'over:0', PORT: String(CONSOLE_APPROVALS_PORT), DATA_DIR: process.env.E2E_CONSOLE_APPROVALS_DATA_DIR },
      reuseExistingServer,
      timeout: 180_000,
      gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
      stdout: 'pipe',
    },
  ],
});
