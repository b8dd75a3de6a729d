import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';
import { CONSOLE_PORT, CONSOLE_URL, SANDBOX_API_KEY, SANDBOX_PORT, SANDBOX_URL, CHROMIUM, storageStateOf } from './e2e/env';

// Workers re-evaluate this file; the env vars keep one fresh data dir per run and server.
process.env.E2E_SANDBOX_DATA_DIR ??= mkdtempSync(path.join(os.tmpdir(), 'masspay-e2e-sandbox-'));
process.env.E2E_CONSOLE_DATA_DIR ??= mkdtempSync(path.join(os.tmpdir(), 'masspay-e2e-console-'));
// With a real MASSPAY_BASE_URL the console has no demo accounts: e2e/make-staff-file.ts writes this
// file (the accounts of e2e/env.ts) just before the console starts, in the webServer command below.
process.env.E2E_STAFF_FILE ??= path.join(mkdtempSync(path.join(os.tmpdir(), 'masspay-e2e-staff-')), 'staff.json');

// Specs reset the sandbox and inject faults: a server left over from another run (other data, other
// key, other faults) would make them lie, so reusing one is opt-in. A reused console must know the
// staff accounts of e2e/env.ts (started once by this config, it does).
const reuseExistingServer = process.env.E2E_REUSE_SERVERS === '1';

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
      // Signs each role in once through /login and saves its browser state in e2e/.auth/ (git-ignored):
      // failed sign-ins are rate-limited, successful ones are not, and a session outlives the run.
      name: 'setup',
      testMatch: /auth\.setup\.ts$/,
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: CHROMIUM,
      },
    },
    {
      name: 'chromium',
      dependencies: ['setup'],
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: CHROMIUM,
        // Signed in as the editor by default (it may read and change rules); a spec that needs
        // another role, or nobody, says so with `test.use({ storageState: ... })` (e2e/support.ts).
        storageState: storageStateOf('editor'),
      },
    },
  ],
  webServer: [
    {
      // The MassPay sandbox alone, so that specs can reset it and inject faults through its admin routes.
      // Every route of it needs the key, so readiness is the open port.
      command: 'npm run sandbox',
      port: SANDBOX_PORT,
      env: {
        SANDBOX_PORT: String(SANDBOX_PORT),
        SANDBOX_HOST: '127.0.0.1',
        SANDBOX_API_KEY,
        DATA_DIR: process.env.E2E_SANDBOX_DATA_DIR,
        LOG_LEVEL: 'warn',
      },
      reuseExistingServer,
      timeout: 60_000,
      gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
      stdout: 'pipe',
    },
    {
      // The console, proxying to that sandbox as it would to MassPay.
      command: 'npx tsx e2e/make-staff-file.ts && npm start',
      url: `${CONSOLE_URL}/healthz`,
      env: {
        STAFF_FILE: process.env.E2E_STAFF_FILE,
        PORT: String(CONSOLE_PORT),
        HOST: '127.0.0.1',
        MASSPAY_BASE_URL: SANDBOX_URL,
        MASSPAY_API_KEY: SANDBOX_API_KEY,
        DATA_DIR: process.env.E2E_CONSOLE_DATA_DIR,
        UPSTREAM_TIMEOUT_MS: '3000',
        LOG_LEVEL: 'warn',
      },
      reuseExistingServer,
      timeout: 120_000, // the first start may run vite build
      gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
      stdout: 'pipe',
    },
  ],
});
