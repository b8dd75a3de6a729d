import { sessionQueryOptions } from './features/session/api/get-session';
import { queryClient } from './lib/query-client';
import { preloadRoute } from './routes';

/**
 * Who is signed in, the page's code and its data, asked for at once. The entry (main.tsx) imports this
 * module first, so it runs before React DOM, MUI and the theme are evaluated rather than after them.
 */
export const firstPageReady = Promise.all([queryClient.prefetchQuery(sessionQueryOptions()), preloadRoute(window.location)]);
