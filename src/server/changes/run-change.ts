// The frame every rule change runs in: its reason read, its Idempotency-Key claimed (or its first answer
// replayed), the wallet locked, and the answer kept for the key before the client hears it.
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import {
  CHANGE_REASON_HEADER,
  changeReasonSchema,
  IDEMPOTENT_REPLAYED_HEADER,
  PROBLEM_CONTENT_TYPE,
  PROBLEM_TYPES,
  idempotencyKeySchema,
  type ChangeReasonMode,
  type FieldIssue,
  type StaffRole,
} from '../../api';
import type { AuditStore } from '../audit/store';
import { buildProblem, problemFromMassPay, sendProblem, type ProblemInput } from '../problem';
import { UpstreamTimeoutError, UpstreamUnavailableError, type UpstreamResponse } from '../upstream';
import { recordStep, type ChangeContext, type ChangeStep } from './audit';
import type { IdempotencyRecord } from './idempotency';
import type { Settling } from './settling';
import { requestFingerprint } from './idempotency';
import { MassPayReadError } from './masspay';
import { WalletBusyError, type WalletLocks } from './wallet-locks';

/** What a change answers, and what its Idempotency-Key keeps of it. */
export interface Answer {
  status: number;
  contentType: string;
  body: string;
  /** `done`: replayed to every later request with the key; `unknown`: the next one re-reads and decides; `release`: the key is free again. */
  keep: 'done' | 'unknown' | 'release';
  /** Sent as `Retry-After` (never kept: only answers that are not replayed carry it). */
  retryAfterSeconds?: number;
}

export const jsonAnswer = (status: number, value: unknown, keep: Answer['keep'] = 'done'): Answer => ({
  status,
  contentType: 'application/json; charset=utf-8',
  body: JSON.stringify(value),
  keep,
});

export const problemAnswer = (request: FastifyRequest, status: number, input: ProblemInput, keep: Answer['keep']): Answer => ({
  status,
  contentType: PROBLEM_CONTENT_TYPE,
  body: JSON.stringify(buildProblem(request, status, input)),
  keep,
});

/** The console's policy refused the change on fresh data: 409, nothing sent, the key free again. */
export const policyAnswer = (request: FastifyRequest, violation: { detail: string; issues: FieldIssue[] }): Answer =>
  problemAnswer(
    request,
    409,
    { type: PROBLEM_TYPES.policy, title: 'The change does not fit this wallet', detail: violation.detail, issues: violation.issues },
    'release',
  );

/** How one MassPay write ended, as far as the console can tell. */
export type Sent =
  | { kind: 'answered'; response: UpstreamResponse }
  /** The connection was never made: MassPay cannot have acted. */
  | { kind: 'unreached' }
  /** No answer in time, or the connection broke after the request went out: MassPay may or may not have acted. */
  | { kind: 'timeout' }
  | { kind: 'interrupted' };

export const sendWrite = async (write: () => Promise<UpstreamResponse>): Promise<Sent> => {
  try {
    return { kind: 'answered', response: await write() };
  } catch (error) {
    if (error instanceof UpstreamTimeoutError) return { kind: 'timeout' };
    if (error instanceof UpstreamUnavailableError) return { kind: error.mayHaveArrived ? 'interrupted' : 'unreached' };
    throw error;
  }
};

/** The audit outcome of a write. */
export const outcomeOfSent = (sent: Sent): ChangeStep['outcome'] => {
  if (sent.kind === 'unreached') return 'failed';
  if (sent.kind !== 'answered') return 'unknown';
  const { status } = sent.response;
  return status < 300 ? 'succeeded' : status < 500 ? 'refused' : 'failed';
};

const SAFE_AGAIN = 'It is safe to try again: the same request is never carried out twice.';

