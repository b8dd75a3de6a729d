// The audit log as CSV (the /audit page's export). Values come from staff input and MassPay, so a
// cell that a spreadsheet would run as a formula is defused with a leading apostrophe.
import { Readable } from 'node:stream';
import Papa from 'papaparse';
import type { AuditEntry } from '../../api';

export const AUDIT_CSV_COLUMNS = [
  'at',
  'staff_email',
  'staff_role',
  'action',
  'outcome',
  'user_token',
  'wallet_token',
  'destination_token',
  'percentage',
  'rule_token',
  'idempotency_key',
  'masspay_status',
  'request_id',
  'change_id',
  'reason',
] as const;

// papaparse's own `escapeFormulae: true` pattern ends in `.*$` without the `s` flag, so a value
// with a line break after `=` slips through: this one only looks at the first character.
const FORMULA_START = /^[=+\-@\t\r]/;
const OPTIONS = { escapeFormulae: FORMULA_START, newline: '\r\n' } as const;

/** The header line, CRLF-terminated. */
export const auditCsvHeader = `${Papa.unparse([[...AUDIT_CSV_COLUMNS]], OPTIONS)}\r\n`;

const cells = (e: AuditEntry) => [
  e.at,
  e.staffEmail,
  e.staffRole,
  e.action,
  e.outcome,
  e.userToken,
  e.walletToken,
  e.destinationToken,
  e.percentage,
  e.ruleToken,
  e.idempotencyKey,
  e.masspayStatus,
  e.requestId,
  e.changeId,
  e.reason,
];

/** Data lines for `entries`, each CRLF-terminated, without the header (so batches can follow one another). */
export const auditCsvLines = (entries: readonly AuditEntry[]): string => (entries.length === 0 ? '' : `${Papa.unparse(entries.map(cells), OPTIONS)}\r\n`);

/** A whole file in one string: header and rows. */
export const auditCsv = (entries: readonly AuditEntry[]): string => auditCsvHeader + auditCsvLines(entries);

async function* chunks(entries: AsyncIterable<AuditEntry>, batchSize: number): AsyncGenerator<string> {
  yield auditCsvHeader;
  let batch: AuditEntry[] = [];
  for await (const entry of entries) {
    batch.push(entry);
    if (batch.length >= batchSize) {
      yield auditCsvLines(batch);
      batch = [];
    }
  }
  if (batch.length > 0) yield auditCsvLines(batch);
}

/**
 * A whole file, header first, streamed while `AuditStore.iterate` fetches: the export of a large log
 * never sits in memory. A Node stream, so Fastify's `reply.send` pipes it (and stops on an error).
 */
export const auditCsvRows = (entries: AsyncIterable<AuditEntry>, batchSize = 500): Readable => Readable.from(chunks(entries, batchSize), { objectMode: false });
