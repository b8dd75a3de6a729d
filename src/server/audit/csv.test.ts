// The CSV export's text: columns, empty cells for nulls, quoting, and formulas defused.
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../api';
import { AUDIT_CSV_COLUMNS, auditCsv, auditCsvHeader, auditCsvLines, auditCsvRows } from './csv';

const entry = (overrides: Partial<AuditEntry> = {}): AuditEntry => ({
  id: '41',
  at: '2026-03-10T09:15:00.123Z',
  staffEmail: 'editor@example.com',
  staffRole: 'editor',
  action: 'add_rule',
  userToken: 'usr_ada',
  walletToken: 'wal_usd',
  destinationToken: 'dst_quick',
  percentage: 12.5,
  ruleToken: 'rul_9',
  idempotencyKey: 'key-1',
  masspayStatus: 201,
  outcome: 'succeeded',
  requestId: 'req-1',
  changeId: null,
  reason: null,
  ...overrides,
});

const readBack = (csv: string) => Papa.parse<string[]>(csv.trimEnd(), { newline: '\r\n' }).data;

describe('audit CSV', () => {
  it('has the header, one CRLF line per entry in the given order, nulls as empty cells', () => {
    const csv = auditCsv([
      entry({ changeId: 'chg-1', reason: 'Ticket 7, "urgent"' }),
      entry({
        action: 'delete_rule',
        destinationToken: null,
        percentage: null,
        ruleToken: null,
        idempotencyKey: null,
        masspayStatus: null,
        outcome: 'requested',
        requestId: 'req-2',
      }),
    ]);
    expect(auditCsvHeader).toBe(
      'at,staff_email,staff_role,action,outcome,user_token,wallet_token,destination_token,percentage,rule_token,idempotency_key,masspay_status,request_id,change_id,reason\r\n',
    );
    expect(csv).toBe(
      auditCsvHeader +
        '2026-03-10T09:15:00.123Z,editor@example.com,editor,add_rule,succeeded,usr_ada,wal_usd,dst_quick,12.5,rul_9,key-1,201,req-1,chg-1,"Ticket 7, ""urgent"""\r\n' +
        '2026-03-10T09:15:00.123Z,editor@example.com,editor,delete_rule,requested,usr_ada,wal_usd,,,,,,req-2,,\r\n',
    );
    expect(readBack(csv)[0]).toEqual([...AUDIT_CSV_COLUMNS]);
  });

  it('quotes commas, quotes and line breaks so the cells read back unchanged', () => {
    const awkward = entry({ requestId: 'a,b "c"\nd', staffEmail: 'x"y@example.com' });
    const [, row] = readBack(auditCsv([awkward]));
    expect(row![12]).toBe('a,b "c"\nd');
    expect(row![1]).toBe('x"y@example.com');
  });

  it.each(['=HYPERLINK("http://evil","x")', '+1+1', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd', '=1+1\nsecond line'])(
    'defuses a cell starting like a formula: %j',
    (value) => {
      const [, row] = readBack(auditCsv([entry({ requestId: value, idempotencyKey: value })]));
      expect(row![12]).toBe(`'${value}`);
      expect(row![10]).toBe(`'${value}`);
    },
  );

  it('leaves ordinary values and numbers alone', () => {
    const [, row] = readBack(auditCsv([entry({ requestId: 'req-=x', percentage: 0.01, masspayStatus: 422 })]));
    expect(row![12]).toBe('req-=x');
    expect(row![8]).toBe('0.01');
    expect(row![11]).toBe('422');
  });

  it('streams a whole file from an async source in batches', async () => {
    async function* source() {
      for (let i = 5; i >= 1; i -= 1) yield entry({ id: String(i), requestId: `req-${i}` });
    }
    const chunks: string[] = [];
    for await (const chunk of auditCsvRows(source(), 2)) chunks.push(String(chunk));
    expect(chunks.join('')).toBe(auditCsvHeader + auditCsvLines([5, 4, 3, 2, 1].map((i) => entry({ id: String(i), requestId: `req-${i}` }))));
    expect(chunks).toHaveLength(4); // header, 2 + 2 + 1 rows
    const empty: string[] = [];
    async function* nothing(): AsyncGenerator<AuditEntry> {}
    for await (const chunk of auditCsvRows(nothing())) empty.push(String(chunk));
    expect(empty.join('')).toBe(auditCsvHeader);
  });
});
