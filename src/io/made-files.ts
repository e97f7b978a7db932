import type { SavedFile } from '../domain/po-outcome.ts';

/**
 * Files the tool made beside the downloads, for the report: each mail's PDF and the files taken
 * out of it (linked to the mail they came from), and the PO itself as a PDF; and what became of
 * each mail. The Files sheet lists them after the file they came from.
 */

export type MadeFileKind = 'mail-pdf' | 'mail-attachment' | 'po-pdf';

/**
 * A made file as the Files sheet lists it: a saved file's columns (`relativePath` with the
 * report's separator; `sourceUrl` the page printed for the PO PDF, `''` for what was made from a
 * mail; `origin` where the file it descends from was found, `po` for the PO PDF), another kind, and
 * where it came from.
 */
export interface MadeFile extends Omit<SavedFile, 'kind'> {
  readonly kind: MadeFileKind;
  /** The file it was made from: the mail (downloaded, or itself taken out of a mail); `''` for the PO PDF. */
  readonly madeFrom: string;
  /** The downloaded file it descends from (the Files sheet lists it right after that file); `''` for the PO PDF. */
  readonly rootPath: string;
}

/** What became of one mail: converted to PDF, not converted (failed), or left as it is (attached too deep). */
export interface MailNote {
  readonly relativePath: string;
  readonly conversion: 'converted' | 'failed' | 'skipped';
  /** Why it failed or was skipped, or what a converted mail left out (small inline pictures); `''` when nothing. */
  readonly message: string;
}

export interface MailConversionCounts {
  /** Mails turned into a PDF, attached mails included. */
  readonly done: number;
  readonly failed: number;
  /** Attached mails deeper than the limit, saved but not converted. */
  readonly skipped: number;
}

export interface MadeFiles {
  readonly files: readonly MadeFile[];
  readonly mails: readonly MailNote[];
  readonly conversions: MailConversionCounts;
}

type Cell = string | number | null;

/** The Files sheet's columns: the earlier ones first, where macros find them; the links to what a file was made from at the end. */
export const FILES_SHEET_COLUMNS = ['PO_NUMBER', 'FILE_NAME', 'SIZE_BYTES', 'SHA256', 'SOURCE_URL', 'PATH', 'KIND', 'ORIGIN', 'MADE_FROM', 'CONVERSION', 'CONVERSION_MESSAGE'] as const;

/**
 * One row per downloaded file, each followed by what was made from it; a PO's PDF first among its
 * PO's rows (after all rows when the PO has no downloaded file). Mails get their conversion's fate.
 */
export function filesSheetRows(downloads: readonly SavedFile[], made: MadeFiles | undefined): Cell[][] {
  const notes = new Map((made?.mails ?? []).map((note) => [note.relativePath, note]));
  const fromRoot = new Map<string, MadeFile[]>();
  const poPdfs = new Map<string, MadeFile[]>();
  for (const file of made?.files ?? []) {
    const [map, key] = file.kind === 'po-pdf' ? [poPdfs, file.poNumber] : [fromRoot, file.rootPath];
    map.set(key, [...(map.get(key) ?? []), file]);
  }
  const noteCells = (path: string): Cell[] => {
    const note = notes.get(path);
    return note === undefined ? [null, null] : [note.conversion, note.message === '' ? null : note.message];
  };
  const rows: Cell[][] = [];
  const madeRow = (file: MadeFile): Cell[] => [file.poNumber, file.name, file.sizeBytes, file.sha256, file.sourceUrl, file.relativePath, file.kind, file.origin, file.madeFrom === '' ? null : file.madeFrom, ...noteCells(file.relativePath)];
  for (const file of downloads) {
    const pdfs = poPdfs.get(file.poNumber);
    poPdfs.delete(file.poNumber);
    rows.push(...(pdfs ?? []).map(madeRow));
    rows.push([file.poNumber, file.name, file.sizeBytes, file.sha256, file.sourceUrl, file.relativePath, file.kind, file.origin, null, ...noteCells(file.relativePath)]);
    rows.push(...(fromRoot.get(file.relativePath) ?? []).map(madeRow));
    fromRoot.delete(file.relativePath);
  }
  for (const pdfs of poPdfs.values()) rows.push(...pdfs.map(madeRow));
  return rows;
}
