import { takeSignedInPage } from './features/session/api/signed-in-page';
import { sessionQueryOptions } from './features/session/api/get-session';
import { queryClient } from './lib/query-client';
import { queryKeys } from './lib/query-keys';
import { preloadRoute } from './routes';

/**
 * Who is signed in, the page's code and its data, asked for at once. The entry (main.tsx) imports this
 * module first, so it runs before React DOM, MUI and the theme are evaluated rather than after them.
 * When the server wrote the signed-in staff member and the console's settings into the page, there is
 * nothing to ask.
 */
const inlined = takeSignedInPage();
if (inlined) {
  queryClient.setQueryData(queryKeys.session(), inlined.staff);
  queryClient.setQueryData(queryKeys.consoleSettings(), inlined.settings);
}

export const firstPageReady = Promise.all([inlined ? undefined : queryClient.prefetchQuery(sessionQueryOptions()), preloadRoute(window.location)]);
