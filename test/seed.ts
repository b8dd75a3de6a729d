// The sandbox's seed (named payees, fixed destinations) for the server's tests. Production code in
// src/server reaches the sandbox only to boot it (embedded-sandbox.ts); tests reach its seed here.
export { SEED_DESTINATIONS, SEED_PEOPLE } from '../src/sandbox/seed';
