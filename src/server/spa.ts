import { readFile } from 'node:fs/promises';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CSP_NONCE_PLACEHOLDER, PROBLEM_TYPES } from '../api';
import { sendProblem } from './problem';
import { cspWithNonce, newNonce } from './security';

const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Paths that belong to the server, never to the SPA's client-side router (`/api` has a not-found handler of its own: api-plugin.ts). */
const SERVER_PREFIXES = ['/assets/', '/auth/'];

/**
 * Serves the built SPA: hashed assets cached for a year and sent precompressed, `index.html` never
 * cached and given a fresh CSP nonce on every response, client routes (`/users/…`) answered with
 * `index.html`.
 */
export const registerSpa = async (app: FastifyInstance, distDir: string) => {
  const indexHtml = await readFile(path.join(distDir, 'index.html'), 'utf8');
  const assetsDir = path.join(distDir, 'assets') + path.sep;

  const sendIndex = (_request: FastifyRequest, reply: FastifyReply) => {
    const nonce = newNonce();
    return reply
      .header('cache-control', 'no-cache')
      .header('content-security-policy', cspWithNonce(nonce))
      .type('text/html; charset=utf-8')
      .send(indexHtml.replaceAll(CSP_NONCE_PLACEHOLDER, nonce));
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
  app.get('/', sendIndex);

  app.setNotFoundHandler((request, reply) => {
    const pathname = request.url.split('?', 1)[0]!;
    const isPage = (request.method === 'GET' || request.method === 'HEAD') && !SERVER_PREFIXES.some((p) => pathname.startsWith(p));
    if (isPage) return sendIndex(request, reply);
    return sendProblem(request, reply, 404, { type: PROBLEM_TYPES.notFound, detail: 'Nothing is served at this path.' });
  });
};
