// The console's Prometheus metrics. Each server has a Registry of its own (tests run several servers
// in one process); the process's own figures (event-loop lag, memory, GC) are one per process.
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { matchRoute, type AuditAction, type AuditOutcome } from '../../api';
import type { UpstreamOutcome } from '../upstream';
/** How a sign-in ended: signed in, wrong email or password, refused by the limits (429), or refused while busy (503). */
export type SignInResult = 'success' | 'failure' | 'throttled' | 'busy';

// Seconds; a proxied read is a few ms, MassPay's deadline is UPSTREAM_TIMEOUT_MS (10 s by default).
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** A MassPay path (and query) as its route id in src/api/routes.ts: a bounded label, never the path. */
const massPayRoute = (method: string, path: string) => {
  const match = matchRoute(method, path.split('?', 1)[0]!);
  return match.kind === 'route' ? match.id : 'other';
};

let processRegistry: Registry | undefined;
/** Default metrics register observers (GC, event-loop delay) that cannot be removed: made once, shared. */
const processMetrics = () => {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
};

export const createMetrics = () => {
  const registry = new Registry();
  const httpDuration = new Histogram({
    name: 'console_http_request_duration_seconds',
    help: 'HTTP requests the console answered, by route (an API route id or the matched route template), method and status.',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const massPayDuration = new Histogram({
    name: 'console_masspay_request_duration_seconds',
    help: 'Requests to MassPay (each attempt, retries included), by route id and outcome.',
    labelNames: ['route', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const auditWrites = new Counter({
    name: 'console_audit_writes_total',
    help: "Audit log entries written, by action, the entry's outcome, and whether the write succeeded (ok or error).",
    labelNames: ['action', 'outcome', 'result'] as const,
    registers: [registry],
  });
  const auditWriteDuration = new Histogram({
    name: 'console_audit_write_duration_seconds',
    help: 'Time to append (commit) one audit log entry.',
    labelNames: ['result'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const signIns = new Counter({
    name: 'console_sign_ins_total',
    help: 'Password sign-ins, by result: success, failure, throttled (429) or busy (503).',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  const ruleChanges = new Counter({
    name: 'console_rule_changes_total',
    help: 'Steps of autopay rule changes recorded in the audit log, by action and outcome (requested, succeeded, refused, failed, unknown, forbidden, …).',
    labelNames: ['action', 'outcome'] as const,
    registers: [registry],
  });

  return {
    contentType: registry.contentType,
    /** The exposition text: this server's metrics, then the process's. */
    render: async () => `${await registry.metrics()}\n${await processMetrics().metrics()}`,
    request: (route: string, method: string, status: number, seconds: number) => httpDuration.observe({ route, method, status }, seconds),
    /** `route`: the route id when the caller named it (every read does); otherwise found from the method and path. */
    massPay: (route: string | undefined, method: string, path: string, outcome: UpstreamOutcome, seconds: number) =>
      massPayDuration.observe({ route: route ?? massPayRoute(method, path), outcome }, seconds),
    auditWrite: (action: AuditAction, outcome: AuditOutcome, result: 'ok' | 'error', seconds: number) => {
      auditWrites.inc({ action, outcome, result });
      auditWriteDuration.observe({ result }, seconds);
    },
    signIn: (result: SignInResult) => signIns.inc({ result }),
    ruleChange: (action: AuditAction, outcome: AuditOutcome) => ruleChanges.inc({ action, outcome }),
  };
};
export type Metrics = ReturnType<typeof createMetrics>;
