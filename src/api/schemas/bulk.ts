import { z } from 'zod/mini';
import { positiveIntQuery } from '../query';
import { currencyCodeSchema, destinationTokenSchema, internalUserIdSchema, userTokenSchema, walletTokenSchema } from '../tokens';
import { autopayRuleSchema } from './autopay';
import { percentageSchema } from './autopay-input';
import { problemSchema } from './problem';

/**
 * Bulk rule changes from a CSV (issue 15). A file is checked whole before a job exists (every refusal
 * names its line and column), then the server's dry run gives each row a verdict, and a run applies the
 * `change` rows through the change path, one row at a time, each at most once.
 */
export const BULK_MAX_ROWS = 10_000;
export const BULK_MAX_BYTES = 5 * 1024 * 1024;
/** A row longer than this is refused (a line of the template is about 120 characters). */
export const BULK_MAX_LINE_CHARS = 1_000;

/** The CSV's columns: `user_token` or `internal_user_id`, `wallet_token` or `currency`, then the change. */
export const BULK_COLUMNS = ['user_token', 'internal_user_id', 'wallet_token', 'currency', 'action', 'destination_token', 'percentage'] as const;
export type BulkColumn = (typeof BULK_COLUMNS)[number];

/** `add` a rule (refused when the destination has one), `set` the destination's rule to exactly P % (add, change or nothing), `remove` it. */
export const BULK_ACTIONS = ['add', 'set', 'remove'] as const;
export const bulkActionSchema = z.enum(BULK_ACTIONS, { error: 'Action must be add, set or remove' });
export type BulkAction = z.infer<typeof bulkActionSchema>;

/** One CSV row as given, once its cells are checked (the same token and percentage rules as the single-rule dialog). */
export const bulkRowInputSchema = z.object({
  user_token: z.optional(userTokenSchema),
  internal_user_id: z.optional(internalUserIdSchema),
  wallet_token: z.optional(walletTokenSchema),
  currency: z.optional(currencyCodeSchema),
  action: bulkActionSchema,
  destination_token: destinationTokenSchema,
  percentage: z.optional(percentageSchema),
});
export type BulkRowInput = z.infer<typeof bulkRowInputSchema>;

/** Why a file was refused: where (the CSV line, header = 1; the column by its header name, or `column N`) and what. */
export const bulkRefusalSchema = z.object({ line: z.number(), column: z.nullable(z.string()), message: z.string() });
export type BulkRefusal = z.infer<typeof bulkRefusalSchema>;

/** The 400 of a refused upload: a problem whose `refusals` list every refusal found (at most `BULK_MAX_REFUSALS`). */
export const bulkUploadProblemSchema = z.object({ ...problemSchema.shape, refusals: z.array(bulkRefusalSchema) });
export type BulkUploadProblem = z.infer<typeof bulkUploadProblemSchema>;
export const BULK_MAX_REFUSALS = 50;

/** The 202 of an accepted upload: the job, resolving. */
export const bulkUploadAnswerSchema = z.object({ id: z.string() });

/**
 * A job's life: resolving → ready → (awaiting_approval → approved) → running ⇄ paused → completed | cancelled | failed.
 * `rejected`: a second person turned its dry run down (ready or awaiting_approval → rejected); it never runs.
 */
export const BULK_JOB_STATUSES = [
  'resolving',
  'ready',
  'awaiting_approval',
  'approved',
  'running',
  'paused',
  'completed',
  'cancelled',
  'failed',
  'rejected',
] as const;
export const bulkJobStatusSchema = z.enum(BULK_JOB_STATUSES);
export type BulkJobStatus = z.infer<typeof bulkJobStatusSchema>;

/** The dry run's word on a row: it `change`s the wallet, is already so (`noop`), or is `refused` (with why). */
export const BULK_VERDICTS = ['change', 'noop', 'refused'] as const;
export const bulkVerdictSchema = z.enum(BULK_VERDICTS);
export type BulkVerdict = z.infer<typeof bulkVerdictSchema>;

/** How a `change` row ended when run; `skipped` when the job was cancelled before it. */
export const BULK_OUTCOMES = ['applied', 'noop', 'refused', 'failed', 'unknown', 'skipped'] as const;
export const bulkOutcomeSchema = z.enum(BULK_OUTCOMES);
export type BulkOutcome = z.infer<typeof bulkOutcomeSchema>;

/** A `change` row's input to the change path: the shape of a held change (src/server/changes/approval-gate.ts). */
export const bulkChangeSchema = z.object({
  action: z.enum(['add_rule', 'edit_rule', 'delete_rule']),
  destinationToken: z.string(),
  /** The share asked for (add, edit); null for a delete. */
  percentage: z.nullable(z.number()),
  /** The rule an edit or delete is about, and its share at the dry run. */
  ruleToken: z.nullable(z.string()),
  previousPercentage: z.nullable(z.number()),
  attrSetToken: z.nullable(z.string()),
});
export type BulkChange = z.infer<typeof bulkChangeSchema>;

/** Rows, verdicts and outcomes counted (the job's detail and its progress). */
export const bulkCountsSchema = z.object({
  rows: z.number(),
  change: z.number(),
  noop: z.number(),
  refused: z.number(),
  /** Rows of the run with an outcome, and those outcomes. */
  done: z.number(),
  applied: z.number(),
  outcomeNoop: z.number(),
  outcomeRefused: z.number(),
  failed: z.number(),
  unknown: z.number(),
  skipped: z.number(),
  /** Wallets with at least one `change` row (the SPA's "Apply N changes to M wallets?"). */
  changeWallets: z.number(),
});
export type BulkCounts = z.infer<typeof bulkCountsSchema>;

