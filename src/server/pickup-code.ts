// `POST /api/console/users/{user}/wallets/{wallet}/transactions/{transaction}/pickup-code` `{"day": "YYYY-MM-DD"}`
// → `{"pickup_code": "…"}`. History answers carry a cash pickup's code masked (routes.ts); an editor or
// admin reveals one here, and each reveal is recorded before the code is sent. A viewer is refused by
// the guard (403), and that refusal is recorded too (recordForbiddenReveal).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod/mini';
import {
  PROBLEM_TYPES,
  REVEAL_PICKUP_CODE_ROUTE,
  revealPickupCodeInputSchema,
  toRouterPath,
  transactionTokenSchema,
  userTokenSchema,
  walletTokenSchema,
  zodFieldIssues,
  type AuditOutcome,
  type FieldIssue,
  type RevealPickupCodeResult,
} from '../api';
import { refuse } from './api-request';
import { underApiPrefix } from './api-target';
import { answerOnceRecorded, recordAct } from './audited-answer';
import type { AuditStore } from './audit/store';
import { auditOutcomeOf, type MassPayReader } from './masspay-read';
import { sendProblem } from './problem';

/** The raw path, its tokens still encoded: nothing decoded is trusted. */
const PATH = /^\/api\/console\/users\/([^/?#%\\]+)\/wallets\/([^/?#%\\]+)\/transactions\/([^/?#%\\]+)\/pickup-code(\?.*)?$/;
const REVEAL_PICKUP_CODE_ROUTER_PATH = toRouterPath(REVEAL_PICKUP_CODE_ROUTE);

/** One day of one wallet is read in pages of this size, at most this many pages (MassPay gives no total). */
const PAGE_SIZE = 100;
const MAX_PAGES = 10;

/** All the server reads of each history row. */
const rowsSchema = z.array(z.object({ token: z.string(), destination_token: z.optional(z.string()), pickup_code: z.optional(z.string()) }));

const WHAT = 'Pickup code reveals';

type PathTokens = { error: string; issues?: FieldIssue[] } | { userToken: string; walletToken: string; transactionToken: string; hasQuery: boolean };

/** The three tokens of the raw path, or why it is malformed. */
const readTokens = (url: string): PathTokens => {
  const match = PATH.exec(url);
  if (!match) return { error: 'The path holds an encoded character, a backslash, or an empty segment.' };
  const parsed = [userTokenSchema.safeParse(match[1]), walletTokenSchema.safeParse(match[2]), transactionTokenSchema.safeParse(match[3])] as const;
  const issues = parsed.flatMap((result, index) =>
    result.success ? [] : zodFieldIssues(result.error).map((issue) => ({ ...issue, field: ['user_token', 'wallet_token', 'transaction_token'][index]! })),
  );
  if (issues.length > 0) return { error: 'A token in the path is malformed.', issues };
  return { userToken: parsed[0].data!, walletToken: parsed[1].data!, transactionToken: parsed[2].data!, hasQuery: match[4] !== undefined };
};

/** A viewer's reveal, refused by the guard, recorded like other refused acts (only well-formed ones: the log holds tokens). */
const recordForbiddenReveal = async (audit: AuditStore, request: FastifyRequest) => {
  const tokens = readTokens(request.raw.url!);
  if ('error' in tokens) return;
  try {
    await recordAct(audit, request, {
      action: 'reveal_pickup_code',
      userToken: tokens.userToken,
      walletToken: tokens.walletToken,
      ruleToken: tokens.transactionToken,
      outcome: 'forbidden',
      masspayStatus: null,
    });
  } catch (error) {
    request.log.error({ err: error }, 'audit log: a refused pickup-code reveal could not be recorded');
  }
};

export const registerPickupCodeReveal = (app: FastifyInstance, { audit, readMassPay }: { audit: AuditStore; readMassPay: MassPayReader }) => {
  const recordForbidden = async (request: FastifyRequest) => recordForbiddenReveal(audit, request);
  app.post(
    underApiPrefix(REVEAL_PICKUP_CODE_ROUTER_PATH),
    { bodyLimit: 1024, config: { permission: 'revealPickupCode', recordForbidden } },
    async (request: FastifyRequest, reply: FastifyReply) => {
      const tokens = readTokens(request.raw.url!);
      if ('error' in tokens) return refuse(request, reply, tokens.error, tokens.issues);
      if (tokens.hasQuery) return refuse(request, reply, 'This route takes no query.');
      const body = revealPickupCodeInputSchema.safeParse(request.body);
      if (!body.success) return refuse(request, reply, 'The request body is not valid.', zodFieldIssues(body.error));

      const { userToken, walletToken, transactionToken } = tokens;
      const answer = (outcome: AuditOutcome, masspayStatus: number | null, destinationToken: string | null, then: () => unknown) =>
        answerOnceRecorded(
          audit,
          request,
          reply,
          { action: 'reveal_pickup_code', userToken, walletToken, ruleToken: transactionToken, destinationToken, outcome, masspayStatus },
          WHAT,
          then,
        );
      const notFound = (detail: string) => () => sendProblem(request, reply, 404, { type: PROBLEM_TYPES.notFound, detail });

      // MassPay has no route for one transaction: the wallet's history of that day, page by page.
      for (let page = 1; page <= MAX_PAGES; page += 1) {
        const query = new URLSearchParams({
          wallet_token: walletToken,
          start_date: body.data.day,
          end_date: body.data.day,
          number_of_records: String(PAGE_SIZE),
          page: String(page),
        });
        const read = await readMassPay(request, `/payout/user/${userToken}/history?${query.toString()}`, 'getUserHistory');
        if (!read.ok) return answer(auditOutcomeOf(read), read.masspayStatus, null, () => sendProblem(request, reply, read.status, read.problem));
        const rows = rowsSchema.safeParse(read.json);
        if (!rows.success) {
          return answer('failed', read.status, null, () =>
            sendProblem(request, reply, 502, { type: PROBLEM_TYPES.upstreamInvalid, detail: 'MassPay sent a history the console cannot read.' }),
          );
        }
        const row = rows.data.find((candidate) => candidate.token === transactionToken);
        if (row) {
          const code = row.pickup_code;
          if (!code) return answer('refused', read.status, row.destination_token ?? null, notFound('This transaction has no pickup code.'));
          return answer('succeeded', read.status, row.destination_token ?? null, (): RevealPickupCodeResult => ({ pickup_code: code }));
        }
        if (rows.data.length < PAGE_SIZE) break;
      }
      return answer('refused', 200, null, notFound('This wallet has no transaction with this token on that day.'));
    },
  );
};
