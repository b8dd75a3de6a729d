// MassPay's card route (#5) answers the card's full number, CVV, PIN and expiry. The console needs
// none of them: brand and last four come from the wallet list; this route is read for what only it
// has — the card's status (e.g. closed) and balance. Those four values are blanked in MassPay's raw
// bytes before anything parses them, so no string, object or log line in this process ever holds
// them; then the allowed fields are picked, and the read is written to the audit log.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_TYPES, redactedCardSchema, type AuditOutcome, type RedactedCard } from '../api';
import type { ApiTarget } from './api-request';
import type { AuditStore } from './audit/store';
import { problemFromMassPay, sendProblem } from './problem';
import { UpstreamTimeoutError, UpstreamUnavailableError, type Upstream } from './upstream';

/** The members of MassPay's card answer that never leave its bytes. */
export const CARD_SECRET_FIELDS: ReadonlySet<string> = new Set(['card_number', 'cvv', 'pin_number', 'expiration_date']);

/** What the browser gets of a card: the members read, in this order, and nothing else. */
const CARD_FIELDS = ['type', 'status', 'balance'] as const;

const MAX_DEPTH = 32;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const isSpace = (byte: number | undefined) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

/**
 * Overwrites, in place in `bytes` (JSON, UTF-8), the value of every object member named in `names`, at
 * any depth, with `0` and spaces — byte by byte, without decoding the value. A member name is decoded
 * (escapes such as `"c\u0076v"` included) so no spelling slips past. Returns false when the bytes are
 * not JSON it can follow; then nothing should parse them.
 */
export const blankJsonMembers = (bytes: Buffer, names: ReadonlySet<string>): boolean => {
  let at = 0;
  const skipSpace = () => {
    while (isSpace(bytes[at])) at += 1;
  };
  /** From an opening quote to just past its closing one. */
  const string = (): boolean => {
    at += 1;
    while (at < bytes.length) {
      const byte = bytes[at]!;
      if (byte === BACKSLASH) at += 2;
      else if (byte === QUOTE) {
        at += 1;
        return true;
      } else if (byte < 0x20) return false;
      else at += 1;
    }
    return false;
  };
  const value = (depth: number): boolean => {
    if (depth > MAX_DEPTH) return false;
    skipSpace();
    const first = bytes[at];
    if (first === QUOTE) return string();
    if (first === 0x7b /* { */) return object(depth + 1);
    if (first === 0x5b /* [ */) return array(depth + 1);
    // A number, true, false or null: up to the next structural byte or space.
    const start = at;
    while (at < bytes.length && !isSpace(bytes[at]) && bytes[at] !== 0x2c && bytes[at] !== 0x7d && bytes[at] !== 0x5d) at += 1;
    return at > start;
  };
  const object = (depth: number): boolean => {
    at += 1;
    skipSpace();
    if (bytes[at] === 0x7d) {
      at += 1;
      return true;
    }
    for (;;) {
      skipSpace();
      if (bytes[at] !== QUOTE) return false;
      const nameStart = at;
      if (!string()) return false;
      let name: unknown;
      try {
        name = JSON.parse(bytes.toString('utf8', nameStart, at));
      } catch {
        return false;
      }
      skipSpace();
      if (bytes[at] !== 0x3a /* : */) return false;
      at += 1;
      skipSpace();
      const valueStart = at;
      if (!value(depth)) return false;
      if (names.has(name as string)) {
        bytes[valueStart] = 0x30; // '0'
        bytes.fill(0x20, valueStart + 1, at);
      }
      skipSpace();
      if (bytes[at] === 0x2c) at += 1;
      else if (bytes[at] === 0x7d) {
        at += 1;
        return true;
      } else return false;
    }
  };
  const array = (depth: number): boolean => {
    at += 1;
    skipSpace();
    if (bytes[at] === 0x5d) {
      at += 1;
      return true;
    }
    for (;;) {
      if (!value(depth)) return false;
      skipSpace();
      if (bytes[at] === 0x2c) at += 1;
      else if (bytes[at] === 0x5d) {
        at += 1;
        return true;
      } else return false;
    }
  };
  if (!value(0)) return false;
  skipSpace();
  return at === bytes.length;
};

/** Drops the secret members as JSON.parse builds each object, should one ever get past the blanking. */
export const cardReviver = (key: string, value: unknown) => (CARD_SECRET_FIELDS.has(key) ? undefined : value);

