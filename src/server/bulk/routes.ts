// Bulk intake: the template, the upload (a CSV checked whole, then a job whose dry run runs on the
// server), and reading jobs, their rows and wallets. Any signed-in staff member reads; editors and
// admins upload (the API guard: a POST changes rules). The job actions are job-actions.ts's.
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Papa from 'papaparse';
import {
  BULK_MAX_BYTES,
  BULK_ROUTES,
  bulkJobIdSchema,
  bulkJobQuerySchema,
  bulkRowQuerySchema,
  bulkUploadQuerySchema,
  bulkWalletQuerySchema,
  PROBLEM_CONTENT_TYPE,
  PROBLEM_TYPES,
  toRouterPath,
  zodFieldIssues,
  type BulkRefusal,
  type BulkRow,
  type BulkUploadProblem,
} from '../../api';
import { underApiPrefix } from '../api-target';
import type { SqlDb } from '../audit/db';
import { buildProblem, sendProblem } from '../problem';
import { BULK_TEMPLATE_CSV, parseBulkCsv } from './csv';
import { createBulkStore, type BulkStore } from './store';

export interface BulkRouteOptions {
  db: SqlDb;
  /** The runner claims at once (this replica just made a job to resolve). */
  wake: () => void;
  pageSize?: number;
}

/** What a browser may call a CSV: spreadsheets on Windows say `application/vnd.ms-excel`. */
const CSV_TYPES = ['text/csv', 'text/plain', 'application/vnd.ms-excel', 'application/octet-stream'];
const MIB = BULK_MAX_BYTES / 1024 / 1024;

// A cell a spreadsheet would run as a formula gets a leading apostrophe (as the audit export's).
const FORMULA_START = /^[=+\-@\t\r]/;
const CSV_OPTIONS = { escapeFormulae: FORMULA_START, newline: '\r\n' } as const;
const ROW_CSV_COLUMNS = [
  'line',
  'user_token',
  'internal_user_id',
  'wallet_token',
  'currency',
  'action',
  'destination_token',
  'percentage',
  'resolved_user_token',
  'resolved_wallet_token',
  'verdict',
  'reason',
  'outcome',
  'outcome_reason',
  'rule_token',
];
const rowCells = ({ line, input, userToken, walletToken, verdict, reason, outcome, outcomeReason, ruleToken }: BulkRow) => [
  line,
  input.user_token ?? '',
  input.internal_user_id ?? '',
  input.wallet_token ?? '',
  input.currency ?? '',
  input.action,
  input.destination_token,
  input.percentage ?? '',
  userToken ?? '',
  walletToken ?? '',
  verdict ?? '',
  reason ?? '',
  outcome ?? '',
  outcomeReason ?? '',
  ruleToken ?? '',
];

async function* rowsCsv(store: BulkStore, id: string): AsyncGenerator<string> {
  yield `${Papa.unparse([ROW_CSV_COLUMNS], CSV_OPTIONS)}\r\n`;
  for await (const batch of store.allRows(id)) yield `${Papa.unparse(batch.map(rowCells), CSV_OPTIONS)}\r\n`;
}

const where = (refusal: BulkRefusal) => `Line ${refusal.line}${refusal.column ? `, ${refusal.column}` : ''}`;

/** The 400 of a refused file: the first refusal in the detail, all of them in `refusals`. */
const refusedFile = (request: FastifyRequest, reply: FastifyReply, refusals: BulkRefusal[]) => {
  const [first] = refusals;
  const more = refusals.length > 1 ? ` (and ${refusals.length - 1} more)` : '';
  const problem = buildProblem(request, 400, {
    type: PROBLEM_TYPES.validation,
    title: 'The file was refused',
    detail: `${where(first!)}: ${first!.message}${more}. Nothing was uploaded.`,
  });
  return reply
    .code(400)
    .type(PROBLEM_CONTENT_TYPE)
    .send({ ...problem, refusals } satisfies BulkUploadProblem);
};

const invalidQuery = (request: FastifyRequest, reply: FastifyReply, error: Parameters<typeof zodFieldIssues>[0]) =>
  sendProblem(request, reply, 400, { type: PROBLEM_TYPES.validation, detail: 'The query is not valid.', issues: zodFieldIssues(error) });

