import type { FastifyInstance } from 'fastify';
import type { RequestStats } from './app';
import { parseOr400 } from './errors';
import { faultSettingsSchema, type FaultInjector } from './faults';
import { policySettingSchema, type PolicyHolder } from './policy';
import type { Store } from './store';

/**
 * Sandbox-only controls under `/__sandbox` (same API key as the MassPay routes). The console's proxy
 * forwards `/payout/...` routes of its allow-list only, so these are never reachable through it.
 */
export const registerAdminRoutes = (
  app: FastifyInstance,
  { store, faults, stats, policy }: { store: Store; faults: FaultInjector; stats: RequestStats; policy: PolicyHolder },
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
  app.get('/__sandbox/policy', async () => ({ policy: policy.current }));
  app.put('/__sandbox/policy', async (request) => {
    policy.current = parseOr400(policySettingSchema, request.body, 'policy setting').policy;
    return { policy: policy.current };
  });
  // The policy is configuration, not state: a reset restores the seed and leaves it as it is.
  app.post('/__sandbox/reset', async () => {
    await store.reset();
    return { reset: true, seeded_at: store.state.seeded_at };
  });
};