/**
 * MassPay's card answer → type, status and balance, or `undefined` when it is not a card answer the
 * console can read. The secrets are blanked in `body` itself (it is MassPay's buffer, used for nothing
 * else) before it is decoded, and the buffer is zeroed after.
 */
export const readCardAnswer = (body: Buffer): RedactedCard | undefined => {
  try {
    if (!blankJsonMembers(body, CARD_SECRET_FIELDS)) return undefined;
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'), cardReviver);
    } catch {
      return undefined;
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
    const picked = Object.fromEntries(CARD_FIELDS.map((name) => [name, (json as Record<string, unknown>)[name]]));
    const card = redactedCardSchema.safeParse(picked);
    return card.success ? card.data : undefined;
  } finally {
    body.fill(0);
  }
};

/**
 * `GET /api/payout/wallet/{user}/{wallet}/card`: MassPay asked (reads are retried by the upstream), its
 * answer reduced to type, status and balance, and the read recorded — `succeeded`, `refused` (MassPay's
 * 4xx) or `failed` — before the client hears it. A read that cannot be recorded is not answered (503).
 */
export const createCardReader =
  ({ upstream, apiKey, timeoutMs, audit }: { upstream: Upstream; apiKey: string; timeoutMs: number; audit: AuditStore }) =>
  async (request: FastifyRequest, reply: FastifyReply, target: ApiTarget) => {
    const record = async (outcome: AuditOutcome, masspayStatus: number | null) => {
      const staff = request.staff!;
      await audit.append({
        staffEmail: staff.email,
        staffRole: staff.role,
        action: 'read_card',
        userToken: target.params.user_token!,
        walletToken: target.params.wallet_token!,
        destinationToken: null,
        percentage: null,
        ruleToken: null,
        idempotencyKey: null,
        masspayStatus,
        outcome,
        requestId: request.id,
      });
    };
    /** Records the read, then answers; when the log cannot take it, 503 and nothing of the card. */
    const recordThen = async (outcome: AuditOutcome, masspayStatus: number | null, answer: () => unknown) => {
      try {
        await record(outcome, masspayStatus);
      } catch (error) {
        request.log.error({ err: error }, 'audit log: a card read could not be recorded');
        return sendProblem(request, reply, 503, {
          type: PROBLEM_TYPES.auditUnavailable,
          title: 'Audit log unavailable',
          detail: 'Card reads are recorded, and this one could not be. Try again in a moment.',
        });
      }
      return answer();
    };

    let response;
    try {
      response = await upstream.send({
        method: 'GET',
        path: target.path,
        route: 'getCard',
        headers: { authorization: `Bearer ${apiKey}`, accept: 'application/json', 'x-request-id': request.id, 'user-agent': 'masspay-wallet-console' },
      });
    } catch (error) {
      if (!(error instanceof UpstreamTimeoutError || error instanceof UpstreamUnavailableError)) throw error;
      request.log.warn({ route: target.id, upstream: error.message }, 'MassPay did not answer');
      return recordThen('failed', null, () =>
        error instanceof UpstreamTimeoutError
          ? sendProblem(request, reply, 504, {
              type: PROBLEM_TYPES.upstreamTimeout,
              detail: `MassPay did not answer within ${Math.round(timeoutMs / 100) / 10} s. Try again in a moment.`,
            })
          : sendProblem(request, reply, 502, { type: PROBLEM_TYPES.upstreamUnavailable, detail: 'MassPay could not be reached. Try again in a moment.' }),
      );
    }

    request.log.debug({ route: target.id, upstreamStatus: response.status }, 'upstream answered');
    if (response.status >= 400) {
      const problem = problemFromMassPay(response.status, response.body);
      response.body.fill(0);
      return recordThen(response.status < 500 ? 'refused' : 'failed', response.status, () => sendProblem(request, reply, response.status, problem));
    }
    const readable = response.status >= 200 && response.status < 300 && response.contentType.startsWith('application/json');
    if (!readable) response.body.fill(0);
    const card = readable ? readCardAnswer(response.body) : undefined;
    if (!card) {
      return recordThen('failed', response.status, () =>
        sendProblem(request, reply, 502, { type: PROBLEM_TYPES.upstreamInvalid, detail: 'MassPay sent a card answer the console cannot read.' }),
      );
    }
    return recordThen('succeeded', response.status, () => reply.code(200).send(card));
  };