/** The answer to a write that did not succeed (a 2xx is the caller's to answer). */
export const failedWriteAnswer = (
  request: FastifyRequest,
  sent: Exclude<Sent, { kind: 'answered' }> | { kind: 'answered'; response: UpstreamResponse },
  timeoutMs: number,
): Answer => {
  switch (sent.kind) {
    case 'unreached':
      return problemAnswer(
        request,
        502,
        { type: PROBLEM_TYPES.upstreamUnavailable, detail: 'MassPay could not be reached, so nothing was changed. Try again in a moment.' },
        'release',
      );
    case 'timeout':
      return problemAnswer(
        request,
        504,
        {
          type: PROBLEM_TYPES.upstreamTimeout,
          detail: `MassPay did not answer within ${Math.round(timeoutMs / 100) / 10} s, so the change may or may not have been made. ${SAFE_AGAIN}`,
        },
        'unknown',
      );
    case 'interrupted':
      return problemAnswer(
        request,
        502,
        {
          type: PROBLEM_TYPES.upstreamInterrupted,
          detail: `The connection to MassPay broke after the change was sent, so it may or may not have been made. ${SAFE_AGAIN}`,
        },
        'unknown',
      );
    case 'answered': {
      const { status, body } = sent.response;
      // MassPay's 5xx may or may not have acted; a refusal is final, unless it asks to come back later.
      const keep = status >= 500 ? 'unknown' : status === 409 || status === 429 ? 'release' : 'done';
      if (status >= 300 && status < 400)
        return problemAnswer(request, 502, { type: PROBLEM_TYPES.upstreamInvalid, detail: `MassPay sent an unexpected answer (${status}).` }, 'unknown');
      return problemAnswer(request, status, problemFromMassPay(status, body), keep);
    }
  }
};

/** A read before the change failed: nothing was changed, and the key is free again. */
export const failedReadAnswer = (request: FastifyRequest, error: unknown, timeoutMs: number): Answer => {
  if (error instanceof UpstreamTimeoutError) {
    return problemAnswer(
      request,
      504,
      {
        type: PROBLEM_TYPES.upstreamTimeout,
        detail: `MassPay did not answer within ${Math.round(timeoutMs / 100) / 10} s, so nothing was changed. Try again in a moment.`,
      },
      'release',
    );
  }
  if (error instanceof UpstreamUnavailableError) {
    return problemAnswer(
      request,
      502,
      { type: PROBLEM_TYPES.upstreamUnavailable, detail: 'MassPay could not be reached, so nothing was changed. Try again in a moment.' },
      'release',
    );
  }
  if (error instanceof MassPayReadError && error.response.status >= 400) {
    return problemAnswer(request, error.response.status, problemFromMassPay(error.response.status, error.response.body), 'release');
  }
  if (error instanceof MassPayReadError) {
    return problemAnswer(
      request,
      502,
      { type: PROBLEM_TYPES.upstreamInvalid, detail: 'MassPay sent an answer the console cannot read, so nothing was changed.' },
      'release',
    );
  }
  throw error;
};

export interface ChangeFrameDeps {
  audit: AuditStore;
  locks: WalletLocks;
  idempotency: IdempotencyRecord;
  reasonMode: ChangeReasonMode;
  settling: Settling;
}

export interface ChangeMode {
  reconcile: boolean;
  changeId: string | null;
  unsettledMs: number;
  /** The change request a second person approved (src/server/approvals), or null: the change may need one. */
  approvalId: string | null;
}

/** While an unanswered write to the wallet may still land: nothing sent, try again when it cannot. */
export const unsettledAnswer = (request: FastifyRequest, unsettledMs: number, { reconcile }: { reconcile: boolean }): Answer => {
  const seconds = Math.ceil(unsettledMs / 1000);
  const answer = reconcile
    ? problemAnswer(
        request,
        409,
        {
          type: PROBLEM_TYPES.idempotencyInFlight,
          detail: `MassPay has not confirmed the first attempt of this change and may still carry it out. Nothing more was sent; try again in ${seconds} s to get its outcome.`,
        },
        'unknown',
      )
    : problemAnswer(
        request,
        409,
        {
          type: PROBLEM_TYPES.walletBusy,
          detail: `An earlier change to this wallet got no answer from MassPay and may still be carried out. Nothing was changed; try again in ${seconds} s.`,
        },
        'release',
      );
  return { ...answer, retryAfterSeconds: seconds };
};

