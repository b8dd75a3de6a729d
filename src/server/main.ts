import path from 'node:path';
import { parseArgs } from 'node:util';
import closeWithGrace from 'close-with-grace';
import { buildServer, loggerOptions } from './app';
import { buildSpaIfStale } from './build-spa';
import { ConfigError, readConfig } from './config';
import { startEmbeddedSandbox } from './embedded-sandbox';

const rootDir = path.resolve(import.meta.dirname, '../..');

/**
 * `npm start`: the console on PORT, talking to MASSPAY_BASE_URL, or — when that is not set — to the
 * embedded sandbox it starts in this process. `--api-only` (used by `npm run dev`) skips the SPA,
 * which Vite serves then.
 */
const main = async () => {
  const { values: flags } = parseArgs({ options: { 'api-only': { type: 'boolean', default: false } } });
  const config = readConfig();
  const distDir = path.join(rootDir, 'dist');
  if (!flags['api-only']) await buildSpaIfStale(rootDir, distDir);

  const embedded = config.upstream ? undefined : await startEmbeddedSandbox({ dataDir: config.dataDir, logger: loggerOptions(config.logLevel === 'info' ? 'warn' : config.logLevel) });
  const upstream = config.upstream ?? { baseUrl: embedded!.baseUrl, apiKey: embedded!.apiKey };

  const app = await buildServer({
    upstream,
    upstreamTimeoutMs: config.upstreamTimeoutMs,
    distDir: flags['api-only'] ? undefined : distDir,
    logger: loggerOptions(config.logLevel),
  });

  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'closing after an error');
    else app.log.info(`${signal ?? 'close'} received, closing`);
    await app.close();
    await embedded?.close();
  });

  await app.listen({ port: config.port, host: config.host });
  const where = config.upstream ? `MassPay at ${new URL(config.upstream.baseUrl).origin}` : `the embedded MassPay sandbox (data in ${config.dataDir})`;
  console.log(`MassPay Wallet Console listening on http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`);
  console.log(`Upstream: ${where}`);
};

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
