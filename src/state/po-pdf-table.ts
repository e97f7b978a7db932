import type { DatabaseSync } from 'node:sqlite';
import type { PoPdfFile } from '../domain/po-outcome.ts';
import { integerColumn, textColumn } from './sqlite-row.ts';

/**
 * The `po_pdfs` table (schema version 3, state-schema.ts): the PO itself as a PDF
 * (`--save-po-pdf`), one row per PO that has one in its folder. Kept apart from `files`, which are
 * the PO's attachments: the PO PDF is listed in the Files sheet but never counted or named as an
 * attachment. The statements run inside the caller's transaction.
 */

export interface StoredPoPdf extends PoPdfFile {
  readonly poId: string;
}

export function recordPoPdf(db: DatabaseSync, poId: string, pdf: PoPdfFile, context: { readonly runId: number | null; readonly recordedAt: string }): void {
  db.prepare(
    `INSERT INTO po_pdfs (po_id, relative_path, size_bytes, sha256, source_url, run_id, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (po_id) DO UPDATE SET relative_path = excluded.relative_path, size_bytes = excluded.size_bytes,
       sha256 = excluded.sha256, source_url = excluded.source_url, run_id = excluded.run_id, recorded_at = excluded.recorded_at`,
  ).run(poId, pdf.relativePath, pdf.sizeBytes, pdf.sha256, pdf.sourceUrl, context.runId, context.recordedAt);
}

export function forgetPoPdf(db: DatabaseSync, poId: string): void {
  db.prepare('DELETE FROM po_pdfs WHERE po_id = ?').run(poId);
}

/** Every PO PDF (of one PO, when given). */
export function listPoPdfs(db: DatabaseSync, poId?: string): StoredPoPdf[] {
  const select = 'SELECT po_id, relative_path, size_bytes, sha256, source_url FROM po_pdfs';
  const rows = poId === undefined ? db.prepare(`${select} ORDER BY rowid`).all() : db.prepare(`${select} WHERE po_id = ?`).all(poId);
  return rows
    .map((row) => {
      const relativePath = textColumn(row, 'relative_path');
      return {
        poId: textColumn(row, 'po_id'),
        name: relativePath.slice(relativePath.lastIndexOf('/') + 1),
        relativePath,
        sizeBytes: integerColumn(row, 'size_bytes'),
        sha256: textColumn(row, 'sha256'),
        sourceUrl: textColumn(row, 'source_url'),
      };
    });
}
