// Setup of the `app` test project (jsdom): matchers, the console behind `/api`, a clean DOM.
import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';
import { installFetch } from './backend';

installFetch();

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

// Without vitest globals, Testing Library cannot register its own cleanup.
afterEach(() => cleanup());
