import { resolve } from 'node:path';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const envSchema = z
  .object({
    PORT: z.coerce.number({ error: 'must be a port number' }).int().min(0).max(65_535).default(8080),
    HOST: z.string().min(1).default('127.0.0.1'),
    MASSPAY_BASE_URL: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. https://api.masspay.io/v1.0.0' })
      .optional(),
    MASSPAY_API_KEY: z.string().min(1).optional(),
    DATA_DIR: z.string().min(1).default('./data'),
    UPSTREAM_TIMEOUT_MS: z.coerce.number({ error: 'must be a number of milliseconds' }).int().min(100).max(120_000).default(10_000),
    LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  });

/** Rules between variables, checked even when a single variable is wrong, so one message names all. */
const pairingProblems = (env: Record<string, string | undefined>): string[] => [
  ...(env.MASSPAY_BASE_URL && !env.MASSPAY_API_KEY ? ['MASSPAY_API_KEY: is required when MASSPAY_BASE_URL is set'] : []),
  ...(env.MASSPAY_API_KEY && !env.MASSPAY_BASE_URL
    ? ['MASSPAY_BASE_URL: is required when MASSPAY_API_KEY is set (without both, the embedded sandbox is used)']
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
}

export class ConfigError extends Error {}

/** Reads and checks the environment once; every problem is named in one message. */
export const readConfig = (env: NodeJS.ProcessEnv = process.env): ServerConfig => {
  // An empty variable means "not set", as in most shells' `VAR= cmd`.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = envSchema.safeParse(present);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)),
    ...pairingProblems(present),
  ];
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
  };
};