export const registerBulkRoutes = (app: FastifyInstance, { db, wake, pageSize = 50 }: BulkRouteOptions) =>
  // A context of its own: the CSV body parser and the 413 wording are this plugin's, not the whole API's.
  app.register(async (bulk) => {
    const store = createBulkStore(db, { pageSize });
    bulk.addContentTypeParser(CSV_TYPES, { parseAs: 'buffer', bodyLimit: BULK_MAX_BYTES }, (_request, body, done) => done(null, body));
    bulk.setErrorHandler((error: { code?: string }, request, reply) => {
      if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        return sendProblem(request, reply, 413, { type: PROBLEM_TYPES.tooLarge, detail: `The file is over ${MIB} MiB: split it into smaller files.` });
      }
      if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
        return sendProblem(request, reply, 415, { type: PROBLEM_TYPES.unsupportedMediaType, detail: 'Send the file as text/csv.' });
      }
      throw error;
    });

    /** The job id of the path, or undefined once a 400 (malformed) or 404 (no such job) is sent. */
    const jobId = async (request: FastifyRequest, reply: FastifyReply): Promise<string | undefined> => {
      const id = bulkJobIdSchema.safeParse((request.params as { id: string }).id);
      if (!id.success) {
        sendProblem(request, reply, 400, { type: PROBLEM_TYPES.validation, detail: 'Not a job id.', issues: [{ field: 'id', message: 'must be a UUID' }] });
        return undefined;
      }
      if (await store.status(id.data)) return id.data;
      sendProblem(request, reply, 404, { type: PROBLEM_TYPES.notFound, detail: 'There is no bulk job with this id.' });
      return undefined;
    };

    bulk.get(underApiPrefix(BULK_ROUTES.template), async (_request, reply) =>
      reply.header('content-disposition', 'attachment; filename="bulk-rules-template.csv"').type('text/csv; charset=utf-8').send(BULK_TEMPLATE_CSV),
    );

    bulk.post(underApiPrefix(BULK_ROUTES.jobs), { bodyLimit: BULK_MAX_BYTES }, async (request, reply) => {
      const query = bulkUploadQuerySchema.safeParse(request.query);
      if (!query.success) return invalidQuery(request, reply, query.error);
      if (!Buffer.isBuffer(request.body)) {
        return sendProblem(request, reply, 415, { type: PROBLEM_TYPES.unsupportedMediaType, detail: 'Send the file as text/csv.' });
      }
      const parsed = parseBulkCsv(request.body);
      if (!parsed.ok) return refusedFile(request, reply, parsed.refusals);
      const staff = request.staff!;
      const fileName = query.data.name ?? 'upload.csv';
      const id = await store.create({
        fileName,
        requestedBy: staff.email,
        requestedByName: staff.name,
        rows: parsed.rows,
        uploadedBy: { role: staff.role, requestId: request.id },
      });
      request.log.info({ bulkJob: id, file: fileName, rows: parsed.rows.length, staff: staff.email }, 'bulk job uploaded: its dry run starts');
      wake();
      return reply.code(202).header('location', BULK_ROUTES.job.replace('{id}', id)).send({ id });
    });

    bulk.get(underApiPrefix(BULK_ROUTES.jobs), async (request, reply) => {
      const query = bulkJobQuerySchema.safeParse(request.query);
      if (!query.success) return invalidQuery(request, reply, query.error);
      return store.list(query.data.page ?? 1);
    });

    bulk.get(underApiPrefix(toRouterPath(BULK_ROUTES.job)), async (request, reply) => {
      const id = await jobId(request, reply);
      return id ? store.get(id) : reply;
    });

    bulk.get(underApiPrefix(toRouterPath(BULK_ROUTES.rows)), async (request, reply) => {
      const query = bulkRowQuerySchema.safeParse(request.query);
      if (!query.success) return invalidQuery(request, reply, query.error);
      const id = await jobId(request, reply);
      const { page = 1, ...filters } = query.data;
      return id ? store.rows(id, filters, page) : reply;
    });

    bulk.get(underApiPrefix(toRouterPath(BULK_ROUTES.wallets)), async (request, reply) => {
      const query = bulkWalletQuerySchema.safeParse(request.query);
      if (!query.success) return invalidQuery(request, reply, query.error);
      const id = await jobId(request, reply);
      return id ? store.wallets(id, query.data.page ?? 1) : reply;
    });

    bulk.get(underApiPrefix(toRouterPath(BULK_ROUTES.rowsCsv)), async (request, reply) => {
      const id = await jobId(request, reply);
      if (!id) return reply;
      reply.header('content-disposition', `attachment; filename="bulk-job-${id}.csv"`).type('text/csv; charset=utf-8');
      return reply.send(Readable.from(rowsCsv(store, id)));
    });
  });

/** The bulk jobs (the runner and the job actions, jobs.ts) with these routes beside them, on the same replica's runner. */
export const withBulkRoutes = <Jobs extends { register: (app: FastifyInstance, ...rest: never[]) => void; wake: () => void }>(jobs: Jobs, db: SqlDb): Jobs => ({
  ...jobs,
  register: (app: FastifyInstance, ...rest: never[]) => {
    jobs.register(app, ...rest);
    void registerBulkRoutes(app, { db, wake: jobs.wake });
  },
});
