import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';
import {
  APPROVAL_SPECS,
  E2E_CHROMIUM,
  CONSOLE_2_PORT,
  CONSOLE_2_URL,
  CONSOLE_APPROVALS_PORT,
  CONSOLE_APPROVALS_URL,
  CONSOLE_B_PORT,
  CONSOLE_B_URL,
  CONSOLE_PORT,
  CONSOLE_URL,
  DATABASE_2_URL,
  DATABASE_URL,
  POSTGRES_PORT,
  SANDBOX_2_PORT,
  SANDBOX_2_URL,
  SANDBOX_API_KEY,
  SANDBOX_PORT,
  SANDBOX_SEED_USERS,
  SANDBOX_URL,
  SESSION_SECRET,
  STACK_2_SPECS,
  storageStateOf,
} from './e2e/env';

// Workers re-evaluate this file; the env vars keep one fresh data dir per run and server.
process.env.E2E_SANDBOX_DATA_DIR ??= mkdtempSync(path.join(os.tmpdir(), 'masspay-e2e-sandbox-'));
process.env.E2E_SANDBOX_2_DATA_DIR ??= mkdtempSync(path.join(os.tmpdir(), 'masspay-e2e-sandbox-2-'));
process.env.E2E_CONSOLE_DATA_DIR ??= mkdtempSync(path.join(os.tmpdir(), 'masspay-e2e-console-'));
process.env.E2E_CONSOLE_B_DATA_DIR ??= mkdtempSync(path.join(os.tmpdir(), 'masspay-e2e-console-b-'));
process.env.E2E_CONSOLE_2_DATA_DIR ??= mkdtempSync(path.join(os.tmpdir(), 'masspay-e2e-console-2-'));
process.env.E2E_CONSOLE_APPROVALS_DATA_DIR ??= mkdtempSync(path.join(os.tmpdir(), 'masspay-e2e-console-approvals-'));
// With a real MASSPAY_BASE_URL the console has no demo accounts: e2e/make-staff-file.ts writes this
// file (the accounts of e2e/env.ts) just before the first console starts, in the webServer command below.
process.env.E2E_STAFF_FILE ??= path.join(mkdtempSync(path.join(os.tmpdir(), 'masspay-e2e-staff-')), 'staff.json');

// Specs reset the sandbox and inject faults: a server left over from another run (other data, other
// key, other faults) would make them lie, so reusing one is opt-in. A reused console must know the
// staff accounts and session secret of e2e/env.ts (started once by this config, it does).
const reuseExistingServer = process.env.E2E_REUSE_SERVERS === '1';

/**
 * The run's servers all start at once, and Playwright waits only for the last entry, which waits for
 * every one of them (e2e/wait-for.ts). Playwright starts its web servers one after the other, each
 * once the one before answers: ~30 s with a core mostly idle. Each server waits for what it needs
 * itself (its database, the staff file; the launcher's lock keeps builds apart). Reusing servers, each
 * entry keeps its own check, which is how Playwright tells that one is running already.
 */
const readiness = <Check extends { url: string } | { port: number }>(check: Check) => (reuseExistingServer ? check : {});

/** What every console shares: the staff, the session key, the sandbox's key, timeouts. */
const consoleEnv = {
  STAFF_FILE: process.env.E2E_STAFF_FILE,
  HOST: '127.0.0.1',
  MASSPAY_API_KEY: SANDBOX_API_KEY,
  SESSION_SECRET,
  UPSTREAM_TIMEOUT_MS: '3000',
  // How long after a write MassPay did not answer the console expects it may still land (e2e/faults.spec.ts).
  MASSPAY_SETTLE_MS: '4000',
  LOG_LEVEL: 'warn',
};

/** What the consoles of one stack share besides: the sandbox as their MassPay, the audit store. */
const stack1 = { MASSPAY_BASE_URL: SANDBOX_URL, DATABASE_URL };
const stack2 = { MASSPAY_BASE_URL: SANDBOX_2_URL, DATABASE_URL: DATABASE_2_URL };

const browser = { ...devices['Desktop Chrome'], launchOptions: E2E_CHROMIUM };

/** The MassPay sandbox of a stack alone, so that specs can reset it and inject faults through its admin routes. */
const sandbox = (port: number, dataDir: string) => ({
  // Every route of it needs the key, so readiness is the open port. Lenient: it enforces only what
  // MassPay documents (the currency rule), so a cap, a duplicate destination or a repeated
  // Idempotency-Key refused in a spec was refused by the console's own checks.
  command: 'npm run sandbox',
  ...readiness({ port }),
  env: {
    SANDBOX_POLICY: 'lenient',
    SANDBOX_PORT: String(port),
    SANDBOX_HOST: '127.0.0.1',
    SANDBOX_API_KEY,
    SANDBOX_SEED_USERS: String(SANDBOX_SEED_USERS),
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
  },
  reuseExistingServer,
  timeout: 60_000,
  gracefulShutdown: { signal: 'SIGTERM' as const, timeout: 5_000 },
  stdout: 'pipe' as const,
});

/** A console beside replica A: it starts once A's command has written the staff file and its database takes queries. */
const consoleBesideA = (port: number, url: string, env: Record<string, string>) => ({
  command: `npx tsx e2e/wait-for.ts --file ${process.env.E2E_STAFF_FILE} --pg ${env.DATABASE_URL} && npm start`,
  ...readiness({ url: `${url}/healthz` }),
  env: { ...consoleEnv, ...env, PORT: String(port) },
  reuseExistingServer,
  timeout: 180_000,
  gracefulShutdown: { signal: 'SIGTERM' as const, timeout: 5_000 },
  stdout: 'pipe' as const,
});

