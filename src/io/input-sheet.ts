import { CoupaDlError } from '../domain/errors.ts';
import type { InputRow, InputSheet, RowProblem } from '../domain/input-row.ts';
import { parsePoNumber, type PoPrefixRule } from '../domain/po-number.ts';
import { readInputTable, type InputTable } from './input-file.ts';
import { resolveSheetColumns, type SheetColumns } from './sheet-columns.ts';
import type { SheetTableRow } from './sheet-table.ts';

export interface ReadInputSheetOptions {
  readonly prefixRule: PoPrefixRule;
}

/**
 * Reads and validates the user's PO sheet (CSV in any usual encoding, or XLSX).
 * Throws INPUT_UNREADABLE when the file cannot be read and INPUT_INVALID when it has no
 * PO_NUMBER column; bad rows do not throw but come back together in `problems`.
 */
export async function readInputSheet(path: string, options: ReadInputSheetOptions): Promise<InputSheet> {
  const table = await readInputTable(path);
  return buildInputSheet(path, table, options.prefixRule);
}

/**
 * Gives the grid its meaning. The first non-blank row is the header; every later non-blank row
 * becomes an InputRow, invalid or duplicate ones included (the run decides what to do with them).
 * Blank rows are not POs and are left out, but rows keep the number Excel shows.
 */
export function buildInputSheet(path: string, table: InputTable, prefixRule: PoPrefixRule): InputSheet {
  const [header, ...data] = table.rows;
  if (header === undefined) {
    throw new CoupaDlError('INPUT_INVALID', `Expected a header row with PO_NUMBER in ${table.where}, but it is empty.`, {
      hint: 'Put PO_NUMBER in the first row and one PO number per row below it.',
    });
  }
  const columns = resolveSheetColumns(header, data, table.where);
  const rows = data.map((row) => buildRow(row, columns, prefixRule));
  const problems: RowProblem[] = rows.flatMap((row) =>
    row.problem === null ? [] : [{ rowNumber: row.rowNumber, poNumber: row.poNumber, message: row.problem }],
  );
  return { path, columns: columns.headers, rows, problems };
}

function buildRow(row: SheetTableRow, columns: SheetColumns, prefixRule: PoPrefixRule): InputRow {
  const cell = (index: number | null): string => (index === null ? '' : (row.cells[index] ?? ''));
  const cells: Record<string, string> = {};
  columns.headers.forEach((name, index) => {
    cells[name] = cell(index);
  });
  const parsed = parsePoNumber(cell(columns.poNumber), prefixRule);
  return {
    rowNumber: row.rowNumber,
    poNumber: parsed.poNumber,
    poId: parsed.ok ? parsed.poId : null,
    problem: parsed.ok ? null : parsed.problem,
    // Upper-cased so `completed` typed by hand still skips the row like `COMPLETED`.
    inputStatus: cell(columns.status).trim().toUpperCase(),
    supplier: cell(columns.supplier).trim(),
    folderLevels: columns.folderLevels === null ? null : columns.folderLevels.map((index) => cell(index).trim()),
    cells,
  };
}
