import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Layer rule of DESIGN §2: imports only point down to src/api.
const zone = (target, from, message) => ({ target, from, message });
const layerZones = [
  zone('./src/app', './src/server', 'The SPA talks to the server over HTTP only.'),
  zone('./src/app', './src/sandbox', 'The SPA never touches the sandbox.'),
  zone('./src/server', './src/app', 'The server serves the built SPA; it does not import it.'),
  zone('./src/sandbox', './src/app', 'The sandbox is independent of the SPA.'),
  zone('./src/sandbox', './src/server', 'The sandbox is independent of the proxy.'),
  zone('./src/api', ['./src/app', './src/server', './src/sandbox'], 'src/api is the shared contract; it imports no layer.'),
];
const serverToSandbox = zone('./src/server', './src/sandbox', 'Only src/server/embedded-sandbox.ts may import the sandbox.');
// Test helpers live in test/, outside the layers: a test may use them, production code never does.
const noTestHelpers = zone(['./src/api', './src/app', './src/server', './src/sandbox'], './test', 'Production code does not import the test helpers in test/.');
const restrictedPaths = (zones) => ['error', { basePath: import.meta.dirname, zones }];

export default defineConfig(
  { ignores: ['dist/', 'build/', 'node_modules/', 'test-results/', 'playwright-report/', 'data/', 'bench-results/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    ignores: ['src/app/**', 'test/app/**'],
    languageOptions: { globals: globals.node },
  },
  {
    rules: {
      // Allow `{ secret: _, ...rest }` omission and `_`-named unused parameters.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true, argsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests read JSON answers they then assert on field by field; typing each one adds nothing.
    files: ['**/*.test.{ts,tsx}', 'test/**/*.{ts,tsx}', 'e2e/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['src/app/**/*.{ts,tsx}', 'test/app/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    extends: [reactHooks.configs.flat.recommended],
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: import.meta.dirname })],
    },
    rules: {
      'import-x/no-restricted-paths': restrictedPaths([...layerZones, serverToSandbox, noTestHelpers]),
    },
  },
  {
    // Tests keep the layers but may use the helpers in test/ (the server's tests get the sandbox's seed there).
    files: ['src/**/*.test.{ts,tsx}'],
    rules: {
      'import-x/no-restricted-paths': restrictedPaths([...layerZones, serverToSandbox]),
    },
  },
  {
    // The one place that boots the sandbox as the embedded default.
    files: ['src/server/embedded-sandbox.ts'],
    rules: {
      'import-x/no-restricted-paths': restrictedPaths([...layerZones, noTestHelpers]),
    },
  },
);
