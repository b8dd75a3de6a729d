// The one server-side path for every rule change (issue: "Rule changes the server itself keeps safe"):
// add and delete on MassPay's own paths, a percentage change on the console's, each serialized per
// wallet across replicas, judged by the console's policy on fresh data, and never made twice.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  CHANGE_ROUTES,
  changePercentageInputSchema,
  PROBLEM_TYPES,
  ruleTokenSchema,
  toRouterPath,
  userTokenSchema,
  walletTokenSchema,
  zodFieldIssues,
  type AutopayRuleInput,
  type ChangeReasonMode,
  type ConsoleSettings,
  type StaffMember,
} from '../../api';
import { refuse, type ApiTarget } from '../api-request';
import { underApiPrefix } from '../api-target';
import type { AuditStore } from '../audit/store';
import { sendProblem } from '../problem';
import type { ChangeHandler } from '../proxy';
import type { Upstream } from '../upstream';
import { addRuleSpec, deleteRuleSpec } from './add-and-delete';
import { recordForbiddenPercentageChange } from './audit';
import { changePercentageSpec } from './change-percentage';
import { createIdempotencyRecord } from './idempotency';
import { createMassPayClient } from './masspay';
import { createPlanStore } from './plans';
import { resumePlan, startRecovery } from './recovery';
import { registerWalletHistory } from './history';
import { executeChange, runChange } from './run-change';
import { noApproval, type ApprovalHooks, type ApprovalKit, type ApprovedChange } from './approval-gate';
import { createSettling } from './settling';
import { createWalletLocks } from './wallet-locks';

/** What the SPA must know of the change path's policy: `GET /api/console/settings`, and written into each page (spa.ts). */
export const consoleSettingsOf = (options: Pick<ChangeOptions, 'reasonMode' | 'approvals'>): ConsoleSettings => ({
  changeReason: options.reasonMode,
  approvalPolicy: options.approvals?.policyName ?? 'off',
});

export interface ChangeOptions {
  upstream: Upstream;
  apiKey: string;
  audit: AuditStore;
  timeoutMs: number;
  reasonMode: ChangeReasonMode;
  /** How long a change waits for its wallet before 409 wallet-busy. */
  lockWaitMs: number;
  /** How often open percentage changes left by a dead process are looked for. */
  recoveryIntervalMs?: number;
  /** How long after a write MassPay did not answer the console still expects it may land. */
  settleMs: number;
  /** Four-eyes approval (APPROVAL_POLICY); absent: nothing waits for a second person. */
  approvals?: ApprovalHooks;
  /** Bulk jobs (src/server/bulk): their routes and runner, given what they need of the change path (its reads, carrying out a change). */
  bulk?: { register: (app: FastifyInstance, kit: ApprovalKit) => void };
  /** A staff member's name by email, for a wallet's history (null: not in the staff directory now). */
  staffName?: (email: string) => string | null;
}

