import type { PoStatus } from '../domain/status.ts';

/**
 * Pure: the status and message a PO ends with once its pages are read and its downloads done.
 * COMPLETED means every attachment found is verified on disk, never merely "clicked".
 */

export interface FileFailure {
  /** The name the page shows for it (the file was never named on disk). */
  readonly name: string;
  readonly reason: string;
}

export interface DownloadTally {
  readonly found: number;
  readonly downloaded: number;
  readonly failures: readonly FileFailure[];
  /** The requisition had to be read but showed an error page; its marker text. */
  readonly requisitionError: string | null;
}

export function downloadStatus(tally: DownloadTally): PoStatus {
  // Failed files win over PR_NOT_ACCESSIBLE: PARTIAL and FAILED are retried by a later run.
  if (tally.failures.length > 0) return tally.downloaded > 0 ? 'PARTIAL' : 'FAILED';
  if (tally.requisitionError !== null) return 'PR_NOT_ACCESSIBLE';
  return tally.found === 0 ? 'NO_ATTACHMENTS' : 'COMPLETED';
}

export function downloadMessage(tally: DownloadTally): string {
  const parts: string[] = [];
  if (tally.failures.length > 0) {
    const list = tally.failures.map((failure) => `${failure.name} (${failure.reason})`).join('; ');
    parts.push(`Could not download ${tally.failures.length} of ${tally.found} attachments: ${list}`);
  }
  if (tally.requisitionError !== null) parts.push(`Requisition not accessible: ${tally.requisitionError}`);
  return parts.join('. ');
}

/** The failure reason as the report shows it: what went wrong and after how many tries. */
export function failureReason(message: string, attempts: number): string {
  return attempts > 1 ? `${message}, after ${attempts} attempts` : message;
}

/** Whether a file name (as the page shows it) is a PDF, which decides the requisition fallback. */
export function isPdfName(name: string): boolean {
  return /\.pdf\s*$/i.test(name);
}
