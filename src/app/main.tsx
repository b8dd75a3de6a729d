// First: it starts the page's requests before the rest of this chunk is evaluated.
import { firstPageReady } from './start-loading';
import { CacheProvider } from '@emotion/react';
import CssBaseline from '@mui/material/CssBaseline';
import { ThemeProvider } from '@mui/material/styles';
import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { App } from './App';
import { StatusRegionProvider } from './components/StatusRegion';
import { queryClient } from './lib/query-client';
import { createEmotionCache } from './theme/emotion-cache';
import { theme } from './theme/theme';

/**
 * The first render waits (a little) for the session check and the page's code (start-loading.ts): it
 * then draws the page itself, rather than "Checking your sign-in", then the page's fallback, then —
 * after React's 300 ms fallback throttle — the page.
 */
const FIRST_RENDER_WAIT_MS = 1_500;
// Not a top-level await: the page's chunk imports this one, which must have finished evaluating first.
const render = () =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <CacheProvider value={createEmotionCache()}>
        {/* noSsr: a client-only app; the scheme is read for the first render, not in an effect that renders again. */}
        <ThemeProvider theme={theme} defaultMode="system" noSsr>
          <CssBaseline enableColorScheme />
          <QueryClientProvider client={queryClient}>
            <StatusRegionProvider>
              <BrowserRouter>
                <App />
              </BrowserRouter>
            </StatusRegionProvider>
          </QueryClientProvider>
        </ThemeProvider>
      </CacheProvider>
    </StrictMode>,
  );
void Promise.race([firstPageReady, new Promise((resolve) => setTimeout(resolve, FIRST_RENDER_WAIT_MS))]).then(render);
