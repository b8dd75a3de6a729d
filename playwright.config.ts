import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';
import { CONSOLE_PORT, CONSOLE_URL, SANDBOX_API_KEY, SANDBOX_PORT, SANDBOX_URL, CHROMIUM } from './e2e/env';

// Workers re-evaluate this file; the env vars keep one fresh data dir per run and server.
process.env.E2E_SANDBOX_DATA_DIR ??= mkdtempSync(path.join(os.tmpdir(), 'masspay-e2e-sandbox-'));
process.env.E2E_CONSOLE_DATA_DIR ??= mkdtempSync(path.join(os.tmpdir(), 'masspay-e2e-console-'));

// Specs reset the sandbox and inject faults: a server left over from another run (other data, other
// key, other faults) would make them lie, so reusing one is opt-in.
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
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: CHROMIUM,
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
      command: 'npm start',
      url: `${CONSOLE_URL}/healthz`,
      env: {
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
