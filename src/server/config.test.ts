import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { readConfig } from './config';

const run = promisify(execFile);

describe('configuration', () => {
  it('has the documented defaults and means the embedded sandbox without MASSPAY_BASE_URL', () => {
    const config = readConfig({});
    expect(config).toMatchObject({ port: 8080, host: '127.0.0.1', upstreamTimeoutMs: 10_000, logLevel: 'info', upstream: undefined });
    expect(config.changes).toEqual({ reason: 'optional', lockWaitMs: 5_000, settleMs: 60_000 });
    expect(config.approvals).toEqual({ policy: { kind: 'off' }, ttlHours: 168 });
    expect(config.dataDir).toMatch(/\/data$/);
  });

  it('reads a real MassPay', () => {
    const config = readConfig({
      MASSPAY_BASE_URL: 'https://api.masspay.io/v1.0.0',
      MASSPAY_API_KEY: 'k',
      PORT: '9000',
      UPSTREAM_TIMEOUT_MS: '2500',
      STAFF_FILE: 'staff.json',
    });
    expect(config).toMatchObject({ port: 9000, upstreamTimeoutMs: 2500, upstream: { baseUrl: 'https://api.masspay.io/v1.0.0', apiKey: 'k' } });
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT: must be a port number/],
    [{ PORT: '70000' }, /PORT/],
    [{ MASSPAY_BASE_URL: 'https://api.masspay.io/v1.0.0' }, /MASSPAY_API_KEY: is required when MASSPAY_BASE_URL is set/],
    [{ MASSPAY_API_KEY: 'k' }, /MASSPAY_BASE_URL: is required/],
    [{ MASSPAY_BASE_URL: 'ftp://x', MASSPAY_API_KEY: 'k' }, /MASSPAY_BASE_URL: must be an http\(s\) URL/],
    [{ UPSTREAM_TIMEOUT_MS: '5' }, /UPSTREAM_TIMEOUT_MS/],
    [{ MASSPAY_SETTLE_MS: '500' }, /MASSPAY_SETTLE_MS/],
    [{ MASSPAY_SETTLE_MS: 'a minute' }, /MASSPAY_SETTLE_MS: must be a number of milliseconds/],
    [{ WALLET_LOCK_WAIT_MS: '10' }, /WALLET_LOCK_WAIT_MS/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ APPROVAL_POLICY: 'sometimes' }, /APPROVAL_POLICY: must be off, all, or over:<percentage points>/],
    [{ APPROVAL_POLICY: 'over:150' }, /APPROVAL_POLICY: must be off, all, or over/],
    [{ APPROVAL_TTL: '0' }, /APPROVAL_TTL: must be at least 1 hour/],
    [{ APPROVAL_TTL: 'a week' }, /APPROVAL_TTL: must be a number of hours/],
    [{ APPROVAL_TTL: '1.5' }, /APPROVAL_TTL: must be a whole number of hours/],
    [{ MASSPAY_BASE_URL: 'https://api.masspay.io/v1.0.0', MASSPAY_API_KEY: 'k' }, /STAFF_FILE: is required with a real MASSPAY_BASE_URL/],
    [{ TRUSTED_AUTH_HEADER: 'X-Forwarded-Email', STAFF_FILE: 's.json' }, /TRUSTED_PROXY_IPS: is required/],
    [{ TRUSTED_AUTH_HEADER: 'X-Forwarded-Email', TRUSTED_PROXY_IPS: '10.0.0.1' }, /STAFF_FILE: is required with TRUSTED_AUTH_HEADER/],
    [{ TRUSTED_AUTH_HEADER: 'X Email', TRUSTED_PROXY_IPS: '10.0.0.1', STAFF_FILE: 's.json' }, /TRUSTED_AUTH_HEADER: must be a header name/],
    [{ TRUSTED_AUTH_HEADER: 'X-Email', TRUSTED_PROXY_IPS: 'proxy.example', STAFF_FILE: 's.json' }, /TRUSTED_PROXY_IPS: must be a comma-separated list/],
    [{ SESSION_SECRET: 'short' }, /SESSION_SECRET: must be at least 32 characters/],
    [{ DEMO_PASSWORD: 'short' }, /DEMO_PASSWORD: must be at least 8/],
    [{ DATABASE_URL: 'mysql://x/y' }, /DATABASE_URL: must be a postgres/],
    [{ DATABASE_URL: 'postgres://app@h/db', DATABASE_MIGRATION_URL: 'http://x' }, /DATABASE_MIGRATION_URL: must be a postgres/],
    [{ DATABASE_MIGRATION_URL: 'postgres://owner@h/db' }, /DATABASE_URL: is required with DATABASE_MIGRATION_URL/],
  ])('refuses %o with a message naming it', (env, message) => {
    expect(() => readConfig(env)).toThrow(message);
  });

  it('reads the approval policy and how long a request waits', () => {
    expect(readConfig({ APPROVAL_POLICY: 'over:12.5', APPROVAL_TTL: '24' }).approvals).toEqual({ policy: { kind: 'over', points: 12.5 }, ttlHours: 24 });
    expect(readConfig({ APPROVAL_POLICY: 'all' }).approvals.policy).toEqual({ kind: 'all' });
  });

  it('reads the auth settings: trusted-header mode with its proxies, the staff file, the database', () => {
    const config = readConfig({
      TRUSTED_AUTH_HEADER: 'X-Forwarded-Email',
      TRUSTED_PROXY_IPS: '10.0.0.1, 192.168.0.0/16',
      STAFF_FILE: 'staff.json',
      DATABASE_URL: 'postgres://u@127.0.0.1:5432/audit',
    });
    expect(config.auth.trustedHeader).toEqual({ name: 'X-Forwarded-Email', proxies: ['10.0.0.1', '192.168.0.0/16'] });
    expect(config.auth.staffFile).toMatch(/\/staff\.json$/);
    expect(config.auth.demoPassword).toBe('demo-password');
    expect(config.databaseUrl).toBe('postgres://u@127.0.0.1:5432/audit');
    expect(config.databaseMigrationUrl).toBeUndefined();
    expect(readConfig({ DATABASE_URL: 'postgres://app@h/db', DATABASE_MIGRATION_URL: 'postgresql://owner@h/db' })).toMatchObject({
      databaseUrl: 'postgres://app@h/db',
      databaseMigrationUrl: 'postgresql://owner@h/db',
    });
  });

  it('ALLOWED_HOSTS: by default localhost, 127.0.0.1, [::1] and HOST, each on PORT', () => {
    expect(readConfig({}).allowedHosts).toEqual(['localhost:8080', '127.0.0.1:8080', '[::1]:8080']);
    expect(readConfig({ HOST: 'Console.Internal', PORT: '9000' }).allowedHosts).toEqual([
      'localhost:9000',
      '127.0.0.1:9000',
      '[::1]:9000',
      'console.internal:9000',
    ]);
    expect(readConfig({ HOST: '::1', PORT: '9000' }).allowedHosts).toEqual(['localhost:9000', '127.0.0.1:9000', '[::1]:9000']);
    expect(readConfig({ HOST: '10.0.0.5' }).allowedHosts).toContain('10.0.0.5:8080');
  });

  it('ALLOWED_HOSTS: a comma-separated list of host or host:port, as given', () => {
    expect(readConfig({ ALLOWED_HOSTS: ' console.example.com , console.example.com:8443,[::1]:8080,10.0.0.5 ' }).allowedHosts).toEqual([
      'console.example.com',
      'console.example.com:8443',
      '[::1]:8080',
      '10.0.0.5',
    ]);
  });

  it.each([
    [{ HOST: '0.0.0.0' }, /ALLOWED_HOSTS: is required when HOST is 0\.0\.0\.0/],
    [{ HOST: '::' }, /ALLOWED_HOSTS: is required when HOST is ::/],
    [{ HOST: '0:0:0:0:0:0:0:0' }, /ALLOWED_HOSTS: is required/],
    [{ ALLOWED_HOSTS: 'https://console.example.com' }, /ALLOWED_HOSTS: must be a comma-separated list of host or host:port/],
    [{ ALLOWED_HOSTS: '::1' }, /ALLOWED_HOSTS: must be/],
    [{ ALLOWED_HOSTS: 'console.example.com:99999' }, /ALLOWED_HOSTS: must be/],
    [{ ALLOWED_HOSTS: '*.example.com' }, /ALLOWED_HOSTS: must be/],
    [{ ALLOWED_HOSTS: ' , ' }, /ALLOWED_HOSTS: must be/],
  ])('ALLOWED_HOSTS: refuses %o', (env, message) => {
    expect(() => readConfig(env)).toThrow(message);
  });

  it('a wildcard HOST with ALLOWED_HOSTS set starts', () => {
    expect(readConfig({ HOST: '0.0.0.0', ALLOWED_HOSTS: 'console.example.com' })).toMatchObject({ host: '0.0.0.0', allowedHosts: ['console.example.com'] });
  });

  it('metrics and load shedding: off by default but for a 1000 ms event-loop limit; METRICS_HOST defaults to loopback', () => {
    expect(readConfig({})).toMatchObject({ metrics: { token: undefined, listener: undefined }, maxEventLoopDelayMs: 1_000 });
    const token = 'm'.repeat(32);
    expect(readConfig({ METRICS_TOKEN: token, METRICS_PORT: '9464', MAX_EVENT_LOOP_DELAY_MS: '0' })).toMatchObject({
      metrics: { token, listener: { host: '127.0.0.1', port: 9464 } },
      maxEventLoopDelayMs: 0,
    });
    expect(readConfig({ METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0' }).metrics.listener).toEqual({ host: '0.0.0.0', port: 9464 });
  });

  it.each([
    [{ METRICS_TOKEN: 'short' }, /METRICS_TOKEN: must be at least 32 characters/],
    [{ METRICS_TOKEN: `${'m'.repeat(32)} x` }, /METRICS_TOKEN: must be printable ASCII without spaces/],
    [{ METRICS_PORT: 'ninety' }, /METRICS_PORT: must be a port number/],
    [{ METRICS_PORT: '0' }, /METRICS_PORT: must be a port number from 1 to 65535/],
    [{ METRICS_PORT: '8080' }, /METRICS_PORT: must differ from PORT/],
    [{ METRICS_PORT: '9000', PORT: '9000' }, /METRICS_PORT: must differ from PORT/],
    [{ METRICS_HOST: '127.0.0.1' }, /METRICS_HOST: is only used with METRICS_PORT/],
    [{ MAX_EVENT_LOOP_DELAY_MS: '-1' }, /MAX_EVENT_LOOP_DELAY_MS/],
    [{ MAX_EVENT_LOOP_DELAY_MS: 'a second' }, /MAX_EVENT_LOOP_DELAY_MS: must be a number of milliseconds/],
  ])('metrics: refuses %o', (env, message) => {
    expect(() => readConfig(env)).toThrow(message);
  });

  it('treats an empty variable as unset', () => {
    expect(readConfig({ PORT: '', MASSPAY_BASE_URL: '' }).port).toBe(8080);
  });

  it('npm start exits 1 with one clear message on a bad environment, before building or listening', async () => {
    const failure = await run('npx', ['tsx', 'src/server/main.ts'], { env: { ...process.env, PORT: 'eighty', MASSPAY_API_KEY: 'secret-key-value' } }).catch(
      (e: { code: number; stderr: string; stdout: string }) => e,
    );
    expect('code' in failure && failure.code).toBe(1);
    const { stderr } = failure as { stderr: string };
    expect(stderr).toMatch(/Invalid configuration:\n {2}PORT: must be a port number/);
    expect(stderr).toMatch(/MASSPAY_BASE_URL: is required/);
    expect(stderr).not.toContain('secret-key-value');
  });

  it('npm start on every interface without ALLOWED_HOSTS stops with a message saying what to set', async () => {
    const failure = await run('npx', ['tsx', 'src/server/main.ts'], { env: { ...process.env, HOST: '0.0.0.0', ALLOWED_HOSTS: '' } }).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect('code' in failure && failure.code).toBe(1);
    expect((failure as { stderr: string }).stderr).toMatch(
      /Invalid configuration:\n {2}ALLOWED_HOSTS: is required when HOST is 0\.0\.0\.0 \(every interface\)/,
    );
  });
});
