/**
 * A sheet as a grid of text, before any meaning is given to its columns: what the CSV and XLSX
 * readers share, so that finding PO_NUMBER and building rows happens once (input-sheet.ts).
 */
export interface SheetTableRow {
  /** The row number Excel shows (1-based; a CSV record spanning lines is still one row). */
  readonly rowNumber: number;
  /** Cell texts from column A on; trailing empty cells may be missing. */
  readonly cells: readonly string[];
}

export interface SheetTable {
  /** Every row that has at least one non-blank cell, in sheet order. */
  readonly rows: readonly SheetTableRow[];
}

export function isBlankRow(cells: readonly string[]): boolean {
  return cells.every((cell) => cell.trim() === '');
}
