import type { InputRow } from '../domain/input-row.ts';
import { headerKey } from './header-key.ts';

/** The report's first columns, in this exact order: users' macros read them by position and name. */
export const REPORT_COLUMNS = [
  'PO_NUMBER',
  'STATUS',
  'SUPPLIER',
  'ATTACHMENTS_FOUND',
  'ATTACHMENTS_DOWNLOADED',
  'AttachmentName',
  'LAST_PROCESSED',
  'ERROR_MESSAGE',
  'DOWNLOAD_FOLDER',
  'COUPA_URL',
] as const;

export type ReportColumn = (typeof REPORT_COLUMNS)[number];

/**
 * Columns added since the earlier tool, after everything else (the input's own columns included),
 * so the positions macros read never move.
 */
export const APPENDED_COLUMNS = ['SAVED_PAGE'] as const;

export type AppendedColumn = (typeof APPENDED_COLUMNS)[number];

const STANDARD_KEYS = new Set<string>([...REPORT_COLUMNS, ...APPENDED_COLUMNS].map(headerKey));

/**
 * The input columns copied after the standard ones, in the sheet's order. A column that names a
 * standard one (matched like PO_NUMBER, e.g. when a report is fed back in) is not repeated.
 */
export function passthroughColumns(inputColumns: readonly string[]): string[] {
  return inputColumns.filter((column) => !STANDARD_KEYS.has(headerKey(column)));
}

/** The input row's cell under a standard column's name (`''` when the sheet has no such column). */
export function standardInputCell(input: InputRow, column: ReportColumn): string {
  const key = headerKey(column);
  const header = Object.keys(input.cells).find((name) => headerKey(name) === key);
  return header === undefined ? '' : (input.cells[header] ?? '');
}
