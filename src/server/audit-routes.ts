import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AUDIT_PAGE_SIZES, auditQuerySchema, CONSOLE_ROUTES, PROBLEM_TYPES, zodFieldIssues, type AuditPage } from '../api';
import { auditCsvRows } from './audit/csv';
import type { AuditFilters, AuditStore } from './audit/store';
import { underApiPrefix } from './api-target';
import { sendProblem } from './problem';

/**
 * The audit log, read-only (the guard lets admins only): a page of entries, newest first, with the
 * hash chain's last check, or every match as CSV. No route of the console changes or removes an entry.
 */
export const registerAuditRoutes = (app: FastifyInstance, audit: AuditStore) => {
  /** The query, checked; a bad one is answered 400 here and `undefined` returned. */
  const readQuery = (request: FastifyRequest, reply: FastifyReply) => {
    const query = auditQuerySchema.safeParse(request.query);
    if (query.success) return query.data;
    void sendProblem(request, reply, 400, { type: PROBLEM_TYPES.validation, detail: 'The audit filters are not valid.', issues: zodFieldIssues(query.error) });
    return undefined;
  };

  app.get(underApiPrefix(CONSOLE_ROUTES.audit), { config: { permission: 'readAudit' } }, async (request, reply) => {
    const query = readQuery(request, reply);
    if (!query) return reply;
    const { page = 1, limit = AUDIT_PAGE_SIZES[0], ...filters } = query;
    // The chain is checked over the whole log (at most every 30 s), whatever the filters: admins see on
    // every page whether the log is still the one the console wrote.
    // A check that could not run leaves `chain` out rather than the page.
    const checking = audit.chainStatus().catch((error: unknown) => {
      request.log.error({ err: error }, 'audit log: the hash chain could not be checked');
      return undefined;
    });
    const [{ entries, total }, chain] = await Promise.all([audit.list(filters satisfies AuditFilters, { page, limit }), checking]);
    return { entries, total, page, limit, ...(chain ? { chain } : {}) } satisfies AuditPage;
  });

  app.get(underApiPrefix(CONSOLE_ROUTES.auditExport), { config: { permission: 'readAudit' } }, async (request, reply) => {
    const query = readQuery(request, reply);
    if (!query) return reply;
    const { page: _page, limit: _limit, ...filters } = query;
    reply.header('content-disposition', `attachment; filename="audit-log-${new Date().toISOString().slice(0, 10)}.csv"`).type('text/csv; charset=utf-8');
    return reply.send(auditCsvRows(audit.iterate(filters)));
  });
};
