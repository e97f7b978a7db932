import type { PoStatus } from './status.ts';

/** One PO to fetch, as planned from a valid input row. */
export interface PoTask {
  /** The PO number as the user wrote it, trimmed (e.g. `PO15262984`). */
  readonly poNumber: string;
  /** The numeric id for `/order_headers/<id>` (e.g. `15262984`). */
  readonly poId: string;
  /** Folder levels from the sheet's `<|>` columns; `null` means "use the supplier name". */
  readonly folderLevels: readonly string[] | null;
  /** The sheet's SUPPLIER cell: names the folder when the PO page shows no supplier. */
  readonly sheetSupplier?: string;
}

export type AttachmentKind = 'file' | 'url' | 'text';

/** Where an attachment was found: the PO page itself or its requisition (PR fallback). */
export type AttachmentOrigin = 'po' | 'requisition';

/** A file written and verified on disk. */
export interface SavedFile {
  readonly poNumber: string;
  /** The file's name on disk (after cleaning and de-duplication). */
  readonly name: string;
  /** Path relative to the output folder, with `/` separators, in the PO's final folder. */
  readonly relativePath: string;
  readonly sizeBytes: number;
  readonly sha256: string;
  readonly sourceUrl: string;
  readonly kind: AttachmentKind;
  readonly origin: AttachmentOrigin;
}

/**
 * The PO itself as Coupa prints it (`--save-po-pdf`): a file of the PO's folder that is not an
 * attachment (it is in neither `files` nor the attachment counts).
 */
export interface PoPdfFile {
  readonly name: string;
  /** In the PO's final folder, relative to the output folder, with `/` separators. */
  readonly relativePath: string;
  readonly sizeBytes: number;
  readonly sha256: string;
  /** The page printed: Coupa's print view, or the PO page when the print view was out of reach. */
  readonly sourceUrl: string;
}

/** What a PO ended with; one report row is built from it. */
export interface PoOutcome {
  readonly status: PoStatus;
  readonly supplier: string;
  /** File, URL and Text attachments found on the pages used. */
  readonly attachmentsFound: number;
  /** Of those, how many are on disk (verified). */
  readonly attachmentsDownloaded: number;
  readonly files: readonly SavedFile[];
  /** Empty when all went well; otherwise what went wrong, in plain words. */
  readonly errorMessage: string;
  /** The PO's folder relative to the output folder (`''` when nothing was written). */
  readonly folder: string;
  /** The page the files came from (the PO page, or the requisition page after the PR fallback). */
  readonly coupaUrl: string;
  /**
   * Where a copy of the page was saved because the outcome is not clean, relative to the output
   * folder with `/` separators (`.coupa-dl/pages/<PO>`); `''` when none was saved.
   */
  readonly savedPage: string;
  /** The PO as a PDF, when it was asked for and saved by this attempt. */
  readonly poPdf?: PoPdfFile;
}
