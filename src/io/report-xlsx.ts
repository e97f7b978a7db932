import ExcelJS from 'exceljs';
import { PO_STATUSES } from '../domain/status.ts';
import type { ReportTable } from './report-table.ts';
import type { RunReport } from './run-report.ts';

const FILES_COLUMNS = ['PO_NUMBER', 'FILE_NAME', 'SIZE_BYTES', 'SHA256', 'SOURCE_URL', 'PATH', 'KIND', 'ORIGIN'];
const STATUS_ORDER: readonly string[] = [...PO_STATUSES, 'PENDING'];
const STATUS_HEADER: Cell[] = ['STATUS', 'POs'];
const MIN_WIDTH = 8;
const MAX_WIDTH = 60;

/**
 * `results.xlsx`: the Results grid (same columns as the CSV, counts as numbers), every saved
 * file, and a run summary. Text goes in as typed strings, so nothing from Coupa is ever
 * evaluated as a formula and PO numbers never turn into `1.5E+7`.
 */
export async function renderReportXlsx(report: RunReport, table: ReportTable): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'coupa-dl';
  addGrid(workbook, 'Results', table.headers, table.rows);
  addGrid(workbook, 'Files', FILES_COLUMNS, report.files.map((file) => [
    file.poNumber, file.name, file.sizeBytes, file.sha256, file.sourceUrl, file.relativePath, file.kind, file.origin,
  ]));
  addSummary(workbook, report);
  const bytes = await workbook.xlsx.writeBuffer();
  return Buffer.from(bytes);
}

type Cell = string | number | null;

/** A sheet with a bold, frozen, filterable header row and columns as wide as their content. */
function addGrid(workbook: ExcelJS.Workbook, name: string, headers: readonly string[], rows: readonly (readonly Cell[])[]): void {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.addRow([...headers]).font = { bold: true };
  for (const row of rows) sheet.addRow([...row]);
  if (headers.length > 0) sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: headers.length } };
  fitWidths(sheet, [headers, ...rows]);
}

function addSummary(workbook: ExcelJS.Workbook, report: RunReport): void {
  const { summary } = report;
  const sheet = workbook.addWorksheet('Summary');
  const statuses = Object.keys(summary.counts).sort((a, b) => rank(a) - rank(b));
  const totalBytes = report.files.reduce((sum, file) => sum + file.sizeBytes, 0);
  const rows: Cell[][] = [
    ['Started', summary.startedAt],
    ['Finished', summary.finishedAt],
    ['Input', summary.input],
    ['Coupa URL', summary.baseUrl],
    ['Interrupted', summary.interrupted ? 'Yes' : 'No'],
    [],
    STATUS_HEADER,
    ...statuses.map((status): Cell[] => [status, summary.counts[status] ?? 0]),
    [],
    ['Rows', report.rows.length],
    ['Files saved', report.files.length],
    ['Bytes saved', totalBytes],
  ];
  for (const row of rows) {
    const added = sheet.addRow(row);
    if (row === STATUS_HEADER) added.font = { bold: true };
  }
  sheet.getColumn(1).font = { bold: true };
  fitWidths(sheet, rows);
}

function rank(status: string): number {
  const index = STATUS_ORDER.indexOf(status);
  return index === -1 ? STATUS_ORDER.length : index;
}

function fitWidths(sheet: ExcelJS.Worksheet, rows: readonly (readonly Cell[])[]): void {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, index) => {
      // Multi-line cells (joined names, error texts) are as wide as their longest line.
      const longest = Math.max(...String(cell ?? '').split('\n').map((line) => line.length));
      widths[index] = Math.max(widths[index] ?? MIN_WIDTH, Math.min(longest + 2, MAX_WIDTH));
    });
  }
  widths.forEach((width, index) => {
    sheet.getColumn(index + 1).width = width;
  });
}
