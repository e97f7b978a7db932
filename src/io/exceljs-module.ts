/**
 * ExcelJS, loaded the first time a workbook is read or written: importing it takes ~0.5 s and
 * ~35 MB, which every command paid at its start (`--help` and `doctor` included) and a run paid
 * before its first PO.
 */
let loading: Promise<typeof import('exceljs')> | null = null;

export function loadExcelJs(): Promise<typeof import('exceljs')> {
  loading ??= import('exceljs').then((module) => module.default);
  return loading;
}
