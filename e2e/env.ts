/**
 * Where the e2e servers listen and the sandbox key they share. Imported by playwright.config.ts
 * (which starts the servers) and by the specs' helpers (which talk to them), so the two never drift.
 */
export const CONSOLE_PORT = 8181;
export const SANDBOX_PORT = 8191;
export const CONSOLE_URL = `http://127.0.0.1:${CONSOLE_PORT}`;
export const SANDBOX_URL = `http://127.0.0.1:${SANDBOX_PORT}`;
/** A fixed test key (the sandbox wants at least 16 characters); it guards nothing but this test sandbox. */
export const SANDBOX_API_KEY = 'e2e-sandbox-key-7f3a9c2b5d';

/** Debian's Chromium (Playwright's own download is unavailable here), with the flags this closed network needs. */
export const CHROMIUM = {
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
};

/** The staff roles of the console, one e2e account each (DESIGN §7). */
export const ROLES = ['viewer', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * The e2e staff accounts, written to the console's `STAFF_FILE` before it starts (e2e/make-staff-file.ts).
 * One password for all three; it guards nothing but this test console.
 */
export const STAFF_PASSWORD = 'e2e-staff-password-4c8d1e';
export const STAFF: Record<Role, { email: string; name: string; role: Role }> = {
  viewer: { email: 'viewer@example.com', name: 'Vera Viewer', role: 'viewer' },
  editor: { email: 'editor@example.com', name: 'Eddie Editor', role: 'editor' },
  admin: { email: 'admin@example.com', name: 'Olga Admin', role: 'admin' },
};

/** Where the setup project saves each role's signed-in browser state (git-ignored). */
export const AUTH_DIR = 'e2e/.auth';
export const storageStateOf = (role: Role) => `${AUTH_DIR}/${role}.json`;
