// Cells of every CSV file Sagewire writes, safe to open in a spreadsheet, and read back to the same values.
//   Writing: a text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is what Excel,
//   LibreOffice and Sheets take for a formula (OWASP "CSV injection"), so it gets a single quote in front.
//   A text cell that already starts with a single quote gets one more, so the prefix is never ambiguous.
//   Reading: exactly one leading single quote comes off any cell that has one, which makes the round trip
//   exact: `=x` → `'=x` → `=x`, and `'=x` (a title that really starts with a quote) → `''=x` → `'=x`.
// Text and numbers are told apart by type: a string is text and is neutralised; a number is written as a
// number and never prefixed, so a rating or a negative value stays a number in the spreadsheet. A number
// never starts with a quote, so reading needs no list of columns.
// Cells with whitespace at either end are quoted, so a reader that trims unquoted cells keeps them whole.
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

export type CsvCell = string | number | null | undefined;

const NEEDS_PREFIX = /^[=+\-@\t\r']/;

/** A text cell as written: a single quote in front when a spreadsheet would read a formula (or a quote). */
export function neutraliseCell(text: string): string {
  return NEEDS_PREFIX.test(text) ? `'${text}` : text;
}

/** A cell as read: the one quote `neutraliseCell` added, taken off. */
export function restoreCell(cell: string): string {
  return cell.startsWith("'") ? cell.slice(1) : cell;
}

/** Rows as CSV text (RFC 4180, `\n` line ends); every string cell neutralised, numbers as they are. */
export function toCsv(rows: ReadonlyArray<ReadonlyArray<CsvCell>>): string {
  return stringify(rows as CsvCell[][], { cast: { string: neutraliseCell }, quoted_match: /^\s|\s$/ });
}

/**
 * CSV text as rows of cells, each restored. Tolerant of what people do to files: a byte-order mark, blank
 * lines, rows of different lengths, spaces around cells. Throws csv-parse's error on malformed text.
 */
export function parseCsv(text: string): string[][] {
  const records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true, trim: true }) as string[][];
  return records.map((record) => record.map(restoreCell));
}
