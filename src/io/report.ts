import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CoupaDlError } from '../domain/errors.ts';
import { writeFileAtomic } from './atomic-file.ts';
import { renderReportCsv } from './report-csv.ts';
import { reportTable } from './report-table.ts';
import { renderReportXlsx } from './report-xlsx.ts';
import type { RunReport } from './run-report.ts';

export type { ReportRow, ReportStatus, RunReport, RunSummary } from './run-report.ts';

export const REPORT_CSV_NAME = 'results.csv';
export const REPORT_XLSX_NAME = 'results.xlsx';

export interface ReportPaths {
  readonly csvPath: string;
  readonly xlsxPath: string;
}

/**
 * Writes `results.csv` and `results.xlsx` into `outDir`, each atomically. Safe to call as often
 * as the run likes (e.g. after every PO), so statuses survive a crash. A report open in Excel
 * does not fail the run: that file is written under the next free name, which is returned.
 */
export async function writeReports(outDir: string, report: RunReport): Promise<ReportPaths> {
  await mkdir(outDir, { recursive: true }).catch((error: unknown) => {
    throw new CoupaDlError('OUTPUT_NOT_WRITABLE', `Could not create the output folder ${outDir}.`, { cause: error });
  });
  const table = reportTable(report);
  const csvPath = await writeFileAtomic(join(outDir, REPORT_CSV_NAME), renderReportCsv(table));
  const xlsxPath = await writeFileAtomic(join(outDir, REPORT_XLSX_NAME), await renderReportXlsx(report, table));
  return { csvPath, xlsxPath };
}
