import path from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';

export interface ServerOptions {
  /** Directory of the built SPA (vite's `build.outDir`). */
  distDir: string;
  logger?: FastifyServerOptions['logger'];
}

const IMMUTABLE = 'public, max-age=31536000, immutable';
// Paths that belong to the server, never to the SPA's client-side router.
const NON_SPA_PREFIXES = ['/assets/', '/api/', '/auth/'];

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false });
  const assetsDir = path.join(options.distDir, 'assets') + path.sep;

  app.get('/healthz', async () => ({ status: 'ok' }));

  await app.register(fastifyStatic, {
    root: options.distDir,
    cacheControl: false, // set below, per file
    setHeaders(reply, filePath) {
      // Vite content-hashes everything under assets/; the rest (index.html) must revalidate.
      reply.header('cache-control', filePath.startsWith(assetsDir) ? IMMUTABLE : 'no-cache');
    },
  });

  app.setNotFoundHandler(async (request, reply) => {
    const pathname = request.url.split('?', 1)[0] ?? '/';
    const isPageRequest = request.method === 'GET' || request.method === 'HEAD';
    if (isPageRequest && !NON_SPA_PREFIXES.some((prefix) => pathname.startsWith(prefix))) {
      return reply.sendFile('index.html');
    }
    return reply
      .code(404)
      .type('application/problem+json')
      .send({ type: 'about:blank', title: 'Not Found', status: 404 });
  });

  return app;
}
