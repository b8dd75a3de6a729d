import Papa from 'papaparse';
import { WALLET_CSV_COLUMNS, type WalletCsvRow } from './wallet-rows';

/**
 * Text a spreadsheet would run as a formula (`=…`, `+…`, `-…`, `@…`, a leading tab or CR) is
 * written with a leading `'` (papaparse's escapeFormulae) — except a plain negative number.
 */
const FORMULA_LIKE = /^(?!-\d+(?:\.\d+)?$)[=+\-@\t\r]/;

/** RFC 4180 CSV (CRLF, quotes where needed) with a header row, as papaparse writes it. */
export const walletsCsv = (rows: readonly WalletCsvRow[]): string =>
  Papa.unparse({ fields: [...WALLET_CSV_COLUMNS], data: [...rows] }, { newline: '\r\n', escapeFormulae: FORMULA_LIKE });
