// Global setup of the `app` test project (vite.config.ts): one real console — the server (proxy) on
// an ephemeral port in front of the embedded sandbox with a fresh DATA_DIR — for the whole run.
// It lives outside src/app because the SPA must not import src/server (ESLint's layer rule).
import type { TestProject } from 'vitest/node';
import { startConsole, TEST_PASSWORD } from '../src/server/test-support';

export default async function setup(project: TestProject) {
  const running = await startConsole();
  project.provide('consoleUrl', running.baseUrl);
  project.provide('sandboxUrl', running.embedded.baseUrl);
  project.provide('sandboxKey', running.embedded.apiKey);
  // The demo accounts (viewer@, editor@, admin@example.com) sign in with it.
  project.provide('staffPassword', TEST_PASSWORD);
  return () => running.close();
}
