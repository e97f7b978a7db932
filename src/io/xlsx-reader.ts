import type * as ExcelJS from 'exceljs';
import { loadExcelJs } from './exceljs-module.ts';
import { xlsxCellText } from './xlsx-cell-text.ts';
import { isBlankRow, type SheetTable, type SheetTableRow } from './sheet-table.ts';

/** The sheet name the earlier tool read; other sheets in the workbook are ignored when it exists. */
export const PO_SHEET_NAME = 'PO_Data';

export interface XlsxTable extends SheetTable {
  readonly sheetName: string;
}

/**
 * Reads the `PO_Data` sheet (name matched ignoring case), else the first visible sheet.
 * Throws whatever exceljs throws for a file that is not a workbook; the caller words it.
 */
export async function readXlsxTable(bytes: Uint8Array): Promise<XlsxTable> {
  const workbook = new (await loadExcelJs()).Workbook();
  // exceljs types its input as an ArrayBuffer; a copy gives it exactly that.
  await workbook.xlsx.load(Uint8Array.from(bytes).buffer);
  const sheet = pickSheet(workbook);
  if (sheet === undefined) return { rows: [], sheetName: '' };
  const rows: SheetTableRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    for (let column = 1; column <= row.cellCount; column += 1) {
      cells.push(xlsxCellText(row.getCell(column).value));
    }
    if (!isBlankRow(cells)) rows.push({ rowNumber, cells });
  });
  return { rows, sheetName: sheet.name };
}

function pickSheet(workbook: ExcelJS.Workbook): ExcelJS.Worksheet | undefined {
  const sheets = workbook.worksheets.filter((sheet) => sheet !== undefined);
  const wanted = PO_SHEET_NAME.toLowerCase();
  const named = sheets.find((sheet) => sheet.name.trim().toLowerCase() === wanted);
  return named ?? sheets.find((sheet) => sheet.state === 'visible') ?? sheets[0];
}
