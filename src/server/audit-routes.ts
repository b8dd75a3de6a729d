import type { FastifyInstance } from 'fastify';
import { AUDIT_PAGE_SIZES, auditQuerySchema, CONSOLE_ROUTES, PROBLEM_TYPES, zodFieldIssues, type AuditPage } from '../api';
import { auditCsvRows } from './audit/csv';
import type { AuditFilters, AuditStore } from './audit/store';
import { sendProblem } from './problem';

/**
 * The audit log, read-only (the guard lets admins only): a page of entries, newest first, or every
 * match as CSV. No route of the console changes or removes an entry.
 */
export const registerAuditRoutes = (app: FastifyInstance, audit: AuditStore) => {
  const readQuery = (query: unknown) => auditQuerySchema.safeParse(query);

  app.get(CONSOLE_ROUTES.audit, async (request, reply) => {
    const query = readQuery(request.query);
    if (!query.success) return sendProblem(request, reply, 400, { type: PROBLEM_TYPES.validation, detail: 'The audit filters are not valid.', issues: zodFieldIssues(query.error) });
    const { page = 1, limit = AUDIT_PAGE_SIZES[0], ...filters } = query.data;
    const { entries, total } = await audit.list(filters satisfies AuditFilters, { page, limit });
    return { entries, total, page, limit } satisfies AuditPage;
  });

  app.get(CONSOLE_ROUTES.auditExport, async (request, reply) => {
    const query = readQuery(request.query);
    if (!query.success) return sendProblem(request, reply, 400, { type: PROBLEM_TYPES.validation, detail: 'The audit filters are not valid.', issues: zodFieldIssues(query.error) });
    const { page: _page, limit: _limit, ...filters } = query.data;
    reply
      .header('content-disposition', `attachment; filename="audit-log-${new Date().toISOString().slice(0, 10)}.csv"`)
      .type('text/csv; charset=utf-8');
    return reply.send(auditCsvRows(audit.iterate(filters)));
  });
};
