// Setup of the `app` test project (jsdom): matchers, the console behind `/api`, a clean DOM.
import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterAll, afterEach, beforeEach } from 'vitest';
import { claimLane, installFetch, releaseLane, startSignedIn } from './backend';

installFetch();
// Consoles of its own while the file runs (backend.ts), given back after its last test.
await claimLane();
afterAll(releaseLane);

// The tests wait on a real console over HTTP (backend.ts): on a loaded machine an answer can take longer
// than Testing Library's default 1 s. The wait ends as soon as the page shows what is awaited; only a
// failing test waits the whole 5 s.
configure({ asyncUtilTimeout: 5_000 });

// jsdom has no media queries; MUI asks for prefers-color-scheme and breakpoints.
if (typeof window.matchMedia !== 'function') {
  window.matchMedia = (query: string): MediaQueryList => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => undefined,
    removeListener: () => undefined,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
    dispatchEvent: () => false,
  });
}

// Every test starts signed in as an editor (the console refuses `/api` to nobody), with a fresh tab.
beforeEach(async () => {
  sessionStorage.clear();
  await startSignedIn();
});

// Without vitest globals, Testing Library cannot register its own cleanup.
afterEach(() => cleanup());
