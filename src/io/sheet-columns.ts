import { CoupaDlError } from '../domain/errors.ts';
import { columnLetter, findHeader, HIERARCHY_MARKER } from './header-key.ts';
import type { SheetTableRow } from './sheet-table.ts';

/** Where the columns that mean something to the tool are, by 0-based index. */
export interface SheetColumns {
  /** Unique, trimmed headers; a blank header over data becomes `COLUMN_<letter>`. */
  readonly headers: readonly string[];
  readonly poNumber: number;
  readonly status: number | null;
  readonly supplier: number | null;
  /** The columns after the `<|>` column; `null` when there is no such column. */
  readonly folderLevels: readonly number[] | null;
}

/**
 * Names every column that has a header or holds data, and finds PO_NUMBER, STATUS, SUPPLIER and
 * the `<|>` marker. `where` names the sheet in messages (e.g. "sheet `PO_Data` of orders.xlsx").
 */
export function resolveSheetColumns(header: SheetTableRow, data: readonly SheetTableRow[], where: string): SheetColumns {
  const headers = nameColumns(header.cells, data);
  const poNumber = findHeader(headers, 'PO_NUMBER');
  if (poNumber === -1) throw missingPoColumn(headers, header.rowNumber, where);
  const marker = headers.findIndex((name) => name === HIERARCHY_MARKER);
  return {
    headers,
    poNumber,
    status: indexOrNull(findHeader(headers, 'STATUS')),
    supplier: indexOrNull(findHeader(headers, 'SUPPLIER')),
    folderLevels: marker === -1 ? null : headers.map((_, index) => index).slice(marker + 1),
  };
}

function nameColumns(headerCells: readonly string[], data: readonly SheetTableRow[]): string[] {
  const width = data.reduce((widest, row) => Math.max(widest, row.cells.length), headerCells.length);
  const used = new Set<string>();
  const headers: string[] = [];
  for (let index = 0; index < width; index += 1) {
    const base = (headerCells[index] ?? '').trim() || `COLUMN_${columnLetter(index)}`;
    let name = base;
    // Two columns with one header would collide in InputRow.cells; number the later ones.
    for (let copy = 2; used.has(name); copy += 1) name = `${base}_${copy}`;
    used.add(name);
    headers.push(name);
  }
  // Blank header columns with no data at all are formatting leftovers, not columns.
  while (headers.length > 0 && isUnusedColumn(headers.length - 1, headerCells, data)) headers.pop();
  return headers;
}

function isUnusedColumn(index: number, headerCells: readonly string[], data: readonly SheetTableRow[]): boolean {
  const blank = (cell: string | undefined): boolean => (cell ?? '').trim() === '';
  return blank(headerCells[index]) && data.every((row) => blank(row.cells[index]));
}

function indexOrNull(index: number): number | null {
  return index === -1 ? null : index;
}

function missingPoColumn(headers: readonly string[], headerRow: number, where: string): CoupaDlError {
  const found = headers.length === 0 ? 'no headers' : `the headers ${headers.map((name) => `\`${name}\``).join(', ')}`;
  const looksLikeData = headers.some((name) => /^[A-Za-z]{0,3}[ _-]?\d{6,}$/.test(name));
  const hint = looksLikeData
    ? `Row ${headerRow} looks like data, not headers: insert a header row above it and name the PO column PO_NUMBER.`
    : 'Name the column that holds the PO numbers PO_NUMBER (case, spaces and underscores do not matter).';
  return new CoupaDlError(
    'INPUT_INVALID',
    `Expected a PO_NUMBER column in ${where}, found ${found} (row ${headerRow}).`,
    { hint },
  );
}
