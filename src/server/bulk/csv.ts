// The bulk CSV, read whole before any job exists: papaparse steps through it row by row; this file
// checks the header and each cell with the contract's token and percentage schemas (the single-rule
// dialog's rules), and names the line and column of every refusal. Nothing here splits text by hand.
import Papa from 'papaparse';
import {
  BULK_COLUMNS,
  BULK_MAX_BYTES,
  BULK_MAX_LINE_CHARS,
  BULK_MAX_REFUSALS,
  BULK_MAX_ROWS,
  bulkRowInputSchema,
  type BulkColumn,
  type BulkRefusal,
  type BulkRowInput,
} from '../../api';

export type ParsedBulkFile = { ok: true; rows: { line: number; input: BulkRowInput }[] } | { ok: false; refusals: BulkRefusal[] };

/** The template's header and two example rows (a set and a remove). */
export const BULK_TEMPLATE_CSV =
  Papa.unparse(
    {
      fields: ['internal_user_id', 'currency', 'action', 'destination_token', 'percentage'],
      data: [
        ['ext-1001', 'USD', 'set', 'dest_1a6f3c0e-8d2b-4c59-9e71-2f4b8a0d6c11', '50'],
        ['ext-1001', 'USD', 'remove', 'dest_2b7a4d1f-9e3c-4d6a-8f82-3a5c9b1e7d22', ''],
      ],
    },
    { newline: '\r\n' },
  ) + '\r\n';

const LINE_BREAKS = /\r\n|\r|\n/g;
const countBreaks = (text: string) => text.match(LINE_BREAKS)?.length ?? 0;
const NEEDED: readonly (readonly BulkColumn[])[] = [['user_token', 'internal_user_id'], ['wallet_token', 'currency'], ['action'], ['destination_token']];
/** `12.5`, `12,5` (a spreadsheet's decimal comma), with an optional `%`. */
const PERCENT = /^(-?\d{1,6})(?:[.,](\d{1,6}))?\s*%?$/;

/** The 1-based line of byte `offset`. */
const lineAt = (bytes: Buffer, offset: number) => {
  let line = 1;
  for (let index = bytes.indexOf(0x0a); index !== -1 && index < offset; index = bytes.indexOf(0x0a, index + 1)) line += 1;
  return line;
};

/** Where the first byte that is not UTF-8 text is (a NUL, or a sequence that is not UTF-8), or -1. */
const firstBinaryByte = (bytes: Buffer, text: string): number => {
  const nul = bytes.indexOf(0x00);
  if (nul !== -1) return nul;
  // The decoder put U+FFFD where the bytes were not UTF-8; one that was in the file as such is skipped.
  for (let index = text.indexOf('\ufffd'); index !== -1; index = text.indexOf('\ufffd', index + 1)) {
    const offset = Buffer.byteLength(text.slice(0, index)) + (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0);
    if (!(bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd)) return offset;
  }
  return -1;
};

/** The column the byte at `offset` falls in: that line's text before it, parsed, counts the cells. */
const columnAt = (bytes: Buffer, offset: number): number => {
  const lineStart = bytes.lastIndexOf(0x0a, offset - 1) + 1;
  const before = bytes.subarray(lineStart, offset).toString('utf8');
  if (before === '') return 1;
  return Papa.parse<string[]>(before, { delimitersToGuess: [',', ';'] }).data[0]?.length ?? 1;
};

/** A percentage cell as a number, or a message. */
const percentageOf = (cell: string): number | string => {
  const match = PERCENT.exec(cell);
  if (!match) return 'Percentage must be a number such as 12.5';
  return Number(`${match[1]}.${match[2] ?? '0'}`);
};

/**
 * Checks one row's cells (`byColumn`: the header's columns to their trimmed cells) and returns the
 * row's input or the refusals, each naming its column.
 */
const checkRow = (byColumn: ReadonlyMap<BulkColumn, string>): { input?: BulkRowInput; problems: { column: BulkColumn; message: string }[] } => {
  const problems: { column: BulkColumn; message: string }[] = [];
  const cell = (column: BulkColumn) => byColumn.get(column) ?? '';
  const oneOf = (a: BulkColumn, b: BulkColumn, what: string) => {
    if (cell(a) && cell(b)) problems.push({ column: b, message: `Give ${a} or ${b}, not both` });
    else if (!cell(a) && !cell(b)) problems.push({ column: byColumn.has(a) ? a : b, message: `${what} is required (${a} or ${b})` });
  };
  oneOf('user_token', 'internal_user_id', 'The user');
  oneOf('wallet_token', 'currency', 'The wallet');
  const action = cell('action').toLowerCase();
  const candidate: Record<string, unknown> = { action, destination_token: cell('destination_token') };
  for (const column of ['user_token', 'internal_user_id', 'wallet_token', 'currency'] as const) if (cell(column)) candidate[column] = cell(column);
  const percentage = cell('percentage');
  if (action === 'remove' && percentage) problems.push({ column: 'percentage', message: 'A remove takes no percentage: leave it empty' });
  if ((action === 'add' || action === 'set') && !percentage) problems.push({ column: 'percentage', message: `A percentage is required for ${action}` });
  if (percentage && action !== 'remove') {
    const value = percentageOf(percentage);
    if (typeof value === 'string') problems.push({ column: 'percentage', message: value });
    else candidate.percentage = value;
  }
  const parsed = bulkRowInputSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const column = issue.path[0] as BulkColumn;
      if (!problems.some((problem) => problem.column === column)) problems.push({ column, message: issue.message });
    }
  }
  return parsed.success && problems.length === 0 ? { input: parsed.data, problems } : { problems };
};