export interface ChangeSpec {
  userToken: string;
  walletToken: string;
  /** Route, tokens, query and body: what makes a repeat "the same request" for the Idempotency-Key. */
  fingerprint: unknown;
  /** What a replay records in the audit log. */
  replayStep: Omit<ChangeStep, 'outcome' | 'masspayStatus'>;
  /**
   * The change itself, under the wallet's lock. `reconcile`: an earlier attempt's outcome is unknown.
   * `unsettledMs` (then always a reconcile: the frame answers other changes itself): a write to the
   * wallet that MassPay did not answer may still land for this long, so nothing may be decided on the
   * rules but that the earlier attempt landed (see settling.ts).
   */
  work: (context: ChangeContext, mode: ChangeMode) => Promise<Answer>;
}

/** The reason header: absent, or percent-encoded UTF-8 of at most 200 characters. */
const readReason = (header: string | string[] | undefined): { reason: string | null } | { problem: string } => {
  if (header === undefined) return { reason: null };
  if (Array.isArray(header)) return { problem: 'Send one X-Change-Reason header, not several.' };
  let decoded: string;
  try {
    decoded = decodeURIComponent(header);
  } catch {
    return { problem: 'X-Change-Reason must be percent-encoded UTF-8.' };
  }
  const parsed = changeReasonSchema.safeParse(decoded);
  if (!parsed.success) return { problem: parsed.error.issues[0]?.message ?? 'The reason is not valid.' };
  // Control characters would make a log line or a CSV cell lie about what was typed.
  // eslint-disable-next-line no-control-regex -- exactly the characters refused
  if (/[\u0000-\u001f\u007f]/.test(parsed.data)) return { problem: 'A reason is one line of text, without control characters.' };
  return { reason: parsed.data === '' ? null : parsed.data };
};

/** Who asks for a change, why, and under which Idempotency-Key. */
export interface ChangeOrigin {
  staff: { email: string; role: StaffRole };
  reason: string | null;
  key: string;
  /** The key is kept in the console's record (a client's own key, or an approval's): a repeat is the same change. */
  recorded: boolean;
  /** A second person approved this very change (src/server/approvals): it is carried out, not sent for approval again. */
  approvalId?: string;
}

/**
 * Carrying out a change with its origin given reads only the request's id and its logger: work that
 * runs on its own (an approved change a sweep finishes, a bulk job's row) passes this for a request.
 */
export const backgroundRequest = (id: string, log: FastifyBaseLogger) => ({ id, log }) as unknown as FastifyRequest;

/** An answer, and whether it is the first answer of its key repeated. */
export type ChangeAnswer = Answer & { replayed?: boolean };

/** The request's reason, Idempotency-Key and staff member, or the 400 that says what is wrong with them. */
const readOrigin = (deps: ChangeFrameDeps, request: FastifyRequest): ChangeOrigin | { problem: ProblemInput } => {
  const staff = request.staff!;
  const reason = readReason(request.headers[CHANGE_REASON_HEADER]);
  if ('problem' in reason)
    return { problem: { type: PROBLEM_TYPES.validation, detail: reason.problem, issues: [{ field: 'reason', message: reason.problem }] } };
  if (deps.reasonMode === 'required' && reason.reason === null) {
    return {
      problem: {
        type: PROBLEM_TYPES.validation,
        detail: 'This console requires a reason for every change.',
        issues: [{ field: 'reason', message: 'Give a reason or a ticket reference' }],
      },
    };
  }
  const clientKey = request.headers['idempotency-key'];
  if (clientKey !== undefined && !idempotencyKeySchema.safeParse(clientKey).success) {
    return {
      problem: {
        type: PROBLEM_TYPES.validation,
        detail: 'The Idempotency-Key header is malformed.',
        issues: [{ field: 'Idempotency-Key', message: 'must be 1–255 printable characters, e.g. a UUID' }],
      },
    };
  }
  // A key the client chose is the client's promise that a repeat is the same change: it is kept.
  // Without one, the console's own key only reaches MassPay; there is nothing a repeat could match.
  return { staff, reason: reason.reason, key: (clientKey as string | undefined) ?? randomUUID(), recorded: clientKey !== undefined };
};

