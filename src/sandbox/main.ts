import { join } from 'node:path';
import { API_KEY_FILE, createSandbox } from './app';
import { readSandboxEnv } from './config';

/** `npm run sandbox`: the embedded MassPay alone, for the official SDK, curl, or a proxy in another process. */
const main = async () => {
  const env = readSandboxEnv();
  const sandbox = await createSandbox({
    dataDir: env.dataDir,
    apiKey: env.apiKey,
    faults: env.faults,
    policy: env.policy,
    seedUsers: env.seedUsers,
    logger: { level: env.logLevel, redact: ['req.headers.authorization'] },
  });
  const baseUrl = await sandbox.listen({ port: env.port, host: env.host });
  const keySource = env.apiKey ? 'SANDBOX_API_KEY' : join(env.dataDir, API_KEY_FILE);
  console.log(`MassPay sandbox (API v1.0.0) listening on ${baseUrl}  — paths at the root, e.g. ${baseUrl}/payout/country/list`);
  console.log(`API key: in ${keySource}  — send it as "Authorization: Bearer <key>" (or bare, as the JS SDK does)`);
  console.log(`State: ${sandbox.store.file}  (npm run sandbox:reset restores the seed)`);
  console.log(`Policy: ${sandbox.policy}  (SANDBOX_POLICY, or PUT /__sandbox/policy)`);
  // The seed applies on first start and on reset only: say so rather than leave a benchmark wondering.
  const seeded = sandbox.store.state.seed_users ?? 0;
  if (seeded !== env.seedUsers) {
    console.log(
      `Note: the state holds ${seeded} synthetic users, SANDBOX_SEED_USERS asks for ${env.seedUsers}: run npm run sandbox:reset (with it set) to reseed`,
    );
  }
  const stop = () => void sandbox.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
