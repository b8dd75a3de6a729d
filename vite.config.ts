import react from '@vitejs/plugin-react';
import { configDefaults, defineConfig } from 'vitest/config';
import { CSP_NONCE_PLACEHOLDER } from './src/api/csp.ts';

// Same-origin in dev too: the SPA's server-side routes go to the local server (npm start).
const backend = 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    manifest: true,
    // Schemas and icons are built by calls at module level; marking them pure lets the bundler drop
    // the ones a page does not use (the contract in src/api serves three layers).
    rolldownOptions: { treeshake: { manualPureFunctions: ['z', 'createSvgIcon'] } },
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
    environment: 'node',
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'scripts/**/*.test.ts'],
    exclude: [...configDefaults.exclude, 'e2e/**'],
    testTimeout: 20_000,
  },
});
