import type { DatabaseSync } from 'node:sqlite';
import type { InputRow } from '../domain/input-row.ts';
import type { SqliteRow } from './sqlite-row.ts';
import {
  integerColumn,
  jsonColumn,
  nullableTextColumn,
  stringArray,
  stringRecord,
  textColumn,
} from './sqlite-row.ts';

/** The remembered input sheet, so `coupa-dl report` can rebuild the report without the original file. */
export interface StoredInput {
  columns: string[];
  rows: InputRow[];
}

/** Replaces the remembered sheet with `rows` in their order. Call inside a transaction. */
export function writeInput(db: DatabaseSync, rows: readonly InputRow[], columns: readonly string[]): void {
  db.exec('DELETE FROM input_rows');
  db.prepare(
    `INSERT INTO input_sheet (id, columns) VALUES (1, $columns)
     ON CONFLICT (id) DO UPDATE SET columns = excluded.columns`,
  ).run({ columns: JSON.stringify(columns) });
  const insert = db.prepare(
    `INSERT INTO input_rows (position, row_number, po_number, po_id, problem, input_status, supplier, folder_levels, cells)
     VALUES ($position, $rowNumber, $poNumber, $poId, $problem, $inputStatus, $supplier, $folderLevels, $cells)`,
  );
  rows.forEach((row, position) => {
    insert.run({
      position,
      rowNumber: row.rowNumber,
      poNumber: row.poNumber,
      poId: row.poId,
      problem: row.problem,
      inputStatus: row.inputStatus,
      supplier: row.supplier,
      folderLevels: row.folderLevels === null ? null : JSON.stringify(row.folderLevels),
      cells: JSON.stringify(row.cells),
    });
  });
}

/** The remembered sheet, or `null` when no run has saved one yet. */
export function readInput(db: DatabaseSync): StoredInput | null {
  const sheet = db.prepare('SELECT columns FROM input_sheet WHERE id = 1').get();
  if (sheet === undefined) return null;
  const rows = db.prepare('SELECT * FROM input_rows ORDER BY position').all().map(toInputRow);
  return { columns: stringArray(jsonColumn(sheet, 'columns'), 'columns'), rows };
}

function toInputRow(row: SqliteRow): InputRow {
  return {
    rowNumber: integerColumn(row, 'row_number'),
    poNumber: textColumn(row, 'po_number'),
    poId: nullableTextColumn(row, 'po_id'),
    problem: nullableTextColumn(row, 'problem'),
    inputStatus: textColumn(row, 'input_status'),
    supplier: textColumn(row, 'supplier'),
    folderLevels: row['folder_levels'] === null ? null : stringArray(jsonColumn(row, 'folder_levels'), 'folder_levels'),
    cells: stringRecord(jsonColumn(row, 'cells'), 'cells'),
  };
}
