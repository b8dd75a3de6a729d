import { isIP } from 'node:net';
import { resolve } from 'node:path';
import proxyAddr from 'proxy-addr';
import { z } from 'zod';
import { CHANGE_REASON_MODES, parseApprovalPolicy, type ApprovalPolicy, type ChangeReasonMode } from '../api';
import { hostForHeader, parseHostEntry } from './allowed-hosts';

const isAddressList = (list: string[]) => {
  try {
    proxyAddr.compile(list);
    return list.length > 0;
  } catch {
    return false;
  }
};

/** `a, b,,c` → `['a', 'b', 'c']`: a list variable's entries, trimmed, empty ones dropped. */
const commaList = (value: string) =>
  value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** `0.0.0.0`, `::` (however written): every interface, so no one name the console is reached by. */
const isWildcardHost = (host: string) => {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  if (isIP(bare) === 4) return bare === '0.0.0.0';
  return isIP(bare) === 6 && new URL(`http://[${bare}]/`).hostname === '[::]';
};

const envSchema = z.object({
  PORT: z.coerce.number({ error: 'must be a port number' }).int().min(0).max(65_535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  MASSPAY_BASE_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. https://api.masspay.io/v1.0.0' }).optional(),
  MASSPAY_API_KEY: z.string().min(1).optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  UPSTREAM_TIMEOUT_MS: z.coerce.number({ error: 'must be a number of milliseconds' }).int().min(100).max(120_000).default(10_000),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  STAFF_FILE: z.string().min(1).optional(),
  DEMO_PASSWORD: z.string().min(8, 'must be at least 8 characters').default('demo-password'),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -base64 32`)').optional(),
  TRUSTED_AUTH_HEADER: z
    .string()
    .regex(/^[A-Za-z0-9-]+$/, 'must be a header name, e.g. X-Forwarded-Email')
    .optional(),
  TRUSTED_PROXY_IPS: z.string().transform(commaList).refine(isAddressList, 'must be a comma-separated list of IP addresses or CIDR ranges').optional(),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }).optional(),
  DATABASE_MIGRATION_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }).optional(),
  CHANGE_REASON: z.enum(CHANGE_REASON_MODES, { error: 'must be optional or required' }).default('optional'),
  WALLET_LOCK_WAIT_MS: z.coerce.number({ error: 'must be a number of milliseconds' }).int().min(100).max(60_000).default(5_000),
  APPROVAL_POLICY: z
    .string()
    .transform((value, context) => {
      const policy = parseApprovalPolicy(value.trim());
      if (!policy) context.addIssue({ code: 'custom', message: 'must be off, all, or over:<percentage points> (0–100, e.g. over:10)' });
      return policy ?? { kind: 'off' as const };
    })
    .default({ kind: 'off' }),
  APPROVAL_TTL: z.coerce
    .number({ error: 'must be a number of hours' })
    .int('must be a whole number of hours')
    .min(1, 'must be at least 1 hour')
    .max(24 * 366, 'must be at most a year (8784 hours)')
    .default(168),
  MASSPAY_SETTLE_MS: z.coerce.number({ error: 'must be a number of milliseconds' }).int().min(1_000).max(3_600_000).default(60_000),
  ALLOWED_HOSTS: z
    .string()
    .transform(commaList)
    .refine(
      (list) => list.length > 0 && list.every((entry) => parseHostEntry(entry) !== undefined),
      'must be a comma-separated list of host or host:port (IPv6 in brackets, e.g. console.example.com,[::1]:8080)',
    )
    .optional(),
  METRICS_TOKEN: z
    .string()
    .min(32, 'must be at least 32 characters (e.g. `openssl rand -hex 32`)')
    .regex(/^[\x21-\x7E]+$/, 'must be printable ASCII without spaces (it is sent as a bearer token)')
    .optional(),
  METRICS_PORT: z.coerce.number({ error: 'must be a port number' }).int().min(1, 'must be a port number from 1 to 65535').max(65_535).optional(),
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  MAX_EVENT_LOOP_DELAY_MS: z.coerce.number({ error: 'must be a number of milliseconds' }).int().min(0).max(60_000).default(1_000),
});

/** Rules between variables, checked even when a single variable is wrong, so one message names all. */
const pairingProblems = (env: Record<string, string | undefined>): string[] => [
  ...(env.MASSPAY_BASE_URL && !env.MASSPAY_API_KEY ? ['MASSPAY_API_KEY: is required when MASSPAY_BASE_URL is set'] : []),
  ...(env.MASSPAY_API_KEY && !env.MASSPAY_BASE_URL
    ? ['MASSPAY_BASE_URL: is required when MASSPAY_API_KEY is set (without both, the embedded sandbox is used)']
    : []),
  ...(env.MASSPAY_BASE_URL && !env.STAFF_FILE && !env.TRUSTED_AUTH_HEADER
    ? ['STAFF_FILE: is required with a real MASSPAY_BASE_URL (or TRUSTED_AUTH_HEADER): demo accounts exist only on the embedded sandbox']
    : []),
  ...(env.TRUSTED_AUTH_HEADER && !env.TRUSTED_PROXY_IPS ? ["TRUSTED_PROXY_IPS: is required with TRUSTED_AUTH_HEADER (the identity proxy's addresses)"] : []),
  ...(env.TRUSTED_AUTH_HEADER && !env.STAFF_FILE ? ['STAFF_FILE: is required with TRUSTED_AUTH_HEADER (roles come from it)'] : []),
  ...(env.HOST && isWildcardHost(env.HOST) && !env.ALLOWED_HOSTS
    ? [
        `ALLOWED_HOSTS: is required when HOST is ${env.HOST} (every interface): list the names browsers reach the console by, e.g. console.example.com or console.example.com:8080`,
      ]
    : []),
  ...(env.METRICS_HOST && !env.METRICS_PORT ? ["METRICS_HOST: is only used with METRICS_PORT (the metrics listener's port); set both, or neither"] : []),
  ...(env.METRICS_PORT && Number(env.METRICS_PORT) === Number(env.PORT ?? 8080)
    ? ['METRICS_PORT: must differ from PORT (the metrics listener is a server of its own)']
    : []),
  ...(env.DATABASE_MIGRATION_URL && !env.DATABASE_URL
    ? ["DATABASE_URL: is required with DATABASE_MIGRATION_URL (the application's own role; the migration role only migrates and grants)"]
    : []),
];

export interface ServerConfig {
  port: number;
  host: string;
  /** Absent: start the embedded sandbox. */
  upstream?: { baseUrl: string; apiKey: string };
  dataDir: string;
  upstreamTimeoutMs: number;
  logLevel: (typeof LOG_LEVELS)[number];
  auth: {
    staffFile?: string;
    /** Embedded sandbox only: the demo accounts' password. */
    demoPassword: string;
    sessionSecret?: string;
    trustedHeader?: { name: string; proxies: string[] };
  };
  /** `TRUSTED_PROXY_IPS`: the reverse proxy whose X-Forwarded-For/-Proto (and identity header) are believed. */
  trustProxy?: string[];
  /** Absent: the embedded audit store under DATA_DIR. */
  databaseUrl?: string;
  /** The owner role's URL, for the migrations and grants; absent: they run on `databaseUrl` (with a warning at start). */
  databaseMigrationUrl?: string;
  /** The change path: whether a change must carry a reason, and how long a change waits for its wallet. */
  changes: { reason: ChangeReasonMode; lockWaitMs: number; settleMs: number };
  /** `APPROVAL_POLICY` (default off) and `APPROVAL_TTL` in hours (default 168): which changes wait for a second person, and how long. */
  approvals: { policy: ApprovalPolicy; ttlHours: number };
  /**
   * `ALLOWED_HOSTS`, or by default `localhost`, `127.0.0.1`, `[::1]` and HOST, each on PORT (PORT=0:
   * the port the OS gives): the Host names the console answers to (against DNS rebinding).
   */
  allowedHosts: string[];
  /** `METRICS_TOKEN` for `GET /metrics` on PORT; `METRICS_PORT` on `METRICS_HOST`: a listener of their own, no token. */
  metrics: { token?: string; listener?: { host: string; port: number } };
  /** `MAX_EVENT_LOOP_DELAY_MS`: requests are refused 503 while the event loop lags past it (0: never). */
  maxEventLoopDelayMs: number;
}

export class ConfigError extends Error {}

/** Reads and checks the environment once; every problem is named in one message. */
export const readConfig = (env: NodeJS.ProcessEnv = process.env): ServerConfig => {
  // An empty variable means "not set", as in most shells' `VAR= cmd`.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = envSchema.safeParse(present);
  const problems = [...(parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)), ...pairingProblems(present)];
  if (!parsed.success || problems.length > 0) {
    throw new ConfigError(`Invalid configuration:\n${problems.map((line) => `  ${line}`).join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    upstream: e.MASSPAY_BASE_URL && e.MASSPAY_API_KEY ? { baseUrl: e.MASSPAY_BASE_URL, apiKey: e.MASSPAY_API_KEY } : undefined,
    dataDir: resolve(e.DATA_DIR),
    upstreamTimeoutMs: e.UPSTREAM_TIMEOUT_MS,
    logLevel: e.LOG_LEVEL,
    auth: {
      staffFile: e.STAFF_FILE ? resolve(e.STAFF_FILE) : undefined,
      demoPassword: e.DEMO_PASSWORD,
      sessionSecret: e.SESSION_SECRET,
      trustedHeader: e.TRUSTED_AUTH_HEADER && e.TRUSTED_PROXY_IPS ? { name: e.TRUSTED_AUTH_HEADER, proxies: e.TRUSTED_PROXY_IPS } : undefined,
    },
    trustProxy: e.TRUSTED_PROXY_IPS,
    databaseUrl: e.DATABASE_URL,
    databaseMigrationUrl: e.DATABASE_MIGRATION_URL,
    changes: { reason: e.CHANGE_REASON, lockWaitMs: e.WALLET_LOCK_WAIT_MS, settleMs: e.MASSPAY_SETTLE_MS },
    approvals: { policy: e.APPROVAL_POLICY, ttlHours: e.APPROVAL_TTL },
    metrics: { token: e.METRICS_TOKEN, listener: e.METRICS_PORT === undefined ? undefined : { host: e.METRICS_HOST, port: e.METRICS_PORT } },
    maxEventLoopDelayMs: e.MAX_EVENT_LOOP_DELAY_MS,
    allowedHosts: e.ALLOWED_HOSTS ?? [...new Set(['localhost', '127.0.0.1', '[::1]', hostForHeader(e.HOST)].map((host) => `${host}:${e.PORT}`))],
  };
};
