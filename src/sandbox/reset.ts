import { readSandboxEnv } from './config';
import { Store } from './store';

/** `npm run sandbox:reset`: writes the seed over `DATA_DIR`'s sandbox state (the API key is kept). */
const main = async () => {
  const { dataDir, seedUsers } = readSandboxEnv();
  const store = await Store.open(dataDir, { seedUsers });
  await store.reset();
  const synthetic = seedUsers > 0 ? ` with ${seedUsers} synthetic users` : '';
  console.log(`Sandbox state reset to the seed${synthetic}: ${store.file}`);
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
