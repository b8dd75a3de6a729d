import { describe, expect, it } from 'vitest';
import { auditLogPath } from './api/get-audit-log';
import { auditExportHref, readAuditView, viewParams } from './audit-params';
import { showingText } from './audit-labels';

const USER = 'usr_5a8f2c1e-3b4d-4e6f-8a9b-0c1d2e3f4a5b';

describe('the audit view in the URL', () => {
  it('defaults to page 1 of 25, no filters', () => {
    expect(readAuditView(new URLSearchParams(''))).toEqual({ filters: {}, page: 1, limit: 25 });
  });

  it('reads every param, and drops what makes no sense', () => {
    const view = readAuditView(new URLSearchParams(`user=${USER}&staff=Editor@Example.com&action=add_rule&from=2026-01-01&to=2026-01-31&page=3&limit=50`));
    expect(view).toEqual({
      filters: { user: USER, staff: 'editor@example.com', action: 'add_rule', from: '2026-01-01', to: '2026-01-31' },
      page: 3,
      limit: 50,
    });
    expect(readAuditView(new URLSearchParams('user=bob&action=drop&from=2026-02-30&page=0&limit=10'))).toEqual({ filters: {}, page: 1, limit: 25 });
  });

  it('writes defaults out, and the request and the export carry the filters', () => {
    const view = { filters: { user: USER, action: 'delete_rule' as const }, page: 1, limit: 25 };
    expect(viewParams(view).toString()).toBe(`user=${USER}&action=delete_rule`);
    expect(viewParams({ ...view, page: 2, limit: 100 }).toString()).toBe(`user=${USER}&action=delete_rule&page=2&limit=100`);
    expect(auditLogPath(view)).toBe(`/audit?user=${USER}&action=delete_rule&page=1&limit=25`);
    expect(auditExportHref(view.filters)).toBe(`/api/audit/export?user=${USER}&action=delete_rule`);
    expect(auditExportHref({})).toBe('/api/audit/export');
  });

  it('says which rows show', () => {
    expect(showingText(1, 25, 25, 73)).toBe('Showing 1–25 of 73');
    expect(showingText(3, 25, 23, 73)).toBe('Showing 51–73 of 73');
    expect(showingText(1, 25, 0, 0)).toBe('Showing 0 of 0');
  });
});
