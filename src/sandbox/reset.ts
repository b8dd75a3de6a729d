import { readSandboxEnv } from './config';
import { Store } from './store';

/** `npm run sandbox:reset`: writes the seed over `DATA_DIR`'s sandbox state (the API key is kept). */
const main = async () => {
  const { dataDir } = readSandboxEnv();
  const store = await Store.open(dataDir);
  await store.reset();
  console.log(`Sandbox state reset to the seed: ${store.file}`);
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