/** A change asked for over HTTP: its origin read from the request, then carried out and answered. */
export const runChange = async (deps: ChangeFrameDeps, request: FastifyRequest, reply: FastifyReply, spec: ChangeSpec) => {
  const origin = readOrigin(deps, request);
  if ('problem' in origin) return sendProblem(request, reply, 400, origin.problem);
  const answer = await executeChange(deps, request, spec, origin);
  if (answer.replayed) reply.header(IDEMPOTENT_REPLAYED_HEADER, 'true');
  if (answer.retryAfterSeconds) reply.header('retry-after', String(answer.retryAfterSeconds));
  return reply.code(answer.status).type(answer.contentType).send(answer.body);
};

/**
 * Carries out one change for `origin`: its key claimed (or its first answer replayed), the wallet
 * locked, the change's own work, and the answer kept for the key. Used by `runChange` and by an
 * approval, which carries out a change another staff member asked for.
 */
export const executeChange = async (deps: ChangeFrameDeps, request: FastifyRequest, spec: ChangeSpec, origin: ChangeOrigin): Promise<ChangeAnswer> => {
  const { key, recorded } = origin;
  const context: ChangeContext = {
    staffEmail: origin.staff.email,
    staffRole: origin.staff.role,
    requestId: request.id,
    reason: origin.reason,
    // An approved change's steps carry its request's id, beside the request's own entries.
    changeId: origin.approvalId ?? null,
    idempotencyKey: key,
    userToken: spec.userToken,
    walletToken: spec.walletToken,
  };
  const auditUnavailable = () =>
    problemAnswer(
      request,
      503,
      {
        type: PROBLEM_TYPES.auditUnavailable,
        title: 'Audit log unavailable',
        detail: 'The change could not be recorded, so it was not sent to MassPay. Nothing changed; try again in a moment.',
      },
      'release',
    );

  let mode = { reconcile: false, changeId: null as string | null, approvalId: origin.approvalId ?? null };
  const wallet = `${spec.userToken}/${spec.walletToken}`;
  if (recorded) {
    let claim;
    try {
      claim = await deps.idempotency.claim(key, requestFingerprint(spec.fingerprint));
    } catch (error) {
      request.log.error({ err: error }, 'idempotency record: the key could not be claimed; MassPay was not asked');
      return auditUnavailable();
    }
    if (claim.kind === 'mismatch') {
      return problemAnswer(
        request,
        422,
        {
          type: PROBLEM_TYPES.idempotencyMismatch,
          detail: 'This Idempotency-Key was already used for a different change. Use a new key for a new change.',
          issues: [{ field: 'Idempotency-Key', message: 'already used for a different change' }],
        },
        'release',
      );
    }
    if (claim.kind === 'in-flight') {
      const busy = problemAnswer(
        request,
        409,
        {
          type: PROBLEM_TYPES.idempotencyInFlight,
          detail: 'The first attempt of this very change is still running. Try again in a moment: you will get its answer.',
        },
        'release',
      );
      return { ...busy, retryAfterSeconds: 1 };
    }
    if (claim.kind === 'replay') {
      try {
        await recordStep(deps.audit, { ...context, changeId: claim.changeId }, { ...spec.replayStep, outcome: 'replayed', masspayStatus: null });
      } catch (error) {
        request.log.error({ err: error }, 'audit log: a replay could not be recorded');
      }
      return { ...claim.answer, keep: 'done', replayed: true };
    }
    mode = { ...mode, reconcile: claim.kind === 'reconcile', changeId: claim.kind === 'reconcile' ? claim.changeId : null };
  }

  let answer: Answer;
  try {
    answer = await deps.locks.run(wallet, async () => {
      const unsettledMs = await deps.settling.remainingMs(wallet);
      // A write to this wallet may still land: any other change waits, before MassPay is even read;
      // only a retry of that very change goes on, to see whether it landed.
      if (unsettledMs > 0 && !mode.reconcile) return unsettledAnswer(request, unsettledMs, { reconcile: false });
      return spec.work(context, { ...mode, unsettledMs });
    });
  } catch (error) {
    if (error instanceof WalletBusyError) {
      if (recorded)
        await deps.idempotency
          .release(key)
          .catch((releaseError: unknown) => request.log.error({ err: releaseError }, 'idempotency record: a key could not be released'));
      const busy = problemAnswer(
        request,
        409,
        { type: PROBLEM_TYPES.walletBusy, detail: 'Another change to this wallet is in progress. Nothing was changed; try again in a moment.' },
        'release',
      );
      return { ...busy, retryAfterSeconds: error.retryAfterSeconds };
    }
    if (error instanceof AuditWriteError) {
      if (recorded) await deps.idempotency.release(key).catch(() => {});
      request.log.error({ err: error.cause }, 'audit log: a change could not be recorded; MassPay was not asked');
      return auditUnavailable();
    }
    // Whatever happened, MassPay may have acted: the next attempt with this key re-reads and decides.
    if (recorded) await deps.idempotency.unknown(key).catch(() => {});
    throw error;
  }

  if (recorded) {
    try {
      if (answer.keep === 'done') await deps.idempotency.done(key, answer);
      else if (answer.keep === 'unknown') await deps.idempotency.unknown(key);
      else await deps.idempotency.release(key);
    } catch (error) {
      // The change's outcome stands and the client hears it; a repeat then finds the key running until its lease ends.
      request.log.error({ err: error }, 'idempotency record: an outcome could not be kept');
    }
  }
  return answer;
};

