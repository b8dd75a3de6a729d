import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import closeWithGrace from 'close-with-grace';
import { buildServer, loggerOptions } from './app';
import { openAuditStore } from './audit/store';
import { accountsWithOlderHashes, SCRYPT_COST } from './auth/passwords';
import { DEMO_ACCOUNTS, loadSessionKey, loadStaff } from './auth/setup';
import { ConfigError, readConfig } from './config';
import { startEmbeddedSandbox } from './embedded-sandbox';

// Two levels up from src/server/main.ts and from its build, build/server/main.js.
const rootDir = path.resolve(import.meta.dirname, '../..');

/**
 * `npm start` (scripts/launch.js runs this file's build): the console on PORT, talking to
 * MASSPAY_BASE_URL, or — when that is not set — to the embedded sandbox it starts in this process.
 * `--api-only` (used by `npm run dev`) skips the SPA, which Vite serves then. Logs are JSON lines; on
 * a terminal, or with `--pretty-logs` (`npm run dev`, whose output goes through concurrently), they
 * are made readable by pino-pretty when it is installed (a dev dependency).
 */
const main = async () => {
  const { values: flags } = parseArgs({ options: { 'api-only': { type: 'boolean', default: false }, 'pretty-logs': { type: 'boolean', default: false } } });
  const config = readConfig();
  const distDir = path.join(rootDir, 'dist');
  if (!flags['api-only'] && !existsSync(path.join(distDir, 'index.html'))) {
    throw new ConfigError(
      `The SPA is not built (${path.join(distDir, 'index.html')} is missing): run \`npm run build\`, or start with \`npm start\`, which builds it.`,
    );
  }
  const pretty = flags['pretty-logs'] || process.stdout.isTTY === true;

  const embedded = config.upstream
    ? undefined
    : await startEmbeddedSandbox({ dataDir: config.dataDir, logger: loggerOptions(config.logLevel === 'info' ? 'warn' : config.logLevel, { pretty }) });
  const upstream = config.upstream ?? { baseUrl: embedded!.baseUrl, apiKey: embedded!.apiKey };
  // Demo accounts exist on the embedded sandbox only: with a real MassPay, staff come from STAFF_FILE.
  const staff = await loadStaff({ staffFile: config.auth.staffFile, demoPassword: embedded ? config.auth.demoPassword : undefined });
  const sessionKey = await loadSessionKey({ sessionSecret: config.auth.sessionSecret, dataDir: config.dataDir });
  const audit = await openAuditStore({
    databaseUrl: config.databaseUrl,
    migrationUrl: config.databaseMigrationUrl,
    dataDir: config.dataDir,
    // e.g. DATABASE_URL alone: the migrations run as the application's role, which then owns the log.
    onWarning: (message) => console.warn(`Warning: ${message}`),
  });

  const app = await buildServer({
    upstream,
    upstreamTimeoutMs: config.upstreamTimeoutMs,
    distDir: flags['api-only'] ? undefined : distDir,
    logger: loggerOptions(config.logLevel, { pretty }),
    auth: { staff, sessionKey, trustedHeader: config.auth.trustedHeader },
    audit,
    changes: { reason: config.changes.reason, lockWaitMs: config.changes.lockWaitMs, settleMs: config.changes.settleMs, approvals: config.approvals },
    trustProxy: config.auth.trustedHeader?.proxies ?? config.trustProxy,
    allowedHosts: config.allowedHosts,
    metrics: config.metrics,
    loadShedding: { maxEventLoopDelayMs: config.maxEventLoopDelayMs },
  });

  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'closing after an error');
    else app.log.info(`${signal ?? 'close'} received, closing`);
    await app.close();
    await audit.close();
    await embedded?.close();
  });

  await app.listen({ port: config.port, host: config.host });
  const where = config.upstream ? `MassPay at ${new URL(config.upstream.baseUrl).origin}` : `the embedded MassPay sandbox (data in ${config.dataDir})`;
  console.log(`MassPay Wallet Console listening on http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`);
  console.log(`Upstream: ${where}`);
  console.log(`Audit log: ${audit.kind === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : `embedded PostgreSQL (data in ${config.dataDir})`}`);
  if (config.auth.trustedHeader) console.log(`Sign-in: by the identity proxy's ${config.auth.trustedHeader.name} header`);
  console.log(`Answers to Host: ${config.allowedHosts.join(', ')}${config.port === 0 ? ' (port 0: the port listened on)' : ''}`);
  const { listener, token } = config.metrics;
  if (listener) console.log(`Metrics: http://${listener.host.includes(':') ? `[${listener.host}]` : listener.host}:${app.metricsPort}/metrics (no token)`);
  if (token) console.log('Metrics: GET /metrics with the METRICS_TOKEN as a bearer token');
  console.log(`Load shedding: ${config.maxEventLoopDelayMs > 0 ? `503 past ${config.maxEventLoopDelayMs} ms of event-loop delay` : 'off'}`);
  const older = accountsWithOlderHashes(staff.values());
  if (older.length > 0) {
    console.warn(
      `Warning: ${older.length} staff account(s) have a password hash older than scrypt N=${SCRYPT_COST.N}, r=${SCRYPT_COST.r}, p=${SCRYPT_COST.p}; ` +
        `they still sign in, but set their passwords again with \`npm run staff:add\`: ${older.join(', ')}`,
    );
  }
  if (embedded) {
    console.log(`Demo sign-in (embedded sandbox only): ${DEMO_ACCOUNTS.map((account) => account.email).join(', ')}`);
    console.log(
      `  password: ${config.auth.demoPassword}${config.auth.demoPassword === 'demo-password' ? ' (the default; set DEMO_PASSWORD to change it)' : ' (from DEMO_PASSWORD)'}`,
    );
  }
};

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
