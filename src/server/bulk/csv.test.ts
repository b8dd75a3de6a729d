// The bulk CSV parser: what it accepts (BOM, CRLF, quotes, semicolons, empty lines) and every refusal,
// each naming its line and column.
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { BULK_MAX_BYTES, BULK_MAX_ROWS } from '../../api';
import { BULK_TEMPLATE_CSV, parseBulkCsv } from './csv';

const EVERGREEN = 'dest_1a6f3c0e-8d2b-4c59-9e71-2f4b8a0d6c11';
const LAKESIDE = 'dest_2b7a4d1f-9e3c-4d6a-8f82-3a5c9b1e7d22';
const USER = 'usr_0b0e6a3c-1d2e-4f5a-8b9c-0d1e2f3a4b5c';
const WALLET = '6a0e3c1b-2d4e-4f6a-8b0c-1d2e3f4a5b6c';

const parse = (text: string | Buffer) => parseBulkCsv(Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8'));
const refusalsOf = (text: string | Buffer) => {
  const result = parse(text);
  if (result.ok) throw new Error(`accepted: ${JSON.stringify(result.rows)}`);
  return result.refusals;
};

describe('the bulk CSV parser', () => {
  it('reads the template: two rows, lines 2 and 3', () => {
    expect(BULK_TEMPLATE_CSV.split('\r\n')[0]).toBe('internal_user_id,currency,action,destination_token,percentage');
    expect(parse(BULK_TEMPLATE_CSV)).toEqual({
      ok: true,
      rows: [
        { line: 2, input: { internal_user_id: 'ext-1001', currency: 'USD', action: 'set', destination_token: EVERGREEN, percentage: 50 } },
        { line: 3, input: { internal_user_id: 'ext-1001', currency: 'USD', action: 'remove', destination_token: LAKESIDE } },
      ],
    });
  });

  it('reads UTF-8 with a BOM, semicolons, CRLF, quoted cells, a decimal comma, and skips empty lines (line numbers kept)', () => {
    const text = `\ufeffuser_token;wallet_token;action;destination_token;percentage\r\n\r\n"${USER}";${WALLET};"add";${EVERGREEN};"12,5"\r\n;;;;\r\n   \r\n${USER};${WALLET};REMOVE;${LAKESIDE};\r\n`;
    expect(parse(text)).toEqual({
      ok: true,
      rows: [
        { line: 3, input: { user_token: USER, wallet_token: WALLET, action: 'add', destination_token: EVERGREEN, percentage: 12.5 } },
        { line: 6, input: { user_token: USER, wallet_token: WALLET, action: 'remove', destination_token: LAKESIDE } },
      ],
    });
  });

  it('ignores the empty cells a spreadsheet saves after the last column', () => {
    const text = `internal_user_id;currency;action;destination_token;percentage;;\r\next-1001;USD;set;${EVERGREEN};10;;\r\next-1002;USD;remove;${LAKESIDE};;;\r\n`;
    const result = parse(text);
    expect(result.ok && result.rows.map((row) => [row.line, row.input.action])).toEqual([
      [2, 'set'],
      [3, 'remove'],
    ]);
    expect(refusalsOf(text.replace('10;;', '10;;x'))).toEqual([{ line: 2, column: 'column 7', message: 'The row has 7 cells and the header 5' }]);
  });

  it('counts a quoted cell spanning lines, and a last row without a line break', () => {
    const text = `internal_user_id,currency,action,destination_token,percentage\n"ext-1001",USD,set,${EVERGREEN},"10 %"\next-1002,"US\nD",set,${EVERGREEN},10\next-1003,USD,set,${EVERGREEN},7.25`;
    const refusals = refusalsOf(text);
    expect(refusals).toEqual([{ line: 3, column: 'currency', message: 'Currency code must be ISO 4217' }]);
    const fixed = text.replace('"US\nD"', 'USD');
    const result = parse(fixed);
    expect(result.ok && result.rows.map((row) => [row.line, row.input.percentage])).toEqual([
      [2, 10],
      [3, 10],
      [4, 7.25],
    ]);
  });

  it('refuses a wrong header, naming the column', () => {
    expect(refusalsOf(`user,wallet_token,action,destination_token,percentage\nx,y,add,z,1`)).toEqual([
      {
        line: 1,
        column: 'column 1',
        message: 'Unknown column "user": the columns are user_token, internal_user_id, wallet_token, currency, action, destination_token, percentage',
      },
      { line: 1, column: 'user_token', message: 'The header has no user_token or internal_user_id column' },
    ]);
    expect(refusalsOf(`user_token,currency,action,action,destination_token\n`)).toEqual([
      { line: 1, column: 'action', message: 'The column action appears twice' },
    ]);
    expect(refusalsOf(`user_token,currency,destination_token,percentage\n`)).toEqual([
      { line: 1, column: 'action', message: 'The header has no action column' },
    ]);
  });

  it('refuses each bad cell with its line and column', () => {
    const header = 'user_token,internal_user_id,wallet_token,currency,action,destination_token,percentage';
    const rows = [
      `${USER},,${WALLET},,move,${EVERGREEN},10`,
      `usr_../x,,${WALLET},,add,${EVERGREEN},10`,
      `${USER},,wlt_1,,add,${EVERGREEN},10`,
      `${USER},,${WALLET},,add,dest_nope,10`,
      `${USER},,${WALLET},,add,${EVERGREEN},100.5`,
      `${USER},,${WALLET},,add,${EVERGREEN},0`,
      `${USER},,${WALLET},,set,${EVERGREEN},12.345`,
      `${USER},,${WALLET},,set,${EVERGREEN},ten`,
      `${USER},,${WALLET},,set,${EVERGREEN},`,
      `${USER},,${WALLET},,remove,${EVERGREEN},10`,
      `,,${WALLET},,remove,${EVERGREEN},`,
      `${USER},ext-1,${WALLET},,remove,${EVERGREEN},`,
      `${USER},,${WALLET},usd,remove,${EVERGREEN},`,
      `${USER},,${WALLET},,remove,${EVERGREEN},,extra`,
    ];
    expect(refusalsOf([header, ...rows].join('\n'))).toEqual([
      { line: 2, column: 'action', message: 'Action must be add, set or remove' },
      { line: 3, column: 'user_token', message: 'User token is not a valid token' },
      { line: 4, column: 'wallet_token', message: 'Wallet token is not a valid token' },
      { line: 5, column: 'destination_token', message: 'Destination token is not a valid token' },
      { line: 6, column: 'percentage', message: 'Percentage must be at most 100' },
      { line: 7, column: 'percentage', message: 'Percentage must be greater than 0' },
      { line: 8, column: 'percentage', message: 'Percentage may have at most two decimals' },
      { line: 9, column: 'percentage', message: 'Percentage must be a number such as 12.5' },
      { line: 10, column: 'percentage', message: 'A percentage is required for set' },
      { line: 11, column: 'percentage', message: 'A remove takes no percentage: leave it empty' },
      { line: 12, column: 'user_token', message: 'The user is required (user_token or internal_user_id)' },
      { line: 13, column: 'internal_user_id', message: 'Give user_token or internal_user_id, not both' },
      { line: 14, column: 'currency', message: 'Give wallet_token or currency, not both' },
      { line: 15, column: 'column 8', message: 'The row has 8 cells and the header 7' },
    ]);
  });

  it('refuses a row too long, and an unclosed quote', () => {
    const header = 'internal_user_id,currency,action,destination_token,percentage';
    expect(refusalsOf(`${header}\next-1,USD,set,${EVERGREEN},10\n${'x'.repeat(1_200)},USD,set,${EVERGREEN},10\n`)).toEqual([
      { line: 3, column: null, message: 'The row is 1253 characters long (at most 1000)' },
    ]);
    expect(refusalsOf(`${header}\next-1,USD,set,${EVERGREEN},10\next-2,"USD,set,${EVERGREEN},10\next-3,USD,set,${EVERGREEN},10\n`)).toEqual([
      { line: 3, column: 'currency', message: 'A quoted cell is not closed or has a stray quote ("" stands for one quote inside a quoted cell)' },
    ]);
  });

  it('refuses a file over the limits: more rows than allowed, more bytes than allowed', () => {
    const row = `ext-1,USD,set,${EVERGREEN},10`;
    const many = Papa.unparse([
      ['internal_user_id', 'currency', 'action', 'destination_token', 'percentage'],
      ...Array.from({ length: BULK_MAX_ROWS + 5 }, () => row.split(',')),
    ]);
    expect(refusalsOf(many)).toEqual([{ line: BULK_MAX_ROWS + 2, column: null, message: `The file has more than ${BULK_MAX_ROWS} rows` }]);
    const exactly = Papa.unparse([
      ['internal_user_id', 'currency', 'action', 'destination_token', 'percentage'],
      ...Array.from({ length: BULK_MAX_ROWS }, () => row.split(',')),
    ]);
    expect(parse(exactly).ok).toBe(true);
    const lineBytes = row.length + 1;
    const big = Buffer.from(`internal_user_id,currency,action,destination_token,percentage\n${`${row}\n`.repeat(Math.ceil(BULK_MAX_BYTES / lineBytes) + 1)}`);
    const [refusal] = refusalsOf(big);
    expect(refusal).toMatchObject({ column: null, message: 'The file is over 5 MiB' });
    expect(refusal!.line).toBeGreaterThan(BULK_MAX_BYTES / lineBytes - 1);
  });

  it('refuses a binary file: a NUL byte, bytes that are not UTF-8 (naming the line and column)', () => {
    const good = `internal_user_id,currency,action,destination_token,percentage\next-1,USD,set,${EVERGREEN},10\n`;
    expect(refusalsOf(Buffer.concat([Buffer.from(`${good}ext-2,US`), Buffer.from([0x00]), Buffer.from('D,set\n')]))).toEqual([
      { line: 3, column: 'column 2', message: 'The file is not UTF-8 text (a NUL byte): save it as CSV UTF-8' },
    ]);
    // Latin-1 "é" in a cell of line 3, after a genuine U+FFFD on line 2.
    const latin1 = Buffer.concat([
      Buffer.from(good.replace('ext-1', 'ext-\ufffd')),
      Buffer.from('ext-2,USD,set,caf'),
      Buffer.from([0xe9]),
      Buffer.from(',10\n'),
    ]);
    expect(refusalsOf(latin1)).toEqual([
      { line: 3, column: 'column 4', message: 'The file is not UTF-8 text (bytes that are not UTF-8): save it as CSV UTF-8' },
    ]);
    expect(refusalsOf(Buffer.from('\u0089PNG\r\n', 'latin1'))[0]).toMatchObject({ line: 1, column: 'column 1' });
    // UTF-16 (a spreadsheet's "Unicode text") is full of NULs.
    expect(refusalsOf(Buffer.from(`\ufeff${good}`, 'utf16le'))[0]).toMatchObject({
      line: 1,
      message: 'The file is not UTF-8 text (a NUL byte): save it as CSV UTF-8',
    });
  });

  it('refuses an empty file and a header without rows', () => {
    expect(refusalsOf('')).toEqual([{ line: 1, column: null, message: 'The file is empty: it needs a header and at least one row' }]);
    expect(refusalsOf('\r\n\r\n')).toEqual([{ line: 1, column: null, message: 'The file is empty: it needs a header and at least one row' }]);
    expect(refusalsOf('internal_user_id,currency,action,destination_token,percentage\r\n\r\n')).toEqual([
      { line: 2, column: null, message: 'The file has a header but no rows' },
    ]);
  });

  it('stops at 50 refusals', () => {
    const text = `internal_user_id,currency,action,destination_token,percentage\n${'ext-1,USD,jump,x,1\n'.repeat(200)}`;
    const refusals = refusalsOf(text);
    expect(refusals).toHaveLength(50);
    expect(refusals.at(-1)!.line).toBe(26);
  });
});
