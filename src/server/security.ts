import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

/**
 * One Content-Security-Policy for every answer: nothing inline, nothing from elsewhere, never framed.
 * Pages add a per-response style nonce (see `cspWithNonce`) for MUI's runtime `<style>` tags.
 */
export const CSP_DIRECTIVES: Record<string, string[]> = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

const serialize = (directives: Record<string, string[]>) =>
  Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');

export const newNonce = () => randomBytes(16).toString('base64');

export const cspWithNonce = (nonce: string) => serialize({ ...CSP_DIRECTIVES, 'style-src': [...CSP_DIRECTIVES['style-src']!, `'nonce-${nonce}'`] });

/**
 * helmet's headers, computed once: they are the same for every response, and running helmet's
 * middleware per request costs about a tenth of the proxy's CPU (measured with `bench:proxy --cpu-prof`).
 */
const securityHeaders = (): Record<string, string> => {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string) => void (headers[name.toLowerCase()] = value),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  helmet({
    contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
  })({} as IncomingMessage, response as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
  });
  return headers;
};

/**
 * JSON answers are never rendered, so they need no CSP beyond "nothing at all, never framed", and none
 * of helmet's page-only headers: five short headers instead of twelve, on the path that carries nearly
 * all traffic (header bytes are a third of the proxy's CPU, per `bench:proxy --cpu-prof`).
 */
const API_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-origin',
  // Answers about money and sessions are never cached anywhere.
  'cache-control': 'no-store',
};

/**
 * Whether a route Fastify matched outside `/api` answers data, never a page (JSON, and `/metrics`'
 * text): judged by its template (`request.routeOptions.url`), never the raw URL, which the router
 * decodes (`/%61uth/me` IS `/auth/me` to it).
 */
export const isJsonRoute = (template: string | undefined) =>
  template !== undefined && (template.startsWith('/auth/') || template === '/healthz' || template === '/readyz' || template === '/metrics');

/**
 * Security headers and the request id on every response: helmet's full set on pages and assets — and
 * on anything no route matched (a 404), since the not-found handler may answer with the SPA's
 * index.html (a client route such as `/users/…`) — the short JSON set on the JSON routes. The `/api`
 * plugin's routes (`config.api`) get theirs from `registerApiHeaders`.
 */
export const registerSecurity = (app: FastifyInstance) => {
  const pageHeaders = securityHeaders();
  app.addHook('onRequest', (request, reply, done) => {
    if (!request.routeOptions.config.api) reply.headers(isJsonRoute(request.routeOptions.url) ? API_HEADERS : pageHeaders);
    reply.header('x-request-id', request.id);
    done();
  });
};

/** Inside the `/api` plugin (`api` is its context): every answer there is data. */
export const registerApiHeaders = (api: FastifyInstance) => {
  api.addHook('onRequest', (_request, reply, done) => {
    reply.headers(API_HEADERS);
    done();
  });
};