export default defineConfig({
  testDir: 'e2e',
  forbidOnly: !!process.env.CI,
  retries: 0,
  // Specs reset their stack's sandbox and inject faults into it: one spec file at a time per stack
  // (each project below is on one stack: workers 1), the two stacks side by side.
  workers: 2,
  fullyParallel: false,
  reporter: 'list',
  // The longest journeys (a bulk job applied by keyboard with four axe passes) take ~20 s alone and
  // up to ~30 s while the other stack runs: twice that before a test counts as hung.
  timeout: 60_000,
  // No trace by default: recording one for every test (to keep a failing one's) took a third more
  // CPU, which two stacks on two cores do not have. `npx playwright test --trace retain-on-failure`
  // records them when a failure needs one.
  use: { baseURL: CONSOLE_URL, trace: 'off' },
  projects: [
    {
      // Signs each role in once through replica A's /login and saves its browser state in e2e/.auth/
      // (git-ignored): failed sign-ins are rate-limited, successful ones are not, and a session
      // outlives the run. Every console of the run shares the session secret, so all accept them.
      name: 'setup',
      testMatch: /auth\.setup\.ts$/,
      use: browser,
    },
    {
      // Stack 1, replica A: every spec but the second stack's (e2e/replicas.spec.ts, which talks to A and B, included).
      name: 'stack-1',
      dependencies: ['setup'],
      testIgnore: [STACK_2_SPECS, APPROVAL_SPECS],
      workers: 1,
      use: {
        ...browser,
        // Signed in as the editor by default (it may read and change rules); a spec that needs
        // another role, or nobody, says so with `test.use({ storageState: ... })` (e2e/support.ts).
        storageState: storageStateOf('editor'),
      },
      // The sandbox of the project's stack, for the specs' own calls to it (e2e/support.ts).
      metadata: { sandboxURL: SANDBOX_URL },
    },
    {
      // Stack 2: console 2's specs, then the four-eyes spec on the console with APPROVAL_POLICY=over:0
      // (its own `test.use({ baseURL })`), one at a time, since they share that stack's sandbox.
      name: 'stack-2',
      dependencies: ['setup'],
      testMatch: [STACK_2_SPECS, APPROVAL_SPECS],
      workers: 1,
      use: {
        ...browser,
        baseURL: CONSOLE_2_URL,
        storageState: storageStateOf('editor'),
      },
      metadata: { sandboxURL: SANDBOX_2_URL },
    },
  ],
  // Started all at once; the last entry is ready when all are (`readiness`). When build/ or dist/ is
  // stale, the first launcher to take the build lock builds (scripts/launch.js), the others wait.
  webServer: [
    sandbox(SANDBOX_PORT, process.env.E2E_SANDBOX_DATA_DIR),
    sandbox(SANDBOX_2_PORT, process.env.E2E_SANDBOX_2_DATA_DIR),
    {
      // The consoles' audit stores, one database per stack: a throwaway PostgreSQL (initdb, pg_ctl;
      // `.ci/run` installs them), removed when this process gets SIGTERM. Readiness is its port; the
      // consoles wait for their database itself (e2e/wait-for.ts).
      command: 'npx tsx scripts/postgres.ts',
      ...readiness({ port: POSTGRES_PORT }),
      env: { POSTGRES_PORT: String(POSTGRES_PORT), POSTGRES_DATABASES: [DATABASE_URL, DATABASE_2_URL].map((url) => new URL(url).pathname.slice(1)).join(',') },
      reuseExistingServer,
      timeout: 60_000,
      gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
      stdout: 'pipe',
    },
    {
      // Replica A, proxying to stack 1's sandbox as it would to MassPay, from the build (scripts/launch.js).
      // It writes the staff file first.
      command: `npx tsx e2e/make-staff-file.ts && npx tsx e2e/wait-for.ts --pg ${DATABASE_URL} && npm start`,
      ...readiness({ url: `${CONSOLE_URL}/healthz` }),
      env: { ...consoleEnv, ...stack1, PORT: String(CONSOLE_PORT), DATA_DIR: process.env.E2E_CONSOLE_DATA_DIR },
      reuseExistingServer,
      timeout: 120_000,
      gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
      stdout: 'pipe',
    },
    // Replica B, beside A on stack 1 (e2e/replicas.spec.ts).
    consoleBesideA(CONSOLE_B_PORT, CONSOLE_B_URL, { ...stack1, DATA_DIR: process.env.E2E_CONSOLE_B_DATA_DIR }),
    consoleBesideA(CONSOLE_2_PORT, CONSOLE_2_URL, { ...stack2, DATA_DIR: process.env.E2E_CONSOLE_2_DATA_DIR }),
    consoleBesideA(CONSOLE_APPROVALS_PORT, CONSOLE_APPROVALS_URL, {
      ...stack2,
      APPROVAL_POLICY: 'over:0',
      DATA_DIR: process.env.E2E_CONSOLE_APPROVALS_DATA_DIR,
    }),
    {
      // Every server above answers: the sandboxes' ports (each of their routes needs the key), the consoles' /healthz.
      command: [
        'npx tsx e2e/wait-for.ts',
        ...[SANDBOX_URL, SANDBOX_2_URL].map((url) => `--port ${url}`),
        ...[CONSOLE_URL, CONSOLE_B_URL, CONSOLE_2_URL, CONSOLE_APPROVALS_URL].map((url) => `--http ${url}/healthz`),
        '--stay',
      ].join(' '),
      wait: { stdout: /e2e servers ready/ },
      // A first build (~30 s when build/ is stale), then every server's start on a loaded machine.
      timeout: 240_000,
      gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
    },
  ],
});
