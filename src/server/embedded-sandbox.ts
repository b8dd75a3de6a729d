// The one place that boots the sandbox as the embedded default (DESIGN §2); nothing else in
// src/server may import src/sandbox, and ESLint holds that line.
import { createSandbox, type Sandbox } from '../sandbox/app';
import type { FaultSettingsInput } from '../sandbox/faults';
import type { SandboxPolicy } from '../sandbox/policy';

export interface EmbeddedSandbox {
  baseUrl: string;
  apiKey: string;
  /** The running sandbox: its request counter and fault injection serve tests and benchmarks. */
  sandbox: Sandbox;
  close(): Promise<void>;
}

/** Starts the MassPay sandbox in this process on an ephemeral loopback port, persisting to `dataDir`. */
export const startEmbeddedSandbox = async (options: {
  dataDir: string;
  faults?: FaultSettingsInput;
  logger?: Parameters<typeof createSandbox>[0]['logger'];
  /** `strict` (default) or `lenient` (MassPay's documented rules only); `sandbox.policy` switches it later. */
  policy?: SandboxPolicy;
  /** Synthetic payees (`syn-000001` …) added to the seed of a fresh `dataDir`. */
  seedUsers?: number;
}): Promise<EmbeddedSandbox> => {
  const sandbox = await createSandbox({
    dataDir: options.dataDir,
    faults: options.faults,
    logger: options.logger,
    policy: options.policy,
    seedUsers: options.seedUsers,
  });
  const baseUrl = await sandbox.listen({ port: 0, host: '127.0.0.1' });
  return { baseUrl, apiKey: sandbox.apiKey, sandbox, close: () => sandbox.close() };
};

export type { SandboxPolicy } from '../sandbox/policy';