/** A job as the jobs list shows it. Times are ISO 8601, UTC. */
export const bulkJobSummarySchema = z.object({
  id: z.string(),
  fileName: z.string(),
  status: bulkJobStatusSchema,
  rowCount: z.number(),
  requestedBy: z.string(),
  requestedByName: z.string(),
  createdAt: z.string(),
  decidedBy: z.nullable(z.string()),
  decidedByName: z.nullable(z.string()),
  decidedAt: z.nullable(z.string()),
  decisionComment: z.nullable(z.string()),
  startedBy: z.nullable(z.string()),
  startedAt: z.nullable(z.string()),
  finishedAt: z.nullable(z.string()),
  error: z.nullable(z.string()),
});
export type BulkJobSummary = z.infer<typeof bulkJobSummarySchema>;

/**
 * How far a job's run is: its `change` rows with an outcome, of all of them, and while it runs the time
 * left at the pace of the last minute (null when nothing ended in that minute, or it is not running).
 */
export const bulkProgressSchema = z.object({ total: z.number(), done: z.number(), etaSeconds: z.nullable(z.number()) });
export type BulkProgress = z.infer<typeof bulkProgressSchema>;

/** One job with its counts and progress. */
export const bulkJobSchema = z.object({
  ...bulkJobSummarySchema.shape,
  counts: bulkCountsSchema,
  progress: bulkProgressSchema,
});
export type BulkJob = z.infer<typeof bulkJobSchema>;

export const BULK_PAGE_SIZE = 50;

const pageOf = <T extends z.ZodMiniType>(item: T) => z.object({ items: z.array(item), total: z.number(), page: z.number(), pageSize: z.number() });

export const bulkJobPageSchema = pageOf(bulkJobSummarySchema);
export type BulkJobPage = z.infer<typeof bulkJobPageSchema>;

/** One row of a job: what was given, what the dry run made of it, and how it ended. */
export const bulkRowSchema = z.object({
  line: z.number(),
  input: bulkRowInputSchema,
  userToken: z.nullable(z.string()),
  walletToken: z.nullable(z.string()),
  verdict: z.nullable(bulkVerdictSchema),
  reason: z.nullable(z.string()),
  change: z.nullable(bulkChangeSchema),
  outcome: z.nullable(bulkOutcomeSchema),
  outcomeReason: z.nullable(z.string()),
  ruleToken: z.nullable(z.string()),
  doneAt: z.nullable(z.string()),
});
export type BulkRow = z.infer<typeof bulkRowSchema>;

export const bulkRowPageSchema = pageOf(bulkRowSchema);
export type BulkRowPage = z.infer<typeof bulkRowPageSchema>;

/** A wallet the job touches: its rules at the dry run and after every `change` row of it. */
export const bulkWalletSchema = z.object({
  walletToken: z.string(),
  userToken: z.string(),
  currency: z.string(),
  rulesBefore: z.array(autopayRuleSchema),
  rulesAfter: z.array(autopayRuleSchema),
  fingerprint: z.string(),
});
export type BulkWallet = z.infer<typeof bulkWalletSchema>;

export const bulkWalletPageSchema = pageOf(bulkWalletSchema);
export type BulkWalletPage = z.infer<typeof bulkWalletPageSchema>;

const pageQuery = z.optional(positiveIntQuery());

/** `GET /api/console/bulk?page=` */
export const bulkJobQuerySchema = z.strictObject({ page: pageQuery });
/** `GET …/rows?verdict=&outcome=&page=` */
export const bulkRowQuerySchema = z.strictObject({ verdict: z.optional(bulkVerdictSchema), outcome: z.optional(bulkOutcomeSchema), page: pageQuery });
export type BulkRowQuery = z.infer<typeof bulkRowQuerySchema>;
/** `GET …/wallets?page=` */
export const bulkWalletQuerySchema = z.strictObject({ page: pageQuery });

/** `POST /api/console/bulk?name=`: the file's name, as the browser gave it. */
export const bulkUploadQuerySchema = z.strictObject({
  name: z.optional(
    z.string().check(
      z.minLength(1),
      z.maxLength(200, 'A file name is at most 200 characters'),
      z.refine((name) => ![...name].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f), 'A file name has no control characters'),
    ),
  ),
});

/** A job's id as routes take it (randomUUID). */
export const bulkJobIdSchema = z.string().check(z.regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'Not a job id'));

export const BULK_ROUTES = {
  template: '/api/console/bulk/template.csv',
  jobs: '/api/console/bulk',
  job: '/api/console/bulk/{id}',
  rows: '/api/console/bulk/{id}/rows',
  rowsCsv: '/api/console/bulk/{id}/rows.csv',
  wallets: '/api/console/bulk/{id}/wallets',
  start: '/api/console/bulk/{id}/start',
  approve: '/api/console/bulk/{id}/approve',
  reject: '/api/console/bulk/{id}/reject',
  pause: '/api/console/bulk/{id}/pause',
  resume: '/api/console/bulk/{id}/resume',
  cancel: '/api/console/bulk/{id}/cancel',
} as const;
