import { APPENDED_COLUMNS, passthroughColumns, REPORT_COLUMNS, type AppendedColumn, type ReportColumn } from './report-columns.ts';
import type { ReportRow, RunReport } from './run-report.ts';

/** A report cell: text, a count (a number in the XLSX), or blank. */
export type ReportCell = string | number | null;

/** The Results grid both report files are written from, so the CSV and the XLSX never disagree. */
export interface ReportTable {
  readonly headers: readonly string[];
  readonly rows: readonly (readonly ReportCell[])[];
}

export function reportTable(report: RunReport): ReportTable {
  const extra = passthroughColumns(report.inputColumns);
  return {
    headers: [...REPORT_COLUMNS, ...extra, ...APPENDED_COLUMNS],
    rows: report.rows.map((row) => [
      ...REPORT_COLUMNS.map((column) => standardCell(row, column)),
      ...extra.map((column) => row.input.cells[column] ?? ''),
      ...APPENDED_COLUMNS.map((column) => appendedCell(row, column)),
    ]),
  };
}

function appendedCell(row: ReportRow, column: AppendedColumn): ReportCell {
  switch (column) {
    case 'SAVED_PAGE':
      return row.savedPage;
    default: {
      const unknown: never = column;
      throw new Error(`Unknown report column ${String(unknown)}`);
    }
  }
}

function standardCell(row: ReportRow, column: ReportColumn): ReportCell {
  switch (column) {
    case 'PO_NUMBER':
      return row.input.poNumber;
    case 'STATUS':
      return row.status;
    case 'SUPPLIER':
      return row.supplier;
    case 'ATTACHMENTS_FOUND':
      return row.attachmentsFound;
    case 'ATTACHMENTS_DOWNLOADED':
      return row.attachmentsDownloaded;
    case 'AttachmentName':
      return row.attachmentNames.join(';');
    case 'LAST_PROCESSED':
      return row.lastProcessed;
    case 'ERROR_MESSAGE':
      return row.errorMessage;
    case 'DOWNLOAD_FOLDER':
      return row.downloadFolder;
    case 'COUPA_URL':
      return row.coupaUrl;
    default: {
      const unknown: never = column;
      throw new Error(`Unknown report column ${String(unknown)}`);
    }
  }
}
