import { existsSync } from 'node:fs';

/**
 * Where the e2e servers listen and the sandbox key they share. Imported by playwright.config.ts
 * (which starts the servers) and by the specs' helpers (which talk to them), so the two never drift.
 */
/** `E2E_PORT_OFFSET` moves every port (e.g. 100), so that two runs on one machine do not meet. */
const OFFSET = Number(process.env.E2E_PORT_OFFSET ?? 0);
export const CONSOLE_PORT = 8181 + OFFSET;
export const SANDBOX_PORT = 8191 + OFFSET;
export const CONSOLE_URL = `http://127.0.0.1:${CONSOLE_PORT}`;
export const SANDBOX_URL = `http://127.0.0.1:${SANDBOX_PORT}`;

/**
 * Two replicas of the console (issue 7): A (above) and B, separate processes and data dirs, sharing the
 * sandbox, the staff file, one PostgreSQL audit store and the session secret. The setup project signs
 * in on A; cookies are per host, not per port, so the same sessions reach B and every other console.
 */
export const CONSOLE_B_PORT = 8182 + OFFSET;
export const CONSOLE_B_URL = `http://127.0.0.1:${CONSOLE_B_PORT}`;
/** The throwaway PostgreSQL of the run (scripts/postgres.ts), the consoles' audit stores. */
export const POSTGRES_PORT = 8193 + OFFSET;
const databaseUrl = (name: string) => `postgres://postgres@127.0.0.1:${POSTGRES_PORT}/${name}`;
export const DATABASE_URL = databaseUrl('masspay_console');
/** The consoles' shared session key (the console wants at least 32 characters); it guards nothing but this run. */
export const SESSION_SECRET = 'e2e-session-secret-shared-by-both-replicas-5b1e';

/**
 * The second stack: a sandbox and a database of its own, so that its specs run beside replica A's.
 * Specs reset the sandbox and inject faults into it, so one stack runs one spec file at a time; two
 * stacks halve the suite's time. Its consoles share the staff file and the session secret with A (the
 * sessions made on A are accepted here too): console 2 runs the `stack-2` project, the console with
 * APPROVAL_POLICY=over:0 (issue 14: every rule change waits for a second person) runs the four-eyes
 * spec, two staff members in two contexts.
 */
export const SANDBOX_2_PORT = 8192 + OFFSET;
export const SANDBOX_2_URL = `http://127.0.0.1:${SANDBOX_2_PORT}`;
export const DATABASE_2_URL = databaseUrl('masspay_console_2');
export const CONSOLE_2_PORT = 8184 + OFFSET;
export const CONSOLE_2_URL = `http://127.0.0.1:${CONSOLE_2_PORT}`;
export const CONSOLE_APPROVALS_PORT = 8183 + OFFSET;
export const CONSOLE_APPROVALS_URL = `http://127.0.0.1:${CONSOLE_APPROVALS_PORT}`;
export const APPROVAL_SPECS = /\/approvals\.spec\.ts$/;
/**
 * The spec files console 2 runs (with the approvals spec, on the second stack); A runs the others
 * (`e2e/replicas.spec.ts`, which talks to A and B, among them). Chosen so that each stack takes about
 * half the time: here ~5 minutes each.
 */
export const STACK_2_SPECS = /\/(autopay|roles|axe)\.spec\.ts$/;
/** Synthetic payees the e2e sandbox adds beside the named seed (`syn-000001` …): a bulk file's cohort (e2e/bulk.spec.ts). */
export const SANDBOX_SEED_USERS = 12;
/** A fixed test key (the sandbox wants at least 16 characters); it guards nothing but this test sandbox. */
export const SANDBOX_API_KEY = 'e2e-sandbox-key-7f3a9c2b5d';

/**
 * Debian's Chromium (Playwright's own download is unavailable here), with the flags this closed network
 * needs: the full browser, as a staff member's (the benches and the size report measure in it).
 */
export const CHROMIUM = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

const HEADLESS_SHELL = '/usr/bin/chromium-headless-shell';

/**
 * The browser of the e2e suite: Debian's Chromium headless shell (package `chromium-headless-shell`,
 * the same Chromium as /usr/bin/chromium, built as the headless-only shell Playwright itself uses for
 * headless runs) when installed, else /usr/bin/chromium. It takes about half the CPU of the full
 * browser, which lets two stacks run side by side on two cores (playwright.config.ts). `E2E_CHROMIUM`
 * picks another binary, e.g. /usr/bin/chromium to watch a run with `--headed`.
 */
export const E2E_CHROMIUM = {
  ...CHROMIUM,
  executablePath: process.env.E2E_CHROMIUM ?? (existsSync(HEADLESS_SHELL) ? HEADLESS_SHELL : CHROMIUM.executablePath),
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
