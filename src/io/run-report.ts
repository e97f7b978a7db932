import type { InputRow } from '../domain/input-row.ts';
import type { PoOutcome, SavedFile } from '../domain/po-outcome.ts';
import type { PoStatus } from '../domain/status.ts';
import type { MadeFiles } from './made-files.ts';
import { standardInputCell, type ReportColumn } from './report-columns.ts';

/**
 * A row's STATUS in the report: how its PO ended, or `PENDING` when the run stopped before it.
 * There is no separate SKIPPED status: a row skipped because the sheet already said COMPLETED
 * keeps `COMPLETED` and the other cells the sheet had (see `carriedOverReportRow`), so feeding
 * the report back in as input skips it again, as the earlier tool's users expect.
 */
export type ReportStatus = PoStatus | 'PENDING';

export interface ReportRow {
  readonly input: InputRow;
  readonly status: ReportStatus;
  readonly supplier: string;
  /** `null` leaves the cell blank (not yet known), rather than claiming zero. */
  readonly attachmentsFound: number | null;
  readonly attachmentsDownloaded: number | null;
  readonly attachmentNames: readonly string[];
  /** Local time `YYYY-MM-DD HH:MM:SS` (see `localTimestamp`), or `''`. */
  readonly lastProcessed: string;
  readonly errorMessage: string;
  /** The PO's folder relative to the output folder, `''` when nothing was written. */
  readonly downloadFolder: string;
  readonly coupaUrl: string;
  /** The saved copy of the page (an unclear outcome), relative to the output folder; `''` when none. */
  readonly savedPage: string;
}

export interface RunSummary {
  readonly startedAt: string;
  readonly finishedAt: string;
  /** The input sheet's path. */
  readonly input: string;
  readonly baseUrl: string;
  /** Rows per STATUS (PoStatus names and `PENDING`). */
  readonly counts: Readonly<Record<string, number>>;
  readonly interrupted: boolean;
}

export interface RunReport {
  /** The input sheet's headers, in order; those that are not standard columns are copied through. */
  readonly inputColumns: readonly string[];
  /** One per input row, in input order. */
  readonly rows: readonly ReportRow[];
  readonly files: readonly SavedFile[];
  /** What was made beside the downloads (mail PDFs, the files taken out of mails, PO PDFs). */
  readonly made?: MadeFiles;
  readonly summary: RunSummary;
}

/** The row of a PO the run finished (any PoStatus). */
export function outcomeReportRow(input: InputRow, outcome: PoOutcome, lastProcessed: string): ReportRow {
  return {
    input,
    status: outcome.status,
    supplier: outcome.supplier || input.supplier,
    attachmentsFound: outcome.attachmentsFound,
    attachmentsDownloaded: outcome.attachmentsDownloaded,
    attachmentNames: outcome.files.map((file) => file.name),
    lastProcessed,
    errorMessage: outcome.errorMessage,
    downloadFolder: outcome.folder,
    coupaUrl: outcome.coupaUrl,
    savedPage: outcome.savedPage,
  };
}

/** The row of an input row whose PO number is not valid: INVALID_PO with the reason. */
export function invalidReportRow(input: InputRow): ReportRow {
  return { ...emptyRow(input), status: 'INVALID_PO', errorMessage: input.problem ?? 'The PO number is not valid.' };
}

/** The row of a PO the run did not reach (it was interrupted or stopped). */
export function pendingReportRow(input: InputRow): ReportRow {
  return { ...emptyRow(input), status: 'PENDING' };
}

/**
 * The row of an input row skipped because its STATUS already said COMPLETED: every standard
 * cell is copied from the sheet, so a report fed back in keeps what the earlier run found.
 */
export function carriedOverReportRow(input: InputRow): ReportRow {
  const cellOf = (column: ReportColumn): string => standardInputCell(input, column);
  const count = (column: ReportColumn): number | null => {
    const text = cellOf(column).trim();
    return /^\d+$/.test(text) ? Number(text) : null;
  };
  const names = cellOf('AttachmentName');
  return {
    input,
    status: 'COMPLETED',
    supplier: cellOf('SUPPLIER') || input.supplier,
    attachmentsFound: count('ATTACHMENTS_FOUND'),
    attachmentsDownloaded: count('ATTACHMENTS_DOWNLOADED'),
    attachmentNames: names === '' ? [] : names.split(';').map((name) => name.trim()),
    lastProcessed: cellOf('LAST_PROCESSED'),
    errorMessage: cellOf('ERROR_MESSAGE'),
    downloadFolder: cellOf('DOWNLOAD_FOLDER'),
    coupaUrl: cellOf('COUPA_URL'),
    savedPage: '',
  };
}

function emptyRow(input: InputRow): Omit<ReportRow, 'status'> {
  return {
    input,
    supplier: input.supplier,
    attachmentsFound: null,
    attachmentsDownloaded: null,
    attachmentNames: [],
    lastProcessed: '',
    errorMessage: '',
    downloadFolder: '',
    coupaUrl: '',
    savedPage: '',
  };
}
