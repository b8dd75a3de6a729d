// The dry run of a bulk job: each row resolved against MassPay (its user, the user's wallets, the
// wallet's rules, the destination's currency) with reads only, each distinct thing read once, at most
// 8 reads in flight; every row gets its verdict (verdicts.ts) and every wallet its rules before and
// after. Safe to run again from the start: the job's wallets and verdicts are written whole, at the end.
import type { FastifyBaseLogger } from 'fastify';
import { foundUserSchema, walletListSchema, type BulkRowInput, type RouteId, type Wallet } from '../../api';
import { rulesFingerprint } from '../approvals/store';
import type { SqlDb } from '../audit/db';
import { createMassPayClient, MassPayReadError } from '../changes/masspay';
import type { Upstream } from '../upstream';
import { boundedReads, BOUNDED_READ_DEFAULTS, type BoundedReadOptions } from './bounded-reads';
import { createBulkStore, type RowVerdict, type WalletPlan } from './store';
import { judgeWalletRows, type WalletRow } from './verdicts';

export interface DryRunDeps {
  db: SqlDb;
  upstream: Upstream;
  apiKey: string;
  log?: FastifyBaseLogger;
  /** An approval policy is on: a dry run with changes waits for a second person (`awaiting_approval`). */
  needsApproval?: boolean;
  reads?: Partial<Omit<BoundedReadOptions, 'signal'>>;
}

/** What a row could not be resolved to (no such user, or MassPay could not be read): the rows that needed it are refused with this. */
class Unresolved {
  constructor(readonly reason: string) {}
}

const unreadable = (error: unknown) => {
  const status = error instanceof MassPayReadError ? `it answered ${error.response.status}` : 'it did not answer';
  return new Unresolved(`MassPay could not be read for this row (${status}); upload the file again later.`);
};

const encode = encodeURIComponent;

/** Runs `read` once per distinct key, all at once (the bounded upstream keeps the number in flight). */
const readEach = async <T>(keys: Iterable<string>, read: (key: string) => Promise<T>): Promise<Map<string, T | Unresolved>> => {
  const unique = [...new Set(keys)];
  const values = await Promise.all(unique.map((key) => read(key).catch((error: unknown) => unreadable(error))));
  return new Map(unique.map((key, index) => [key, values[index]!]));
};

/** The wallet a row names: by token, or the user's first active USER_FUNDS wallet in the currency (where a load lands, DESIGN §3). */
const walletOf = (wallets: readonly Wallet[], input: BulkRowInput): Wallet | string => {
  if (input.wallet_token) return wallets.find((wallet) => wallet.token === input.wallet_token) ?? 'This user has no wallet with this token.';
  return (
    wallets.find((wallet) => wallet.type === 'USER_FUNDS' && wallet.active && wallet.currency_code === input.currency) ??
    `This user has no active USER_FUNDS wallet in ${input.currency}.`
  );
};