/** The raw path of a percentage change, split into its still-encoded tokens (nothing decoded is trusted). */
const CHANGE_PERCENTAGE_PATH = /^\/api\/console\/wallet\/([^/?#%\\]+)\/([^/?#%\\]+)\/autopayout\/([^/?#%\\]+)(\?.*)?$/;

/** Inside the `/api` plugin (`app` is its context): the percentage route, and the handler of adds and deletes for the proxy. */
export const registerChanges = (app: FastifyInstance, options: ChangeOptions): ChangeHandler => {
  const { audit, timeoutMs } = options;
  const masspay = createMassPayClient({ upstream: options.upstream, apiKey: options.apiKey });
  const locks = createWalletLocks({ db: audit.sql, waitMs: options.lockWaitMs });
  // A key still `in_flight` after this long belonged to an attempt that died with its replica.
  const idempotency = createIdempotencyRecord(audit.sql, { leaseMs: options.lockWaitMs + 6 * timeoutMs + 5_000 });
  const plans = createPlanStore(audit.sql);
  const settling = createSettling(audit.sql, { settleMs: options.settleMs, timeoutMs });
  const frame = { audit, locks, idempotency, reasonMode: options.reasonMode, settling };
  const deps = { audit, masspay, plans, timeoutMs, idempotency, settling, holdForApproval: options.approvals?.gate ?? noApproval };
  /** A change as the change path's spec for it: an add, a percentage change, or a delete. */
  const specOf = (request: FastifyRequest, change: ApprovedChange) => {
    const { userToken, walletToken } = change;
    if (change.action === 'add_rule') {
      const input = {
        destination_token: change.destinationToken,
        percentage: change.percentage!,
        ...(change.attrSetToken ? { attr_set_token: change.attrSetToken } : {}),
      };
      return addRuleSpec(deps, request, { userToken, walletToken, input, bodyJson: JSON.stringify(input) });
    }
    if (change.action === 'edit_rule') {
      const tokens = { userToken, walletToken, ruleToken: change.ruleToken! };
      return changePercentageSpec(deps, request, tokens, change.percentage!, (driver, plan) => resumePlan(deps, driver, plan));
    }
    return deleteRuleSpec(deps, request, { userToken, walletToken, ruleToken: change.ruleToken! });
  };
  registerWalletHistory(app, { audit, masspay, staffName: options.staffName ?? (() => null) });
  const kit: ApprovalKit = { masspay, execute: (request, change, origin) => executeChange(frame, request, specOf(request, change), origin) };
  options.approvals?.register(app, kit);
  options.bulk?.register(app, kit);

  const prune = () =>
    Promise.all([idempotency.prune(), settling.prune()]).then(
      () => {},
      (error: unknown) => app.log.error({ err: error }, 'idempotency record or unsettled wallets: pruning failed'),
    );
  const recovery = startRecovery({ ...deps, locks, log: app.log, afterSweep: prune }, options.recoveryIntervalMs ?? 15_000);
  // Open plans are taken up before the server listens.
  app.addHook('onReady', () => recovery.sweep());
  app.addHook('onClose', () => recovery.stop());

  const settings = consoleSettingsOf(options);
  app.get(underApiPrefix(CHANGE_ROUTES.settings), async (): Promise<ConsoleSettings> => settings);

  const recordForbidden = (request: FastifyRequest, staff: StaffMember) => recordForbiddenPercentageChange(audit, request, staff);
  app.patch(
    underApiPrefix(toRouterPath(CHANGE_ROUTES.changePercentage)),
    { bodyLimit: 1024, config: { recordForbidden } },
    async (request: FastifyRequest, reply: FastifyReply) => {
      const match = CHANGE_PERCENTAGE_PATH.exec(request.raw.url!);
      if (!match) return refuse(request, reply, 'The path holds an encoded character, a backslash, a query, or an empty or dot segment.');
      if (match[4] !== undefined) return refuse(request, reply, 'This route takes no query.');
      const user = userTokenSchema.safeParse(match[1]);
      const wallet = walletTokenSchema.safeParse(match[2]);
      const rule = ruleTokenSchema.safeParse(match[3]);
      if (!user.success || !wallet.success || !rule.success) {
        const issues = [user, wallet, rule].flatMap((result, index) =>
          result.success ? [] : zodFieldIssues(result.error).map((issue) => ({ ...issue, field: ['user_token', 'wallet_token', 'rule_token'][index]! })),
        );
        return refuse(request, reply, 'A token in the path is malformed.', issues);
      }
      const body = changePercentageInputSchema.safeParse(request.body);
      if (!body.success) return refuse(request, reply, 'The request body is not valid.', zodFieldIssues(body.error));
      const tokens = { userToken: user.data, walletToken: wallet.data, ruleToken: rule.data };
      return runChange(
        frame,
        request,
        reply,
        changePercentageSpec(deps, request, tokens, body.data.percentage, (driver, plan) => resumePlan(deps, driver, plan)),
      );
    },
  );

  return (request: FastifyRequest, reply: FastifyReply, target: ApiTarget) => {
    const { user_token: userToken, wallet_token: walletToken } = target.params as { user_token: string; wallet_token: string };
    if (target.id === 'createAutopayRule') {
      const input = target.body as AutopayRuleInput;
      return runChange(frame, request, reply, addRuleSpec(deps, request, { userToken, walletToken, input, bodyJson: target.bodyJson! }));
    }
    if (target.id === 'deleteAutopayRule') {
      return runChange(frame, request, reply, deleteRuleSpec(deps, request, { userToken, walletToken, ruleToken: (target.query as { token: string }).token }));
    }
    return sendProblem(request, reply, 404, { type: PROBLEM_TYPES.notFound, detail: 'The console does not serve this MassPay route.' });
  };
};
