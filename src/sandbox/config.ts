import { resolve } from 'node:path';
import { z } from 'zod';
import type { FaultSettingsInput } from './faults';
import { sandboxPolicySchema } from './policy';
import { MAX_SEED_USERS } from './synthetic';

const optionalNumber = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+(\.\d+)?$/, 'must be a number')
    .transform(Number)
    .pipe(z.number().min(min).max(max))
    .optional();

/** The standalone sandbox's environment (README, "Configuration"), validated once at start. */
const envSchema = z.object({
  SANDBOX_PORT: optionalNumber(0, 65_535).default(8090),
  SANDBOX_HOST: z.string().min(1).default('127.0.0.1'),
  SANDBOX_API_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SANDBOX_LATENCY_MS: optionalNumber(0, 120_000),
  SANDBOX_FAILURE_RATE: optionalNumber(0, 1),
  SANDBOX_FAIL_NEXT: optionalNumber(1, 10_000),
  SANDBOX_FAIL_STATUS: z
    .string()
    .regex(/^(drop|[45]\d\d)$/, 'must be an HTTP status 400–599 or "drop"')
    .optional(),
  SANDBOX_POLICY: sandboxPolicySchema.default('strict'),
  SANDBOX_SEED_USERS: z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().max(MAX_SEED_USERS, `must be at most ${MAX_SEED_USERS}`))
    .default(0),
});

export type SandboxEnv = ReturnType<typeof readSandboxEnv>;

export const readSandboxEnv = (env: NodeJS.ProcessEnv = process.env) => {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid sandbox configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const failStatus = e.SANDBOX_FAIL_STATUS;
  const faults: FaultSettingsInput = {
    latencyMs: e.SANDBOX_LATENCY_MS ?? 0,
    failureRate: e.SANDBOX_FAILURE_RATE ?? 0,
    ...(failStatus && failStatus !== 'drop' ? { failureStatus: Number(failStatus) } : {}),
    ...(e.SANDBOX_FAIL_NEXT
      ? { failNext: failStatus === 'drop' ? { count: e.SANDBOX_FAIL_NEXT, drop: true } : { count: e.SANDBOX_FAIL_NEXT, status: Number(failStatus ?? 500) } }
      : {}),
  };
  return {
    port: e.SANDBOX_PORT,
    host: e.SANDBOX_HOST,
    apiKey: e.SANDBOX_API_KEY,
    dataDir: resolve(e.DATA_DIR),
    logLevel: e.LOG_LEVEL,
    faults,
    policy: e.SANDBOX_POLICY,
    seedUsers: e.SANDBOX_SEED_USERS,
  };
};
