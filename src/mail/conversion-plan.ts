import { mailFormatOfName } from './mail-model.ts';

/** A downloaded file of a finished PO (a `files` row): paths relative to the output folder. */
export interface DownloadedFile {
  readonly poId: string;
  readonly relativePath: string;
  readonly sha256: string;
}

/** What the state store kept of earlier conversions (the fields the plan reads). */
export interface EarlierConversion {
  readonly poId: string;
  readonly rootPath: string;
  readonly rootSha256: string;
  readonly sourcePath: string;
  readonly status: 'done' | 'failed' | 'skipped';
  readonly code: string | null;
  readonly depth: number;
}

export type ConversionDecision =
  | { readonly action: 'convert'; readonly file: DownloadedFile; readonly why: 'new' | 'changed' | 'retry' }
  | { readonly action: 'keep'; readonly file: DownloadedFile; readonly why: 'done' | 'unreadable' };

/**
 * Pure: which downloaded mails a run (or `report --convert`) converts. A mail converted before,
 * with the same bytes, is never converted twice; one whose bytes changed (fetched again) is; one
 * that failed for a passing reason (the browser, the disk) is tried again; one that could not be
 * read stays as it is unless `retryUnreadable` (the same bytes would fail the same way). Files
 * that are not mails are left out.
 */
export function planMailConversions(files: readonly DownloadedFile[], earlier: readonly EarlierConversion[], options: { readonly retryUnreadable: boolean }): ConversionDecision[] {
  const outcomes = new Map<string, EarlierConversion>();
  for (const row of earlier) {
    if (row.depth !== 1 || row.sourcePath !== row.rootPath) continue;
    const key = keyOf(row.poId, row.rootPath);
    // A failure row wins over a done row of the same mail: both would mean a mixed record.
    if (!outcomes.has(key) || row.status === 'failed') outcomes.set(key, row);
  }
  return files.flatMap((file): ConversionDecision[] => {
    if (mailFormatOfName(file.relativePath) === null) return [];
    const outcome = outcomes.get(keyOf(file.poId, file.relativePath));
    if (outcome === undefined) return [{ action: 'convert', file, why: 'new' }];
    if (outcome.rootSha256 !== file.sha256) return [{ action: 'convert', file, why: 'changed' }];
    if (outcome.status === 'done') return [{ action: 'keep', file, why: 'done' }];
    if (outcome.code === 'MAIL_UNREADABLE' && !options.retryUnreadable) return [{ action: 'keep', file, why: 'unreadable' }];
    return [{ action: 'convert', file, why: 'retry' }];
  });
}

function keyOf(poId: string, path: string): string {
  return `${poId}\u0000${path}`;
}
