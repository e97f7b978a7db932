import { PO_STATUSES, type PoStatus } from './status.ts';
import type { PoTask } from './po-outcome.ts';

/**
 * The earlier tool's folder layout, which users' scripts and habits rely on:
 * `<out>/<supplier or sheet levels>/<PO folder>_<STATUS>/`, `<PO folder>__WORK` while downloading.
 */

export const MAX_FOLDER_SEGMENT_CHARS = 50;
export const UNKNOWN_SEGMENT = 'Unknown';
export const WORK_SUFFIX = '__WORK';

// The earlier tool's set (`&` too, it broke its shell calls) plus control characters.
// eslint-disable-next-line no-control-regex
const UNSAFE_SEGMENT_CHARS = /[<>:"/\\|?*&\s\u0000-\u001f\u007f]/gu;
const RESERVED_NAME = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\.|$)/i;

/** One folder name: unsafe characters and whitespace become `_`, at most 50 characters, `Unknown` when empty. */
export function folderSegment(raw: string): string {
  const chars = Array.from(raw.normalize('NFC').trim().replace(UNSAFE_SEGMENT_CHARS, '_'));
  let segment = chars.slice(0, MAX_FOLDER_SEGMENT_CHARS).join('');
  // Windows drops trailing dots (and `.`/`..` are not folders at all), so `Acme Inc.` would not round-trip.
  segment = segment.replace(/\.+$/, '');
  if (segment === '') return UNKNOWN_SEGMENT;
  if (RESERVED_NAME.test(segment)) segment = `_${segment}`.slice(0, MAX_FOLDER_SEGMENT_CHARS);
  return segment;
}

/** The PO's folder stem: the PO string, with `PO_` in front when it does not already start with `PO` (any case). */
export function poFolderName(poNumber: string): string {
  const trimmed = poNumber.trim();
  return folderSegment(/^po/i.test(trimmed) ? trimmed : `PO_${trimmed}`);
}

/**
 * The folders above the PO's folder: the sheet's `<|>` levels when given, else the supplier the
 * PO page shows, else the sheet's SUPPLIER cell (`Unknown` when all are blank).
 */
export function parentSegments(task: PoTask, supplier: string): string[] {
  if (task.folderLevels !== null) return task.folderLevels.map(folderSegment);
  return [folderSegment(supplier.trim() || (task.sheetSupplier ?? ''))];
}

export function workFolderName(poFolder: string): string {
  return `${poFolder}${WORK_SUFFIX}`;
}

export function finalFolderName(poFolder: string, status: PoStatus): string {
  return `${poFolder}_${status}`;
}

/** Whether `entry` is this PO's folder from some earlier attempt: `<PO folder>__WORK` or `<PO folder>_<any status>`. */
export function isPoFolderOf(entry: string, poFolder: string): boolean {
  if (entry === workFolderName(poFolder)) return true;
  return PO_STATUSES.some((status) => entry === finalFolderName(poFolder, status));
}
