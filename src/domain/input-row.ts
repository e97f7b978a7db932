/** One row of the user's PO sheet, validated once at the edge (src/io/input-sheet.ts). */
export interface InputRow {
  /** 1-based row number as the user sees it in Excel (the header is row 1). */
  readonly rowNumber: number;
  /** The PO number as written, trimmed (e.g. `PO15262984`). */
  readonly poNumber: string;
  /** The numeric id for `/order_headers/<id>`; `null` when the row is invalid. */
  readonly poId: string | null;
  /** Why the row is invalid (becomes the report's ERROR_MESSAGE with status INVALID_PO); `null` when valid. */
  readonly problem: string | null;
  /** The sheet's STATUS cell (`''` when the column is absent). Rows already `COMPLETED` are skipped. */
  readonly inputStatus: string;
  /** The sheet's SUPPLIER cell (`''` when absent). */
  readonly supplier: string;
  /** Cells of the columns after a `<|>` column (folder levels); `null` when the sheet has no `<|>` column. */
  readonly folderLevels: readonly string[] | null;
  /** Every cell of the row by its header, as read (copied to the report after the standard columns). */
  readonly cells: Readonly<Record<string, string>>;
}

/** A problem with one row, reported together with all the others. */
export interface RowProblem {
  readonly rowNumber: number;
  readonly poNumber: string;
  readonly message: string;
}

export interface InputSheet {
  /** The file that was read. */
  readonly path: string;
  /** The headers, in the sheet's order. */
  readonly columns: readonly string[];
  readonly rows: readonly InputRow[];
  readonly problems: readonly RowProblem[];
}
