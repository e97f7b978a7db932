import type { DatabaseSync } from 'node:sqlite';
import type { FetchSource } from '../domain/fetch-source.ts';
import type { PoOutcome, PoTask, SavedFile } from '../domain/po-outcome.ts';
import type { PoState } from '../domain/status.ts';
import { PO_STATES } from '../domain/status.ts';
import { integerColumn, textColumn } from './sqlite-row.ts';

/**
 * The SQL behind each PO change: the `pos` row, its files, and one `transitions` row per change.
 * Callers wrap each method in a transaction; nothing here commits on its own.
 */
export class PoRecords {
  #db: DatabaseSync;
  #runId: () => number | null;

  constructor(db: DatabaseSync, runId: () => number | null) {
    this.#db = db;
    this.#runId = runId;
  }

  ensure(tasks: readonly PoTask[], at: string): void {
    const find = this.#db.prepare('SELECT 1 FROM pos WHERE po_id = ?');
    const rename = this.#db.prepare('UPDATE pos SET po_number = ? WHERE po_id = ?');
    const insert = this.#db.prepare("INSERT INTO pos (po_id, po_number, state, updated_at) VALUES (?, ?, 'PENDING', ?)");
    for (const task of tasks) {
      if (find.get(task.poId) === undefined) {
        insert.run(task.poId, task.poNumber, at);
        this.#addTransition(task.poId, null, 'PENDING', 0, 'Added from the input sheet.', at);
      } else {
        rename.run(task.poNumber, task.poId);
      }
    }
  }

  markRunning(poId: string, attempt: number, message: string, at: string): void {
    const from = this.#current(poId).state;
    this.#db.prepare("UPDATE pos SET state = 'RUNNING', attempts = ?, updated_at = ? WHERE po_id = ?").run(attempt, at, poId);
    this.#addTransition(poId, from, 'RUNNING', attempt, message, at);
  }

  markPending(poId: string, reason: string, at: string): void {
    const { state, attempts } = this.#current(poId);
    this.#db.prepare("UPDATE pos SET state = 'PENDING', last_error = ?, updated_at = ? WHERE po_id = ?").run(reason, at, poId);
    this.#addTransition(poId, state, 'PENDING', attempts, reason, at);
  }

  recordFile(poId: string, file: SavedFile, stage: 'work' | 'final', at: string): void {
    this.#current(poId);
    // A file written again under the same path (a retried attempt) replaces its earlier row.
    this.#db
      .prepare(
        `INSERT INTO files (po_id, stage, po_number, name, relative_path, size_bytes, sha256, source_url, kind, origin, recorded_at)
         VALUES ($poId, $stage, $poNumber, $name, $relativePath, $sizeBytes, $sha256, $sourceUrl, $kind, $origin, $at)
         ON CONFLICT (po_id, relative_path) DO UPDATE SET
           stage = excluded.stage, po_number = excluded.po_number, name = excluded.name, size_bytes = excluded.size_bytes,
           sha256 = excluded.sha256, source_url = excluded.source_url, kind = excluded.kind, origin = excluded.origin,
           recorded_at = excluded.recorded_at`,
      )
      .run({
        poId,
        stage,
        at,
        poNumber: file.poNumber,
        name: file.name,
        relativePath: file.relativePath,
        sizeBytes: file.sizeBytes,
        sha256: file.sha256,
        sourceUrl: file.sourceUrl,
        kind: file.kind,
        origin: file.origin,
      });
  }

  finish(poId: string, outcome: PoOutcome, source: FetchSource | null, at: string): void {
    const { state, attempts } = this.#current(poId);
    this.#db
      .prepare(
        `UPDATE pos SET state = $status, outcome_status = $status, last_error = $errorMessage, updated_at = $at,
           supplier = $supplier, attachments_found = $attachmentsFound, attachments_downloaded = $attachmentsDownloaded,
           error_message = $errorMessage, folder = $folder, coupa_url = $coupaUrl, saved_page = $savedPage, source = $source
         WHERE po_id = $poId`,
      )
      .run({
        poId,
        at,
        status: outcome.status,
        supplier: outcome.supplier,
        attachmentsFound: outcome.attachmentsFound,
        attachmentsDownloaded: outcome.attachmentsDownloaded,
        errorMessage: outcome.errorMessage,
        folder: outcome.folder,
        coupaUrl: outcome.coupaUrl,
        savedPage: outcome.savedPage,
        source,
      });
    // The work-folder rows name paths that no longer exist once the folder got its final name.
    this.#db.prepare('DELETE FROM files WHERE po_id = ?').run(poId);
    for (const file of outcome.files) this.recordFile(poId, file, 'final', at);
    const message =
      outcome.errorMessage === ''
        ? `${outcome.attachmentsDownloaded} of ${outcome.attachmentsFound} attachments downloaded.`
        : outcome.errorMessage;
    this.#addTransition(poId, state, outcome.status, attempts, message, at);
  }

  recoverInterrupted(at: string): number {
    const running = this.#db.prepare("SELECT po_id FROM pos WHERE state = 'RUNNING' ORDER BY rowid").all();
    for (const row of running) {
      this.markPending(textColumn(row, 'po_id'), 'The last run stopped while this PO was running; it will be fetched again.', at);
    }
    return running.length;
  }

  #current(poId: string): { state: PoState; attempts: number } {
    const row = this.#db.prepare('SELECT state, attempts FROM pos WHERE po_id = ?').get(poId);
    if (row === undefined) throw new Error(`PO ${poId} is not in the state store; call ensurePos() first.`);
    const value = textColumn(row, 'state');
    const state = PO_STATES.find((known) => known === value);
    if (state === undefined) throw new Error(`Unknown PO state \`${value}\` in the state store.`);
    return { state, attempts: integerColumn(row, 'attempts') };
  }

  #addTransition(poId: string, from: PoState | null, to: PoState, attempt: number, message: string, at: string): void {
    this.#db
      .prepare(
        `INSERT INTO transitions (po_id, run_id, at, from_state, to_state, attempt, message)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(poId, this.#runId(), at, from, to, attempt, message);
  }
}
