import { readFile } from 'node:fs/promises';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  CONSOLE_ROUTES,
  CSP_NONCE_PLACEHOLDER,
  PROBLEM_TYPES,
  SIGNED_IN_SCRIPT_ID,
  pageFirstReads,
  type ConsoleSettings,
  type SignedInPage,
  type StaffMember,
} from '../api';
import { readPagePreloads, type PagePreloads } from './page-preloads';
import { sendProblem } from './problem';
import { cspWithNonce, newNonce } from './security';

const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Paths that belong to the server, never to the SPA's client-side router (`/api` has a not-found handler of its own: api-plugin.ts). */
const SERVER_PREFIXES = ['/assets/', '/auth/'];

/** JSON for inside a `<script>` element: no `<` can close it early. */
const scriptSafeJson = (value: unknown) => JSON.stringify(value).replaceAll('<', '\\u003c');

/** A URL for inside a double-quoted attribute (the tokens in it are checked already; this keeps any other character inert). */
const attributeSafe = (url: string) => url.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');

const fetchPreload = (url: string) => `<link rel="preload" as="fetch" crossorigin href="${attributeSafe(url)}">`;

/**
 * The requests the SPA makes first on `page` (it makes them signed in or not), for the browser to
 * send while it fetches the code: without them they start only once the entry chunk has run, a
 * MassPay round trip later than they could (issue 18 item 11, `npm run bench:wallet-page`).
 * Same-origin, with the session cookie, as the SPA's `fetch` sends them, which is what lets that
 * `fetch` take the preloaded answer.
 * - The page's first reads (src/api/page-reads.ts).
 * - `GET /auth/me` when this request named nobody: the session cookie is SameSite=Strict, so a link
 *   followed from another site (a support ticket, an email) arrives without it, and the SPA must ask.
 *   The preload is a same-site request of the page's own: the browser sends the cookie with it.
 */
const firstRequests = (page: PagePreloads['page'], params: unknown, signedIn: boolean) =>
  [...(signedIn ? [] : [CONSOLE_ROUTES.me]), ...pageFirstReads(page, (params ?? {}) as Record<string, string | undefined>)].map(fetchPreload).join('');

/**
 * Serves the built SPA: hashed assets cached for a year and sent precompressed, `index.html` never
 * cached and given a fresh CSP nonce on every response, client routes (`/users/…`) answered with
 * `index.html`. A page of `APP_PAGES` gets `modulepreload` links for its code, and a signed-in staff
 * member is written into the page with the console's settings (what `/auth/me` and `/api/console/settings` would answer): a cold load then needs neither the
 * entry chunk to run nor a round trip before the page's code and data are asked for.
 */
export const registerSpa = async (
  app: FastifyInstance,
  distDir: string,
  { identify, settings }: { identify: (request: FastifyRequest) => StaffMember | null; settings: ConsoleSettings },
) => {
  const indexHtml = await readFile(path.join(distDir, 'index.html'), 'utf8');
  if (!indexHtml.includes('</head>')) throw new Error(`${path.join(distDir, 'index.html')} has no </head>: nothing can be added to the page.`);
  const assetsDir = path.join(distDir, 'assets') + path.sep;

  const sendIndex = (request: FastifyRequest, reply: FastifyReply, page?: PagePreloads) => {
    const nonce = newNonce();
    const staff = identify(request);
    const signedIn = staff
      ? `<script type="application/json" id="${SIGNED_IN_SCRIPT_ID}">${scriptSafeJson({ staff, settings } satisfies SignedInPage)}</script>`
      : '';
    const preloads = page ? `${firstRequests(page.page, request.params, staff !== null)}${page.links}` : '';
    return (
      reply
        // With a staff member in it, the page is theirs alone: kept by no cache.
        .header('cache-control', staff ? 'private, no-store' : 'no-cache')
        .header('content-security-policy', cspWithNonce(nonce))
        .type('text/html; charset=utf-8')
        .send(indexHtml.replaceAll(CSP_NONCE_PLACEHOLDER, nonce).replace('</head>', `${preloads}${signedIn}</head>`))
    );
  };

  await app.register(fastifyStatic, {
    root: distDir,
    index: false,
    cacheControl: false,
    // The build's brotli or gzip copy (`x.js.br`, `x.js.gz`, scripts/precompress.ts) by Accept-Encoding, with `Vary`.
    preCompressed: true,
    // index.html is only ever sent through sendIndex, with its nonce.
    allowedPath: (pathName) => pathName !== '/index.html',
    setHeaders(reply, filePath) {
      reply.header('cache-control', filePath.startsWith(assetsDir) ? IMMUTABLE : 'no-cache');
    },
  });
  for (const page of await readPagePreloads(distDir)) app.get(page.path, (request, reply) => sendIndex(request, reply, page));

  app.setNotFoundHandler((request, reply) => {
    const pathname = request.url.split('?', 1)[0]!;
    const isPage = (request.method === 'GET' || request.method === 'HEAD') && !SERVER_PREFIXES.some((p) => pathname.startsWith(p));
    if (isPage) return sendIndex(request, reply);
    return sendProblem(request, reply, 404, { type: PROBLEM_TYPES.notFound, detail: 'Nothing is served at this path.' });
  });
};
