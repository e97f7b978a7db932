import type { BatchPlan, RowPlan } from '../domain/batch-plan.ts';
import { PO_STATUSES, isPoStatus } from '../domain/status.ts';
import { localTimestamp } from '../io/local-timestamp.ts';
import {
  carriedOverReportRow,
  invalidReportRow,
  outcomeReportRow,
  pendingReportRow,
  type ReportRow,
  type RunReport,
} from '../io/run-report.ts';
import type { StoredConversion, StoredPo, StoredPoPdf } from '../state/state-store.ts';
import { madeFilesOf } from './conversion/made-files-report.ts';

export interface ReportSource {
  /** Every PO the output folder knows, by id. */
  readonly pos: readonly StoredPo[];
  readonly files: RunReport['files'];
  readonly inputColumns: readonly string[];
  readonly plan: BatchPlan;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly inputPath: string;
  readonly baseUrl: string;
  readonly interrupted: boolean;
  /** Path separator for DOWNLOAD_FOLDER and file paths: `\\` on Windows so paths paste into Explorer. */
  readonly separator?: '/' | '\\';
  /** What the state knows of the files made beside the downloads (mail PDFs, PO PDFs): listed in the Files sheet. */
  readonly made?: { readonly conversions: readonly StoredConversion[]; readonly poPdfs: readonly StoredPoPdf[] };
}

/**
 * The report, rebuilt from the state alone: one row per input row, in input order. Pure, so
 * `coupa-dl report` and every run produce the same sheet from the same state.
 */
export function buildReport(source: ReportSource): RunReport {
  const native = (path: string): string => (source.separator === '\\' ? path.replaceAll('/', '\\') : path);
  const byId = new Map(source.pos.map((po) => [po.poId, po.outcome ? { ...po, outcome: { ...po.outcome, folder: native(po.outcome.folder), savedPage: native(po.outcome.savedPage) } } : po]));
  const rows = source.plan.rows.map((plan) => rowFor(plan, byId));
  return {
    inputColumns: source.inputColumns,
    rows,
    files: source.files.map((file) => ({ ...file, relativePath: native(file.relativePath) })),
    ...(source.made === undefined ? {} : { made: madeFilesOf({ files: source.files, poNumbers: new Map(source.pos.map((po) => [po.poId, po.poNumber])), ...source.made }, native) }),
    summary: {
      startedAt: localTimestamp(source.startedAt),
      finishedAt: localTimestamp(source.finishedAt),
      input: source.inputPath,
      baseUrl: source.baseUrl,
      counts: countStatuses(rows),
      interrupted: source.interrupted,
    },
  };
}

function rowFor(plan: RowPlan, byId: ReadonlyMap<string, StoredPo>): ReportRow {
  switch (plan.kind) {
    case 'invalid':
      return invalidReportRow(plan.row);
    case 'skip-input-completed':
      return carriedOverReportRow(plan.row);
    case 'fetch':
      return storedRow(plan.row, byId.get(plan.task.poId));
    case 'already-done':
    case 'duplicate':
    case 'skip-never-run':
      return storedRow(plan.row, byId.get(plan.poId));
    default: {
      const unknown: never = plan;
      throw new Error(`Unknown row plan ${JSON.stringify(unknown)}`);
    }
  }
}

function storedRow(row: RowPlan['row'], po: StoredPo | undefined): ReportRow {
  if (po === undefined || po.outcome === null || !isPoStatus(po.state)) return pendingReportRow(row);
  return outcomeReportRow(row, po.outcome, localTimestamp(new Date(po.updatedAt)));
}

/** Rows per status, every status present (zeros included) in the documented order, then PENDING. */
export function countStatuses(rows: readonly ReportRow[]): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries([...PO_STATUSES, 'PENDING'].map((s) => [s, 0]));
  for (const row of rows) counts[row.status] = (counts[row.status] ?? 0) + 1;
  return counts;
}
