import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { configDefaults, defineConfig } from 'vitest/config';
import { CSP_NONCE_PLACEHOLDER } from './src/api/csp.ts';

// Same-origin in dev too: the SPA's server-side routes go to the local server (npm start).
const backend = 'http://127.0.0.1:8080';

/**
 * react-router's package exports name only its development build (with its dev-only warnings and
 * checks), in production too: a known issue (remix-run/react-router#14102). Builds take the production
 * build it ships beside it; the dev server and the tests keep the development one.
 */
const reactRouterProduction = fileURLToPath(new URL('./node_modules/react-router/dist/production/index.mjs', import.meta.url));

/** The SPA's `.test.ts` files that need the app project after all: Web Storage, or the console itself. */
const APP_TESTS_NEEDING_A_BROWSER = [
  'src/app/lib/api-client.test.ts',
  'src/app/features/users/recent-users.test.ts',
  'src/app/features/autopay/add-rule-draft.test.ts',
];

export default defineConfig(({ command }) => {
  // A build is the production build, whoever starts it: Vite takes NODE_ENV from the environment over
  // its mode, and the launcher may build under Vitest (NODE_ENV=test), which put React's development
  // build in dist/ for npm start to serve (an entry of 731 KB against 463; StrictMode's double effects).
  if (command === 'build') process.env.NODE_ENV = 'production';
  return {
    plugins: [react()],
    resolve: command === 'build' ? { alias: [{ find: /^react-router$/, replacement: reactRouterProduction }] } : {},
    build: {
      outDir: 'dist',
      manifest: true,
      // Schemas and icons are built by calls at module level; marking them pure lets the bundler drop
      // the ones a page does not use (the contract in src/api serves three layers).
      rolldownOptions: {
        treeshake: { manualPureFunctions: ['z', 'createSvgIcon'] },
        // Everything the first page needs in one chunk: lazy pages and dialogs otherwise make the
        // bundler split shared modules into many small chunks, each paying its own gzip overhead.
        output: { codeSplitting: { groups: [{ name: 'initial', tags: ['$initial'] }] } },
      },
    },
    // The server swaps the placeholder for a fresh nonce on every page (src/server/spa.ts).
    html: { cspNonce: CSP_NONCE_PLACEHOLDER },
    server: {
      proxy: {
        '/api': backend,
        '/auth': backend,
        '/healthz': backend,
        '/readyz': backend,
      },
    },
    test: {
      exclude: [...configDefaults.exclude, 'e2e/**'],
      // Two test files at once even on a 2-core machine (Vitest's default there is one): most files wait
      // on servers, child processes and databases rather than compute (673 s instead of 853 s when it
      // came in). Three at once was slower (624 s against ~520): the run is bound by its CPU.
      maxWorkers: 2,
      projects: [
        {
          extends: true,
          test: {
            name: 'node',
            sequence: { groupOrder: 0 },
            environment: 'node',
            include: ['src/{api,server,sandbox}/**/*.test.ts', 'scripts/**/*.test.ts'],
            // A real PostgreSQL for the audit store's tests (initdb/pg_ctl; Debian's postgresql).
            globalSetup: ['test/node-global-setup.ts'],
            testTimeout: 20_000,
            // Suites start real servers: an embedded PostgreSQL's first open (initdb) alone takes seconds.
            hookTimeout: 30_000,
          },
        },
        {
          // The SPA's logic (schemas, URL views, rows, errors, the query client's policy): plain
          // functions, in Node beside the server's files. In the app project each file paid a jsdom, a
          // lane and a sign-in per test (~2 s a file, 12 files) for nothing it used.
          extends: true,
          test: {
            name: 'app-logic',
            sequence: { groupOrder: 0 },
            environment: 'node',
            include: ['src/app/**/*.test.ts'],
            exclude: [...configDefaults.exclude, ...APP_TESTS_NEEDING_A_BROWSER],
          },
        },
        {
          // The SPA's components in jsdom, talking over HTTP to the real server in front of the real
          // sandbox. A file resets its sandbox between tests, so each file that runs claims consoles of
          // its own (a lane, started by the global setup: test/app/backend.ts's `claimLane()`).
          extends: true,
          test: {
            name: 'app',
            environment: 'jsdom',
            include: ['src/app/**/*.test.tsx', ...APP_TESTS_NEEDING_A_BROWSER],
            setupFiles: ['test/app/setup.ts'],
            globalSetup: ['test/app-global-setup.ts'],
            // After the node files: beside them, both cores are already busy (the run is bound by its
            // CPU); on their own, two app files at once use the second core one file leaves idle.
            sequence: { groupOrder: 1 },
            testTimeout: 20_000,
          },
        },
      ],
    },
  };
});
