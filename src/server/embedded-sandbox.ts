// The one place that boots the sandbox as the embedded default (DESIGN §2); nothing else in
// src/server may import src/sandbox, and ESLint holds that line.
import { createSandbox, type Sandbox } from '../sandbox/app';
import type { FaultSettingsInput } from '../sandbox/faults';

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
}): Promise<EmbeddedSandbox> => {
  const sandbox = await createSandbox({ dataDir: options.dataDir, faults: options.faults, logger: options.logger });
  const baseUrl = await sandbox.listen({ port: 0, host: '127.0.0.1' });
  return { baseUrl, apiKey: sandbox.apiKey, sandbox, close: () => sandbox.close() };
};

/** The seed's named people and fixed destinations, for the server's tests and benchmarks. */
export { SEED_DESTINATIONS, SEED_PEOPLE } from '../sandbox/seed';
