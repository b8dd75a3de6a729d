import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPES } from '../../api';
import { METRICS_PATH } from './http';
import type { Metrics } from './registry';

declare module 'fastify' {
  interface FastifyInstance {
    /** The METRICS_PORT listener's port once the server is ready (undefined without one). */
    metricsPort: number | undefined;
  }
}

const HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

const refuse = (response: ServerResponse, status: number, type: string, title: string, detail: string) => {
  const body = JSON.stringify({ type, title, status, detail, source: 'console' });
  response.writeHead(status, { ...HEADERS, 'content-type': PROBLEM_CONTENT_TYPE, 'content-length': Buffer.byteLength(body) }).end(body);
};

/**
 * `METRICS_PORT`: a listener of its own on `METRICS_HOST` (loopback by default) that answers only
 * `GET /metrics`, without a token — reaching the address is the permission. Browsers are refused
 * (they always send `Sec-Fetch-Mode`, a scraper never does), so a page that rebinds a DNS name to
 * this address cannot read it. It opens when the console is ready and closes with it.
 */
export const registerMetricsListener = (app: FastifyInstance, metrics: Metrics, { host, port }: { host: string; port: number }) => {
  const server = createServer((request, response) => {
    const path = request.url?.split('?', 1)[0];
    if (path !== METRICS_PATH) return refuse(response, 404, PROBLEM_TYPES.notFound, 'Not found', 'Only /metrics is served here.');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('allow', 'GET, HEAD');
      return refuse(response, 405, PROBLEM_TYPES.methodNotAllowed, 'Method not allowed', 'Use GET here.');
    }
    if (request.headers['sec-fetch-mode'] !== undefined)
      return refuse(response, 403, PROBLEM_TYPES.forbidden, 'Forbidden', 'Metrics are for a scraper, not a browser.');
    metrics.render().then(
      (text) => response.writeHead(200, { ...HEADERS, 'content-type': metrics.contentType }).end(request.method === 'HEAD' ? undefined : text),
      (error: unknown) => {
        app.log.error({ err: error }, 'metrics could not be collected');
        refuse(response, 500, PROBLEM_TYPES.internal, 'Internal error', 'The metrics could not be collected.');
      },
    );
  });
  app.decorate('metricsPort', { getter: () => (server.address() as AddressInfo | null)?.port });
  app.addHook(
    'onReady',
    () =>
      new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve();
        });
      }),
  );
  app.addHook(
    'onClose',
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
};