/** The `requested` entry could not be written, so MassPay was not asked (→ 503). */
export class AuditWriteError extends Error {}

/** Appends a step that must be in the log before MassPay is asked. */
export const recordBeforeAsking = async (audit: AuditStore, context: ChangeContext, step: ChangeStep) => {
  try {
    await recordStep(audit, context, step);
  } catch (error) {
    throw new AuditWriteError('audit log unavailable', { cause: error });
  }
};

/**
 * Appends what a reconcile found (an earlier attempt under the key made the change). That attempt
 * may have recorded it itself and died before its key's record was completed: then it is not
 * recorded twice. The key's claim and the wallet's lock keep every other writer of it out meanwhile.
 */
export const recordReconciledOutcome = async (audit: AuditStore, request: FastifyRequest, context: ChangeContext, step: ChangeStep) => {
  const key = step.idempotencyKey === undefined ? context.idempotencyKey : step.idempotencyKey;
  try {
    if (key && (await audit.hasOutcome(key, step.action, step.outcome))) return;
  } catch (error) {
    request.log.error({ err: error }, 'audit log: an earlier outcome could not be looked up; recording it');
  }
  await recordOutcome(audit, request, context, step);
};

/** Appends an outcome: MassPay has already acted, so the client must still hear how (the failure is logged). */
export const recordOutcome = async (audit: AuditStore, request: FastifyRequest, context: ChangeContext, step: ChangeStep) => {
  try {
    await recordStep(audit, context, step);
  } catch (error) {
    request.log.error({ err: error, audit: { ...step } }, 'audit log: an outcome could not be recorded');
  }
};
