import type { Wallet } from '../api';
import { IDEMPOTENCY_TTL_MS } from './idempotency';
import { createPersister, readState } from './persistence';
import type { SandboxState } from './state';
import { seedState, type SeedOptions } from './synthetic';

/**
 * The sandbox's state in memory, indexed, and persisted to `dataDir` on every change. Changes are
 * applied synchronously (one JS turn: no two requests can interleave a check and its write) and
 * acknowledged only after `commit()` has put them on disk.
 */
export class Store {
  private usersByToken = new Map<string, SandboxState['users'][number]>();
  private walletsByUser = new Map<string, Wallet[]>();
  private readonly persister;

  private constructor(
    public state: SandboxState,
    dataDir: string,
    private readonly seed: Omit<SeedOptions, 'now'>,
  ) {
    this.persister = createPersister(dataDir, () => JSON.stringify(this.state));
    this.reindex();
  }

  /**
   * Opens the persisted state of `dataDir`, seeding (and writing) it on first start. `seed` applies
   * to that first seeding and to every reset; a persisted state is never reseeded behind one's back.
   */
  static async open(dataDir: string, seed: Omit<SeedOptions, 'now'> = {}): Promise<Store> {
    const existing = await readState(dataDir);
    const store = new Store(existing ?? seedState(seed), dataDir, seed);
    store.pruneIdempotency();
    if (!existing) await store.commit();
    return store;
  }

  get file(): string {
    return this.persister.path;
  }

  /** Replaces everything with a fresh seed (the admin reset and `npm run sandbox:reset`). */
  async reset(): Promise<void> {
    this.state = seedState(this.seed);
    this.reindex();
    await this.commit();
  }

  commit(): Promise<void> {
    return this.persister.flush();
  }

  user(token: string) {
    return this.usersByToken.get(token);
  }

  users() {
    return this.state.users;
  }

  walletsOf(userToken: string): Wallet[] {
    return this.walletsByUser.get(userToken) ?? [];
  }

  wallet(userToken: string, walletToken: string): Wallet | undefined {
    return this.walletsOf(userToken).find((w) => w.token === walletToken);
  }

  rulesOf(walletToken: string) {
    return (this.state.rules[walletToken] ??= []);
  }

  historyOf(userToken: string) {
    return (this.state.history[userToken] ??= []);
  }

  pruneIdempotency(now = Date.now()) {
    for (const [key, record] of Object.entries(this.state.idempotency)) {
      if (now - Date.parse(record.created_at) > IDEMPOTENCY_TTL_MS) delete this.state.idempotency[key];
    }
  }

  private reindex() {
    this.usersByToken = new Map(this.state.users.map((u) => [u.user_token, u]));
    this.walletsByUser = new Map();
    for (const wallet of this.state.wallets) {
      const list = this.walletsByUser.get(wallet.user_token) ?? [];
      list.push(wallet);
      this.walletsByUser.set(wallet.user_token, list);
    }
  }
}
