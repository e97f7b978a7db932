import { isFetchSource, type FetchSource } from '../domain/fetch-source.ts';
import type { AttachmentKind, AttachmentOrigin, PoOutcome, SavedFile } from '../domain/po-outcome.ts';
import type { PoState, PoStatus } from '../domain/status.ts';
import { PO_STATES, isPoStatus } from '../domain/status.ts';
import type { SqliteRow } from './sqlite-row.ts';
import { integerColumn, nullableIntegerColumn, nullableTextColumn, textColumn } from './sqlite-row.ts';

/** A PO as the store knows it. */
export interface StoredPo {
  readonly poId: string;
  readonly poNumber: string;
  readonly state: PoState;
  /** The attempt number of the latest try (0 before the first). */
  readonly attempts: number;
  /**
   * How the PO last ended, with the files of that ending (final paths); `null` before it ever ended.
   * While a retry runs, `state` has moved on but this still describes the previous ending.
   */
  readonly outcome: PoOutcome | null;
  /** ISO 8601 time of the latest change. */
  readonly updatedAt: string;
  /** Why the PO was handed back or what went wrong last; `''` when nothing did. */
  readonly lastError: string;
  /** The way it was last fetched; `null` before it ever ended (or when it ended before coupa-dl recorded this). */
  readonly source: FetchSource | null;
}

/**
 * A file row: `work` when verified in the PO's `__WORK` folder during an attempt,
 * `final` once the PO ended and the file sits in its final folder.
 */
export interface StoredFile extends SavedFile {
  readonly stage: 'work' | 'final';
}

/** One change of a PO's state, kept for the whole history of the output folder. */
export interface Transition {
  readonly poId: string;
  /** The run that made the change (`null` when made outside a run, e.g. by `coupa-dl report`). */
  readonly runId: number | null;
  readonly at: string;
  /** `null` when the PO was first added. */
  readonly from: PoState | null;
  readonly to: PoState;
  readonly attempt: number;
  readonly message: string;
}

export function toStoredFile(row: SqliteRow): StoredFile {
  return {
    poNumber: textColumn(row, 'po_number'),
    name: textColumn(row, 'name'),
    relativePath: textColumn(row, 'relative_path'),
    sizeBytes: integerColumn(row, 'size_bytes'),
    sha256: textColumn(row, 'sha256'),
    sourceUrl: textColumn(row, 'source_url'),
    kind: toKind(textColumn(row, 'kind')),
    origin: toOrigin(textColumn(row, 'origin')),
    stage: textColumn(row, 'stage') === 'final' ? 'final' : 'work',
  };
}

/** `files` are the PO's final file rows. */
export function toStoredPo(row: SqliteRow, files: readonly SavedFile[]): StoredPo {
  const outcomeStatus = nullableTextColumn(row, 'outcome_status');
  return {
    poId: textColumn(row, 'po_id'),
    poNumber: textColumn(row, 'po_number'),
    state: toState(textColumn(row, 'state')),
    attempts: integerColumn(row, 'attempts'),
    outcome: outcomeStatus === null ? null : toOutcome(row, toStatus(outcomeStatus), files),
    updatedAt: textColumn(row, 'updated_at'),
    lastError: textColumn(row, 'last_error'),
    source: toSource(nullableTextColumn(row, 'source')),
  };
}

export function toTransition(row: SqliteRow): Transition {
  const from = nullableTextColumn(row, 'from_state');
  return {
    poId: textColumn(row, 'po_id'),
    runId: nullableIntegerColumn(row, 'run_id'),
    at: textColumn(row, 'at'),
    from: from === null ? null : toState(from),
    to: toState(textColumn(row, 'to_state')),
    attempt: integerColumn(row, 'attempt'),
    message: textColumn(row, 'message'),
  };
}

function toOutcome(row: SqliteRow, status: PoStatus, files: readonly SavedFile[]): PoOutcome {
  return {
    status,
    supplier: textColumn(row, 'supplier'),
    attachmentsFound: integerColumn(row, 'attachments_found'),
    attachmentsDownloaded: integerColumn(row, 'attachments_downloaded'),
    files,
    errorMessage: textColumn(row, 'error_message'),
    folder: textColumn(row, 'folder'),
    coupaUrl: textColumn(row, 'coupa_url'),
    savedPage: textColumn(row, 'saved_page'),
  };
}

// The CHECK constraints already hold these columns to known values; these guards keep the types honest.
function toState(value: string): PoState {
  const state = PO_STATES.find((known) => known === value);
  if (state === undefined) throw new Error(`Unknown PO state \`${value}\` in the state store.`);
  return state;
}

function toSource(value: string | null): FetchSource | null {
  if (value === null) return null;
  if (!isFetchSource(value)) throw new Error(`Unknown fetch source \`${value}\` in the state store.`);
  return value;
}

function toStatus(value: string): PoStatus {
  if (!isPoStatus(value)) throw new Error(`Unknown PO status \`${value}\` in the state store.`);
  return value;
}

function toKind(value: string): AttachmentKind {
  if (value === 'file' || value === 'url' || value === 'text') return value;
  throw new Error(`Unknown attachment kind \`${value}\` in the state store.`);
}

function toOrigin(value: string): AttachmentOrigin {
  if (value === 'po' || value === 'requisition') return value;
  throw new Error(`Unknown attachment origin \`${value}\` in the state store.`);
}