export const resolveJob = async (deps: DryRunDeps, jobId: string, signal: AbortSignal): Promise<void> => {
  const started = performance.now();
  const store = createBulkStore(deps.db, { pageSize: 1 });
  if ((await store.status(jobId)) !== 'resolving') return;
  const rows = await store.inputs(jobId);
  const upstream = boundedReads(deps.upstream, { ...BOUNDED_READ_DEFAULTS, ...deps.reads, signal });
  const masspay = createMassPayClient({ upstream, apiKey: deps.apiKey });
  const requestId = `bulk-dry-run-${jobId}`;
  const headers = { authorization: `Bearer ${deps.apiKey}`, accept: 'application/json', 'x-request-id': requestId, 'user-agent': 'masspay-wallet-console' };
  /** A 200 parsed by `parse`; a 404 is undefined; anything else throws. */
  const read = async <T>(path: string, route: RouteId, parse: (json: unknown) => T | undefined): Promise<T | undefined> => {
    const response = await upstream.send({ method: 'GET', path, route, headers });
    if (response.status === 404) return undefined;
    let json: unknown;
    try {
      json = JSON.parse(response.body.toString('utf8'));
    } catch {
      json = undefined;
    }
    const value = response.status === 200 ? parse(json) : undefined;
    if (value === undefined) throw new MassPayReadError(response);
    return value;
  };

  // 1. Users: an internal user ID looked up; a user token is known by its wallet list (404: no such user).
  const found = await readEach(
    rows.flatMap(({ input }) => (input.internal_user_id ? [input.internal_user_id] : [])),
    (id) => read(`/payout/user/lookup?internal_user_id=${encode(id)}`, 'lookupUser', (json) => foundUserSchema.safeParse(json).data),
  );
  const userOf = (input: BulkRowInput): string | Unresolved => {
    if (input.user_token) return input.user_token;
    const user = found.get(input.internal_user_id!);
    if (user instanceof Unresolved) return user;
    return user?.user_token ?? new Unresolved(`MassPay knows no user with internal user ID ${input.internal_user_id}.`);
  };
  signal.throwIfAborted();

  // 2. Each user's wallets.
  const userTokens = rows.map(({ input }) => userOf(input)).filter((user): user is string => typeof user === 'string');
  const walletLists = await readEach(userTokens, (user) =>
    read(`/payout/wallet/${encode(user)}`, 'listWallets', (json) => walletListSchema.safeParse(json).data),
  );
  signal.throwIfAborted();

  const resolved = rows.map(({ line, input }) => {
    const userToken = userOf(input);
    if (userToken instanceof Unresolved) return { line, input, userToken: null, problem: userToken.reason };
    const wallets = walletLists.get(userToken);
    if (wallets instanceof Unresolved) return { line, input, userToken, problem: wallets.reason };
    if (!wallets) return { line, input, userToken: null, problem: 'MassPay knows no user with this user token.' };
    const wallet = walletOf(wallets, input);
    return typeof wallet === 'string' ? { line, input, userToken, problem: wallet } : { line, input, userToken, wallet };
  });

  // 3. The rules of each wallet a row names, and the currency of each destination.
  const byWallet = new Map<string, { userToken: string; wallet: Wallet; rows: WalletRow[] }>();
  const [rules, currencies] = await Promise.all([
    readEach(
      resolved.flatMap((row) => (row.wallet ? [`${row.userToken}/${row.wallet.token}`] : [])),
      (key) => {
        const [user, wallet] = key.split('/') as [string, string];
        return masspay.listRules(user, wallet, requestId);
      },
    ),
    readEach(
      resolved.flatMap((row) => (row.wallet ? [row.input.destination_token] : [])),
      (destination) => masspay.destinationCurrency(destination, requestId),
    ),
  ]);
  signal.throwIfAborted();

  const verdicts: RowVerdict[] = [];
  for (const row of resolved) {
    if (!row.wallet) {
      verdicts.push({ line: row.line, userToken: row.userToken, walletToken: null, verdict: 'refused', reason: row.problem, change: null });
      continue;
    }
    const walletRules = rules.get(`${row.userToken}/${row.wallet.token}`);
    const currency = currencies.get(row.input.destination_token);
    const problem =
      walletRules instanceof Unresolved
        ? walletRules
        : currency instanceof Unresolved
          ? currency
          : walletRules
            ? null
            : 'This user has no wallet with this token.';
    if (problem !== null) {
      verdicts.push({
        line: row.line,
        userToken: row.userToken,
        walletToken: null,
        verdict: 'refused',
        reason: typeof problem === 'string' ? problem : problem.reason,
        change: null,
      });
      continue;
    }
    const entry = byWallet.get(row.wallet.token) ?? { userToken: row.userToken, wallet: row.wallet, rows: [] };
    entry.rows.push({ line: row.line, input: row.input, destinationCurrency: currency as string | null });
    byWallet.set(row.wallet.token, entry);
  }

  const wallets: WalletPlan[] = [];
  for (const { userToken, wallet, rows: walletRows } of byWallet.values()) {
    const rulesBefore = rules.get(`${userToken}/${wallet.token}`) as NonNullable<Awaited<ReturnType<typeof masspay.listRules>>>;
    const judged = judgeWalletRows({ currency: wallet.currency_code, active: wallet.active }, rulesBefore, walletRows);
    for (const [line, verdict] of judged.verdicts) verdicts.push({ line, userToken, walletToken: wallet.token, ...verdict });
    wallets.push({
      walletToken: wallet.token,
      userToken,
      currency: wallet.currency_code,
      rulesBefore,
      rulesAfter: judged.rulesAfter,
      fingerprint: rulesFingerprint(rulesBefore),
    });
  }

  signal.throwIfAborted();
  const next = deps.needsApproval && verdicts.some((row) => row.verdict === 'change') ? 'awaiting_approval' : 'ready';
  const saved = await store.saveResolution(jobId, wallets, verdicts, next);
  deps.log?.info({ bulkJob: jobId, rows: rows.length, wallets: wallets.length, ms: Math.round(performance.now() - started), saved }, 'bulk job: dry run done');
};
