import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import { transaction } from './transaction.ts';

/**
 * The `conversions` table (schema version 3, state-schema.ts): what became of every downloaded
 * mail (issue 21), one row per file a conversion produced (its PDF, each attachment taken out of
 * it, the same for attached mails), per attachment it left out, and per mail that failed or was
 * skipped. A downloaded mail's rows are replaced together, so a re-run that converts it again
 * never leaves two answers.
 */

/** One stored row. Paths are relative to the output folder, `/`-separated, like the `files` table's. */
export interface StoredConversion {
  readonly poId: string;
  /** The downloaded mail (a `files` row's `relative_path`) this row descends from. */
  readonly rootPath: string;
  /** That mail's SHA-256 when it was converted: a different download is converted again. */
  readonly rootSha256: string;
  /** The mail the output was made from: the root, or a mail taken out of it. */
  readonly sourcePath: string;
  readonly outputPath: string | null;
  readonly kind: 'pdf' | 'attachment' | null;
  readonly sizeBytes: number | null;
  readonly sha256: string | null;
  readonly status: 'done' | 'failed' | 'skipped';
  readonly code: string | null;
  readonly reason: string | null;
  readonly depth: number;
}

/** Replaces everything stored for one downloaded mail by `rows`, in one transaction. */
export function replaceConversions(
  db: DatabaseSync,
  file: string,
  root: { readonly poId: string; readonly rootPath: string; readonly rootSha256: string },
  rows: readonly Omit<StoredConversion, 'poId' | 'rootPath' | 'rootSha256'>[],
  context: { readonly runId: number | null; readonly recordedAt: string },
): void {
  transaction(db, file, () => {
    db.prepare('DELETE FROM conversions WHERE po_id = ? AND root_path = ?').run(root.poId, root.rootPath);
    const insert = db.prepare(
      `INSERT INTO conversions (po_id, root_path, root_sha256, source_path, output_path, kind, size_bytes, sha256, status, code, reason, depth, run_id, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const row of rows) {
      const values: SQLInputValue[] = [root.poId, root.rootPath, root.rootSha256, row.sourcePath, row.outputPath, row.kind, row.sizeBytes, row.sha256, row.status, row.code, row.reason, row.depth, context.runId, context.recordedAt];
      insert.run(...values);
    }
  });
}

/**
 * Forgets a PO's conversions: its folder was replaced by a new attempt, and what was made in the
 * old one went with it. Runs inside the caller's transaction.
 */
export function forgetConversions(db: DatabaseSync, poId: string): void {
  db.prepare('DELETE FROM conversions WHERE po_id = ?').run(poId);
}

/** Every stored row (of one PO, when given), in the order recorded. */
export function listConversions(db: DatabaseSync, poId?: string): StoredConversion[] {
  const columns = 'po_id, root_path, root_sha256, source_path, output_path, kind, size_bytes, sha256, status, code, reason, depth';
  const rows = poId === undefined
    ? db.prepare(`SELECT ${columns} FROM conversions ORDER BY id`).all()
    : db.prepare(`SELECT ${columns} FROM conversions WHERE po_id = ? ORDER BY id`).all(poId);
  return rows
    .map((row) => ({
      poId: String(row['po_id']),
      rootPath: String(row['root_path']),
      rootSha256: String(row['root_sha256']),
      sourcePath: String(row['source_path']),
      outputPath: textOrNull(row['output_path']),
      kind: row['kind'] === 'pdf' || row['kind'] === 'attachment' ? row['kind'] : null,
      sizeBytes: row['size_bytes'] === null ? null : Number(row['size_bytes']),
      sha256: textOrNull(row['sha256']),
      status: statusOf(row['status']),
      code: textOrNull(row['code']),
      reason: textOrNull(row['reason']),
      depth: Number(row['depth']),
    }));
}

function textOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

function statusOf(value: unknown): StoredConversion['status'] {
  if (value === 'done' || value === 'failed' || value === 'skipped') return value;
  throw new Error(`Unknown conversion status \`${String(value)}\` in the state file.`);
}
