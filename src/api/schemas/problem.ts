import { z } from 'zod/mini';

/**
 * The one error shape the console's server answers (RFC 9457 `application/problem+json`). `errors`
 * names fields (`percentage`, `destination_token`…) so a form can put each message under its field;
 * `source` tells a refusal by MassPay from one by the console itself.
 */
export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  detail: z.optional(z.string()),
  errors: z.optional(z.record(z.string(), z.array(z.string()))),
  source: z.optional(z.enum(['masspay', 'console'])),
  requestId: z.optional(z.string()),
});
export type Problem = z.infer<typeof problemSchema>;

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Problem types: stable identifiers the SPA may branch on. */
export const PROBLEM_TYPES = {
  validation: 'urn:masspay-console:problem:validation',
  notFound: 'urn:masspay-console:problem:not-found',
  methodNotAllowed: 'urn:masspay-console:problem:method-not-allowed',
  unsupportedMediaType: 'urn:masspay-console:problem:unsupported-media-type',
  tooLarge: 'urn:masspay-console:problem:payload-too-large',
  masspay: 'urn:masspay-console:problem:masspay',
  upstreamUnavailable: 'urn:masspay-console:problem:upstream-unavailable',
  upstreamTimeout: 'urn:masspay-console:problem:upstream-timeout',
  /** The connection to MassPay broke after a change was sent: it may or may not have been made. */
  upstreamInterrupted: 'urn:masspay-console:problem:upstream-interrupted',
  upstreamInvalid: 'urn:masspay-console:problem:upstream-invalid',
  internal: 'urn:masspay-console:problem:internal',
  /** No session, or it expired: sign in (again). */
  unauthenticated: 'urn:masspay-console:problem:unauthenticated',
  /** Signed in, but the role may not do this. */
  forbidden: 'urn:masspay-console:problem:forbidden',
  /** A state-changing request without the CSRF header or from another site. */
  crossSite: 'urn:masspay-console:problem:cross-site',
  tooManyAttempts: 'urn:masspay-console:problem:too-many-attempts',
  /** The audit log cannot be written: the change was not sent to MassPay. */
  auditUnavailable: 'urn:masspay-console:problem:audit-unavailable',
  /** The change would break the console's policy (cap, one rule per destination, currency, active wallet): 409. */
  policy: 'urn:masspay-console:problem:policy',
  /** Another change to the same wallet held it longer than the wait: 409 with Retry-After. */
  walletBusy: 'urn:masspay-console:problem:wallet-busy',
  /** The same Idempotency-Key while its first attempt still runs: 409. */
  idempotencyInFlight: 'urn:masspay-console:problem:idempotency-in-flight',
  /** The same Idempotency-Key with a different request: 422. */
  idempotencyMismatch: 'urn:masspay-console:problem:idempotency-mismatch',
  /** MassPay holds no date of birth for the payee: a caller cannot be verified by it (422). */
  callerUnverifiable: 'urn:masspay-console:problem:caller-unverifiable',
  /** A percentage change left half done (the old rule could not be re-created): the console finishes it. */
  changeIncomplete: 'urn:masspay-console:problem:change-incomplete',
  /** The console is shedding load (its event loop lags): 503 with Retry-After. */
  overloaded: 'urn:masspay-console:problem:overloaded',
  /** A decision on a change request already decided (or expired): 409. */
  alreadyDecided: 'urn:masspay-console:problem:already-decided',
  /** An approval of a change whose wallet's rules changed since it was asked for: 409 with both lists; confirm to approve. */
  staleApproval: 'urn:masspay-console:problem:stale-approval',
  /** A bulk job's action its status does not allow (start before its approval, pause a job that is not running…): 409. */
  bulkJobState: 'urn:masspay-console:problem:bulk-job-state',
} as const;

/** Problems after which a change may or may not have been made (the same Idempotency-Key makes retrying safe). */
export const OUTCOME_UNKNOWN_PROBLEMS: readonly string[] = [PROBLEM_TYPES.upstreamTimeout, PROBLEM_TYPES.upstreamInterrupted];
