// A wallet's own history (issue 14 items 6 and 7): the rule changes the console made to it, for every
// signed-in role, and the rules it knows were in force at a given moment (a payout's time).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  PROBLEM_TYPES,
  rulesAtQuerySchema,
  toRouterPath,
  userTokenSchema,
  WALLET_HISTORY_PAGE_SIZE,
  WALLET_HISTORY_ROUTES,
  walletHistoryQuerySchema,
  walletTokenSchema,
  zodFieldIssues,
  type AuditEntry,
  type AutopayRule,
  type RulesAt,
  type WalletHistoryPage,
} from '../../api';
import { underApiPrefix } from '../api-target';
import type { AuditStore } from '../audit/store';
import { sendProblem } from '../problem';
import type { MassPayClient } from './masspay';

/** Today's rules, with each change the console saw since `at` undone, newest first. */
export const rulesBefore = (rulesNow: readonly AutopayRule[], since: readonly AuditEntry[]): { rules: AutopayRule[]; uncertain: boolean } => {
  const rules = new Map(rulesNow.map((rule) => [rule.token, rule]));
  let uncertain = false;
  for (const entry of since) {
    if (entry.outcome === 'unknown') uncertain = true;
    if (entry.outcome !== 'succeeded' || !entry.ruleToken) continue;
    // A percentage change is its delete and create steps (entries of their own): undoing them is enough.
    if (entry.action === 'add_rule') {
      if (!rules.delete(entry.ruleToken)) uncertain = true;
    } else if (entry.action === 'delete_rule') {
      if (entry.destinationToken === null || entry.percentage === null) uncertain = true;
      else rules.set(entry.ruleToken, { token: entry.ruleToken, destination_token: entry.destinationToken, percentage: entry.percentage });
    }
  }
  return { rules: [...rules.values()].sort((a, b) => b.percentage - a.percentage || a.destination_token.localeCompare(b.destination_token)), uncertain };
};

export const registerWalletHistory = (
  app: FastifyInstance,
  { audit, masspay, staffName }: { audit: AuditStore; masspay: MassPayClient; staffName: (email: string) => string | null },
) => {
  /** The wallet named by the path, or the 400 that says which token is malformed. */
  const walletOf = (request: FastifyRequest, reply: FastifyReply) => {
    const params = request.params as Record<string, string>;
    const user = userTokenSchema.safeParse(params.user_token);
    const wallet = walletTokenSchema.safeParse(params.wallet_token);
    if (user.success && wallet.success) return { userToken: user.data, walletToken: wallet.data };
    sendProblem(request, reply, 400, {
      type: PROBLEM_TYPES.validation,
      detail: 'A token in the path is malformed.',
      issues: [
        ...(user.success ? [] : [{ field: 'user_token', message: 'Not a user token' }]),
        ...(wallet.success ? [] : [{ field: 'wallet_token', message: 'Not a wallet token' }]),
      ],
    });
    return undefined;
  };

  app.get(underApiPrefix(toRouterPath(WALLET_HISTORY_ROUTES.history)), async (request, reply): Promise<WalletHistoryPage | FastifyReply> => {
    const wallet = walletOf(request, reply);
    if (!wallet) return reply;
    const query = walletHistoryQuerySchema.safeParse(request.query);
    if (!query.success)
      return sendProblem(request, reply, 400, { type: PROBLEM_TYPES.validation, detail: 'The page is not valid.', issues: zodFieldIssues(query.error) });
    const page = query.data.page ?? 1;
    const { entries, total } = await audit.list(
      { user: wallet.userToken, wallet: wallet.walletToken, changesOnly: true },
      { page, limit: WALLET_HISTORY_PAGE_SIZE },
    );
    return { entries: entries.map((entry) => ({ ...entry, staffName: staffName(entry.staffEmail) })), total, page, limit: WALLET_HISTORY_PAGE_SIZE };
  });

  app.get(underApiPrefix(toRouterPath(WALLET_HISTORY_ROUTES.rulesAt)), async (request, reply): Promise<RulesAt | FastifyReply> => {
    const wallet = walletOf(request, reply);
    if (!wallet) return reply;
    const query = rulesAtQuerySchema.safeParse(request.query);
    if (!query.success)
      return sendProblem(request, reply, 400, { type: PROBLEM_TYPES.validation, detail: 'The time is not valid.', issues: zodFieldIssues(query.error) });
    const at = new Date(query.data.at).toISOString();
    const [first] = await audit.sql.query<{ at: string | null }>(
      `SELECT to_char(min(at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at FROM audit_log`,
    );
    const recordsSince = first?.at ?? null;
    if (recordsSince === null || Date.parse(recordsSince) > Date.parse(at)) return { at, known: false, rules: null, recordsSince, uncertain: false };

    let rulesNow;
    try {
      rulesNow = await masspay.listRules(wallet.userToken, wallet.walletToken, request.id);
    } catch {
      return sendProblem(request, reply, 502, {
        type: PROBLEM_TYPES.upstreamUnavailable,
        detail: "The wallet's rules could not be read from MassPay. Try again in a moment.",
      });
    }
    if (!rulesNow) return sendProblem(request, reply, 404, { type: PROBLEM_TYPES.notFound, detail: 'MassPay knows no such user or wallet.' });
    const since: AuditEntry[] = [];
    for await (const entry of audit.iterate({ user: wallet.userToken, wallet: wallet.walletToken, changesOnly: true })) {
      if (Date.parse(entry.at) <= Date.parse(at)) break;
      since.push(entry);
    }
    return { at, known: true, recordsSince, ...rulesBefore(rulesNow, since) };
  });
};