/** The header's columns, or the refusals of line 1. */
const checkHeader = (cells: readonly string[]): { columns?: BulkColumn[]; refusals: BulkRefusal[] } => {
  const refusals: BulkRefusal[] = [];
  const columns = cells.map((cell) => cell.trim().toLowerCase());
  // Spreadsheets may save empty cells after the last column: they name nothing.
  while (columns.length > 0 && columns.at(-1) === '') columns.pop();
  columns.forEach((name, index) => {
    if (!(BULK_COLUMNS as readonly string[]).includes(name)) {
      refusals.push({
        line: 1,
        column: `column ${index + 1}`,
        message: `Unknown column "${cells[index]!.trim()}": the columns are ${BULK_COLUMNS.join(', ')}`,
      });
    } else if (columns.indexOf(name) !== index) {
      refusals.push({ line: 1, column: name, message: `The column ${name} appears twice` });
    }
  });
  for (const needed of NEEDED) {
    if (!needed.some((name) => columns.includes(name))) {
      refusals.push({ line: 1, column: needed[0]!, message: `The header has no ${needed.join(' or ')} column` });
    }
  }
  return refusals.length > 0 ? { refusals } : { columns: columns as BulkColumn[], refusals };
};

/** Reads a bulk file: every row's input, or every refusal (up to BULK_MAX_REFUSALS) with its line and column. */
export const parseBulkCsv = (bytes: Buffer): ParsedBulkFile => {
  if (bytes.length > BULK_MAX_BYTES) {
    return { ok: false, refusals: [{ line: lineAt(bytes, BULK_MAX_BYTES), column: null, message: `The file is over ${BULK_MAX_BYTES / 1024 / 1024} MiB` }] };
  }
  // The decoder drops a leading BOM.
  const text = new TextDecoder('utf-8').decode(bytes);
  const binaryAt = firstBinaryByte(bytes, text);
  if (binaryAt !== -1) {
    const what = bytes[binaryAt] === 0 ? 'a NUL byte' : 'bytes that are not UTF-8';
    return {
      ok: false,
      refusals: [
        { line: lineAt(bytes, binaryAt), column: `column ${columnAt(bytes, binaryAt)}`, message: `The file is not UTF-8 text (${what}): save it as CSV UTF-8` },
      ],
    };
  }

  const refusals: BulkRefusal[] = [];
  const rows: { line: number; input: BulkRowInput }[] = [];
  let columns: BulkColumn[] | undefined;
  let cursor = 0;
  let dataRows = 0;
  let breaksBefore = 0;
  const refuse = (refusal: BulkRefusal, parser: Papa.Parser) => {
    refusals.push(refusal);
    if (refusals.length >= BULK_MAX_REFUSALS) parser.abort();
  };
  Papa.parse<string[]>(text, {
    delimitersToGuess: [',', ';'],
    skipEmptyLines: 'greedy',
    step: (result, parser) => {
      const cells = result.data;
      // The row's last line, less the line breaks inside its quoted cells, is the line it starts on.
      const consumed = text.slice(cursor, result.meta.cursor);
      breaksBefore += countBreaks(consumed);
      cursor = result.meta.cursor;
      // An unclosed quote takes the rest of the file into its cell, line breaks and all: then no break ends the row.
      const quoteError = result.errors.find((error) => error.type === 'Quotes');
      const terminated = /[\r\n]$/.test(consumed) && !(quoteError && /[\r\n]$/.test(cells.at(-1) ?? ''));
      const lastLine = breaksBefore + 1 - (terminated ? 1 : 0);
      const line = lastLine - cells.reduce((sum, cell) => sum + countBreaks(cell), 0);
      const nameOf = (index: number) => columns?.[index] ?? `column ${index + 1}`;

      if (quoteError) {
        const index = Math.max(
          0,
          cells.findIndex((cell) => cell.includes('"') || /[\r\n]/.test(cell)),
        );
        return refuse(
          { line, column: nameOf(index), message: 'A quoted cell is not closed or has a stray quote ("" stands for one quote inside a quoted cell)' },
          parser,
        );
      }
      const length = cells.reduce((sum, cell) => sum + cell.length, cells.length - 1);
      if (length > BULK_MAX_LINE_CHARS)
        return refuse({ line, column: null, message: `The row is ${length} characters long (at most ${BULK_MAX_LINE_CHARS})` }, parser);
      if (!columns) {
        const header = checkHeader(cells);
        for (const refusal of header.refusals) refuse(refusal, parser);
        columns = header.columns;
        if (!columns) parser.abort();
        return;
      }
      const extra = cells.slice(columns.length).findIndex((cell) => cell.trim() !== '');
      if (extra !== -1) {
        return refuse(
          { line, column: `column ${columns.length + extra + 1}`, message: `The row has ${cells.length} cells and the header ${columns.length}` },
          parser,
        );
      }
      dataRows += 1;
      if (dataRows > BULK_MAX_ROWS) {
        refusals.push({ line, column: null, message: `The file has more than ${BULK_MAX_ROWS} rows` });
        return parser.abort();
      }
      const checked = checkRow(new Map(columns.map((column, index) => [column, (cells[index] ?? '').trim()])));
      if (checked.input) rows.push({ line, input: checked.input });
      for (const problem of checked.problems) refuse({ line, ...problem }, parser);
    },
  });
  if (refusals.length > 0) return { ok: false, refusals };
  if (!columns) return { ok: false, refusals: [{ line: 1, column: null, message: 'The file is empty: it needs a header and at least one row' }] };
  if (rows.length === 0) return { ok: false, refusals: [{ line: 2, column: null, message: 'The file has a header but no rows' }] };
  return { ok: true, rows };
};
