import type { SavedFile } from '../../domain/po-outcome.ts';
import type { MadeFile, MadeFiles, MailNote } from '../../io/made-files.ts';
import type { StoredConversion, StoredPoPdf } from '../../state/state-store.ts';

export interface MadeFilesSource {
  /** The POs' final files (the downloads), paths relative to the output folder with `/`. */
  readonly files: readonly SavedFile[];
  readonly poNumbers: ReadonlyMap<string, string>;
  readonly conversions: readonly StoredConversion[];
  readonly poPdfs: readonly StoredPoPdf[];
}

/**
 * Pure: what the report lists of the files made beside the downloads, from the state alone. Only
 * conversions of a mail still on record with the same bytes count (a mail fetched again and not
 * converted yet has none); `native` turns stored `/` paths into the report's.
 */
export function madeFilesOf(source: MadeFilesSource, native: (path: string) => string): MadeFiles {
  const downloads = new Map(source.files.map((file) => [file.relativePath, file]));
  const current = source.conversions.filter((row) => downloads.get(row.rootPath)?.sha256 === row.rootSha256);
  const files: MadeFile[] = [];
  for (const pdf of source.poPdfs) {
    files.push({ poNumber: source.poNumbers.get(pdf.poId) ?? '', name: pdf.name, relativePath: native(pdf.relativePath), sizeBytes: pdf.sizeBytes, sha256: pdf.sha256, sourceUrl: pdf.sourceUrl, kind: 'po-pdf', origin: 'po', madeFrom: '', rootPath: '' });
  }
  const leftOut = new Map<string, string[]>();
  const mails: MailNote[] = [];
  let [done, failed, skipped] = [0, 0, 0];
  for (const row of current) {
    const root = downloads.get(row.rootPath);
    if (row.status === 'done' && row.outputPath !== null && row.kind !== null && row.sha256 !== null && row.sizeBytes !== null) {
      const name = row.outputPath.slice(row.outputPath.lastIndexOf('/') + 1);
      files.push({ poNumber: root?.poNumber ?? '', name, relativePath: native(row.outputPath), sizeBytes: row.sizeBytes, sha256: row.sha256, sourceUrl: '', kind: row.kind === 'pdf' ? 'mail-pdf' : 'mail-attachment', origin: root?.origin ?? 'po', madeFrom: native(row.sourcePath), rootPath: native(row.rootPath) });
      if (row.kind === 'pdf') {
        done += 1;
        mails.push({ relativePath: row.sourcePath, conversion: 'converted', message: '' });
      }
    } else if (row.status === 'failed') {
      failed += 1;
      mails.push({ relativePath: row.sourcePath, conversion: 'failed', message: `${row.reason ?? 'The mail could not be converted.'}${row.code === null ? '' : ` [${row.code}]`}` });
    } else if (row.status === 'skipped' && row.kind === null) {
      skipped += 1;
      mails.push({ relativePath: row.sourcePath, conversion: 'skipped', message: row.reason ?? '' });
    } else if (row.status === 'skipped') {
      leftOut.set(row.sourcePath, [...(leftOut.get(row.sourcePath) ?? []), row.reason ?? '']);
    }
  }
  // Stored paths until here, so the parts a converted mail left out are found by its own path.
  const notes = mails.map((note): MailNote => {
    const parts = note.conversion === 'converted' ? leftOut.get(note.relativePath) : undefined;
    return { ...note, relativePath: native(note.relativePath), ...(parts === undefined ? {} : { message: `Not saved as files: ${parts.join('; ')}.` }) };
  });
  return { files, mails: notes, conversions: { done, failed, skipped } };
}
