// Everything the SPA calls below `/api`, in one encapsulated Fastify context with that prefix: being
// routed here is what makes a request an API request — nothing else decides it. Its hooks (the API
// headers, then the session and role check) run for its routes only.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Permission, StaffMember } from '../api';
import { API_PREFIX } from './api-target';
import type { AuditStore } from './audit/store';
import { registerAuditRoutes } from './audit-routes';
import type { IdentityResolver } from './auth/identity';
import { registerApiGuard } from './auth/guard';
import { registerChanges, type ChangeOptions } from './changes';
import type { MassPayReader } from './masspay-read';
import { registerPickupCodeReveal } from './pickup-code';
import { answerUnknownApiRoute, PROXY_BODY_LIMIT, registerProxy } from './proxy';
import { registerApiHeaders } from './security';
import type { Upstream } from './upstream';
import { registerVerifyCaller } from './verify-caller';
import type { VerifyCallerLimits } from './verify-caller-limit';

/** Records a request refused by role in the audit log (a route's own: what its URL names). */
export type ForbiddenRecorder = (request: FastifyRequest, staff: StaffMember) => Promise<void>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set on every route of the `/api` plugin. */
    api?: true;
    /** The MassPay route (src/api/routes.ts) a route of the proxy serves. */
    routeId?: import('../api').RouteId;
    /** What the route needs beyond a session, when it is not reading (safe methods) or changing rules (the others). */
    permission?: Permission;
    /** How a request of this route refused by role is recorded; without it, nothing is. */
    recordForbidden?: ForbiddenRecorder;
  }
}

export interface ApiOptions {
  identify: IdentityResolver;
  /** Told of every refusal by role, before it is answered (app.ts: the limit, then the route's recorder). */
  onForbidden: (request: FastifyRequest, staff: StaffMember) => Promise<void>;
  upstream: Upstream;
  apiKey: string;
  timeoutMs: number;
  audit: AuditStore;
  changes: ChangeOptions;
  readMassPay: MassPayReader;
  verifyCaller?: VerifyCallerLimits;
}

export const registerApi = (app: FastifyInstance, options: ApiOptions) =>
  app.register(
    async (api) => {
      api.addHook('onRoute', (route) => void (route.config = { ...route.config, api: true }));
      api.decorateRequest('apiTarget', null);
      registerApiHeaders(api);
      registerApiGuard(api, { identify: options.identify, onForbidden: options.onForbidden });

      const { upstream, apiKey, timeoutMs, audit, readMassPay } = options;
      const changes = registerChanges(api, options.changes);
      registerProxy(api, { upstream, apiKey, timeoutMs, changes, audit });
      registerAuditRoutes(api, audit);
      // A payee's secrets the browser no longer gets in answers: checked (date of birth) or revealed (pickup codes) here, audited.
      registerVerifyCaller(api, { audit, readMassPay, limits: options.verifyCaller });
      registerPickupCodeReveal(api, { audit, readMassPay });
      // Whatever no route above matched: a route, not a not-found handler, so that no wildcard outside
      // (the SPA's static files at `/*`) can take it.
      api.all('/*', { bodyLimit: PROXY_BODY_LIMIT }, answerUnknownApiRoute);
      api.all('', { bodyLimit: PROXY_BODY_LIMIT }, answerUnknownApiRoute);
    },
    { prefix: API_PREFIX },
  );
