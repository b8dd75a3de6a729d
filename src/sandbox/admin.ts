import type { FastifyInstance } from 'fastify';
import type { RequestStats } from './app';
import { parseOr400 } from './errors';
import { faultSettingsSchema, type FaultInjector } from './faults';
import type { Store } from './store';

/**
 * Sandbox-only controls under `/__sandbox` (same API key as the MassPay routes). The console's proxy
 * forwards `/payout/...` routes of its allow-list only, so these are never reachable through it.
 */
export const registerAdminRoutes = (
  app: FastifyInstance,
  { store, faults, stats }: { store: Store; faults: FaultInjector; stats: RequestStats },
) => {
  app.get('/__sandbox/faults', async () => faults.settings);
  app.put('/__sandbox/faults', async (request) => {
    faults.set(parseOr400(faultSettingsSchema, request.body, 'fault settings'));
    return faults.settings;
  });
  app.delete('/__sandbox/faults', async () => {
    faults.clear();
    return faults.settings;
  });
  app.get('/__sandbox/stats', async () => ({ requests: stats.requests, byRoute: stats.byRoute }));
  app.delete('/__sandbox/stats', async () => {
    stats.reset();
    return { requests: 0, byRoute: {} };
  });
  app.post('/__sandbox/reset', async () => {
    await store.reset();
    return { reset: true, seeded_at: store.state.seeded_at };
  });
};
