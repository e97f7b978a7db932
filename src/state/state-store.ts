import { existsSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { CoupaDlError } from '../domain/errors.ts';
import { isFetchSource, type FetchSource } from '../domain/fetch-source.ts';
import type { InputRow } from '../domain/input-row.ts';
import type { PoOutcome, PoTask, SavedFile } from '../domain/po-outcome.ts';
import type { StoredInput } from './input-table.ts';
import { readInput, writeInput } from './input-table.ts';
import type { LockOwner } from './run-lock.ts';
import { acquireRunLock, assertRunLockFree, isProcessAlive, releaseRunLock } from './run-lock.ts';
import { textColumn } from './sqlite-row.ts';
import { migrateSchema, schemaVersion } from './state-schema.ts';
import type { StoredFile, StoredPo, Transition } from './stored-po.ts';
import { toStoredFile, toStoredPo, toTransition } from './stored-po.ts';
import { storageError, transaction } from './transaction.ts';
import { PoRecords } from './po-records.ts';
import { forgetConversions, listConversions, replaceConversions, type StoredConversion } from './conversion-table.ts';
import { forgetPoPdf, listPoPdfs, recordPoPdf, type StoredPoPdf } from './po-pdf-table.ts';

export type { StoredFile, StoredPo, Transition } from './stored-po.ts';
export type { StoredInput } from './input-table.ts';
export type { StoredConversion } from './conversion-table.ts';
export type { StoredPoPdf } from './po-pdf-table.ts';

export interface StateStoreOptions {
  readonly now?: () => Date;
  /** This process, as recorded in the run lock. */
  readonly pid?: number;
  readonly host?: string;
  /** Whether the PID of an earlier lock holder still runs (tests pass their own). */
  readonly isAlive?: (pid: number) => boolean;
}

export interface RunInfo {
  readonly command: string;
  readonly inputPath: string;
  readonly baseUrl: string;
}

/**
 * What coupa-dl knows about an output folder, in one SQLite file. Every method writes at once in
 * its own transaction, so whatever a crash, SIGKILL or power cut interrupts, every change made
 * before it is on disk. No secrets are kept here.
 */
export class StateStore implements Disposable {
  readonly file: string;
  #db: DatabaseSync;
  #now: () => Date;
  #owner: LockOwner;
  #pos: PoRecords;
  #runId: number | null = null;
  #closed = false;

  private constructor(db: DatabaseSync, file: string, options: StateStoreOptions) {
    this.#db = db;
    this.file = file;
    this.#now = options.now ?? (() => new Date());
    this.#owner = { pid: options.pid ?? process.pid, host: options.host ?? hostname(), isAlive: options.isAlive ?? isProcessAlive };
    this.#pos = new PoRecords(db, () => this.#runId);
  }

  /** Opens (creating folder, file and schema when missing) the store at `file`. */
  static open(file: string, options: StateStoreOptions = {}): StateStore {
    let db: DatabaseSync;
    try {
      if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
      db = new DatabaseSync(file);
    } catch (error) {
      throw new CoupaDlError('OUTPUT_NOT_WRITABLE', `Cannot create the state file ${file}.`, {
        cause: error,
        hint: 'Check that the output folder is writable.',
      });
    }
    try {
      // WAL lets `coupa-dl report` read while a run writes. synchronous=FULL syncs the WAL on every
      // commit, so a commit that returned survives a power cut; NORMAL could lose the latest ones,
      // and a few milliseconds per PO cost nothing next to a page load.
      db.exec('PRAGMA journal_mode = WAL');
      db.exec('PRAGMA synchronous = FULL');
      // Wait for a write lock held by a reader's checkpoint or a second handle instead of failing.
      db.exec('PRAGMA busy_timeout = 5000');
      db.exec('PRAGMA foreign_keys = ON');
      migrateSchema(db, file);
    } catch (error) {
      db.close();
      const translated = storageError(error, file);
      if (translated instanceof CoupaDlError) throw translated;
      throw unreadableState(error, file);
    }
    return new StateStore(db, file, options);
  }

  /**
   * Checks, without writing anything, that no live run holds the lock of the store at `file`
   * (a missing file is free): lets a run refuse a busy folder before it signs in.
   */
  static assertFree(file: string, options: StateStoreOptions = {}): void {
    if (!existsSync(file)) return;
    let db: DatabaseSync;
    let version: number;
    try {
      db = new DatabaseSync(file, { readOnly: true });
    } catch (error) {
      throw unreadableState(error, file);
    }
    try {
      try {
        version = schemaVersion(db);
      } catch (error) {
        // A file that is not SQLite (or is cut short) fails at its first read (found by the fuzz test: it ended "Unexpected error").
        throw unreadableState(error, file);
      }
      if (version === 0) return;
      assertRunLockFree(db, { pid: options.pid ?? process.pid, host: options.host ?? hostname(), isAlive: options.isAlive ?? isProcessAlive });
    } finally {
      db.close();
    }
  }

  /** Records a run and takes the output folder's run lock (a lock left by a dead process is taken over). */
  beginRun(info: RunInfo): number {
    if (this.#runId !== null) throw new Error(`Run ${this.#runId} is still going on this store; end it first.`);
    const runId = this.#write(() => {
      const at = this.#timestamp();
      const result = this.#db
        .prepare(
          `INSERT INTO runs (command, input_path, base_url, pid, host, started_at)
           VALUES ($command, $inputPath, $baseUrl, $pid, $host, $at)`,
        )
        .run({ command: info.command, inputPath: info.inputPath, baseUrl: info.baseUrl, pid: this.#owner.pid, host: this.#owner.host, at });
      const id = Number(result.lastInsertRowid);
      acquireRunLock(this.#db, id, this.#owner, at);
      return id;
    });
    this.#runId = runId;
    return runId;
  }

  /** Marks the run ended and gives back the run lock. */
  endRun(runId: number, info: { interrupted: boolean }): void {
    this.#write(() => {
      this.#db
        .prepare('UPDATE runs SET ended_at = ?, interrupted = ? WHERE id = ?')
        .run(this.#timestamp(), info.interrupted ? 1 : 0, runId);
      releaseRunLock(this.#db, runId);
    });
    if (this.#runId === runId) this.#runId = null;
  }

  /** Replaces the remembered input (rows of the current sheet, in order) while keeping each PO's state. */
  saveInput(rows: readonly InputRow[], columns: readonly string[]): void {
    this.#write(() => writeInput(this.#db, rows, columns));
  }

  /** The remembered input, for `coupa-dl report` without the sheet; `null` before any was saved. */
  loadInput(): StoredInput | null {
    return readInput(this.#db);
  }

  /** Adds unknown POs as PENDING; known ones keep their state and take the sheet's current PO number. */
  ensurePos(tasks: readonly PoTask[]): void {
    this.#write(() => this.#pos.ensure(tasks, this.#timestamp()));
  }

  markRunning(poId: string, info: { attempt: number; workerId: number }): void {
    this.#write(() => this.#pos.markRunning(poId, info.attempt, `Attempt ${info.attempt} started on worker ${info.workerId}.`, this.#timestamp()));
  }

  /** Hands a PO back to be fetched later (interrupt, crash, retry later); `reason` is kept as its last error. */
  markPending(poId: string, reason: string): void {
    this.#write(() => this.#pos.markPending(poId, reason, this.#timestamp()));
  }

  /** Call the moment a file is verified on disk (in the PO's `__WORK` folder). */
  recordFile(poId: string, file: SavedFile): void {
    this.#write(() => this.#pos.recordFile(poId, file, 'work', this.#timestamp()));
  }

  /**
   * Ends a PO: its state, its outcome, and its file rows replaced by `outcome.files` (final paths),
   * together, with its PO PDF when it has one. `source`: the way it was fetched (null when no
   * attempt got that far). `replacesFolder`: the attempt wrote a new folder in place of the old one,
   * so what was made in the old one (mail PDFs, the PO PDF) is forgotten.
   */
  finishPo(poId: string, outcome: PoOutcome, options: { readonly replacesFolder?: boolean; readonly source?: FetchSource | null } = {}): void {
    this.#write(() => {
      const at = this.#timestamp();
      if (options.replacesFolder === true) {
        forgetConversions(this.#db, poId);
        forgetPoPdf(this.#db, poId);
      }
      this.#pos.finish(poId, outcome, options.source ?? null, at);
      if (outcome.poPdf !== undefined) recordPoPdf(this.#db, poId, outcome.poPdf, { runId: this.#runId, recordedAt: at });
    });
  }

  /** Replaces what is stored about one downloaded mail's conversion (paths relative to the output folder). */
  recordConversions(root: { readonly poId: string; readonly rootPath: string; readonly rootSha256: string }, rows: readonly Omit<StoredConversion, 'poId' | 'rootPath' | 'rootSha256'>[]): void {
    if (this.#closed) throw new Error(`The state store ${this.file} is closed.`);
    replaceConversions(this.#db, this.file, root, rows, { runId: this.#runId, recordedAt: this.#timestamp() });
  }

  /** How many POs were last fetched each way (POs never finished, or finished before version 4, are not counted). */
  countBySource(): Record<FetchSource, number> {
    const counts: Record<FetchSource, number> = { browser: 0, api: 0 };
    for (const row of this.#db.prepare('SELECT source, count(*) AS n FROM pos WHERE source IS NOT NULL GROUP BY source').all()) {
      const source = textColumn(row, 'source');
      if (isFetchSource(source)) counts[source] = Number(row['n']);
    }
    return counts;
  }

  /** At the start of a run: POs left RUNNING by a run that died go back to PENDING. Returns how many. */
  recoverInterrupted(): number {
    this.#requireRun('recoverInterrupted');
    return this.#write(() => this.#pos.recoverInterrupted(this.#timestamp()));
  }

  /** Forgets every PO, file, conversion, transition and the remembered input (`--fresh`); runs stay as history. */
  reset(): void {
    this.#requireRun('reset');
    this.#write(() => this.#db.exec('DELETE FROM conversions; DELETE FROM po_pdfs; DELETE FROM transitions; DELETE FROM files; DELETE FROM pos; DELETE FROM input_rows; DELETE FROM input_sheet;'));
  }

  /** The latest run recorded in this folder (for `coupa-dl retry`, which reuses its Coupa address). */
  lastRun(): (RunInfo & { startedAt: string }) | null {
    const row = this.#db.prepare('SELECT command, input_path, base_url, started_at FROM runs ORDER BY id DESC LIMIT 1').get();
    if (row === undefined) return null;
    return { command: textColumn(row, 'command'), inputPath: textColumn(row, 'input_path'), baseUrl: textColumn(row, 'base_url'), startedAt: textColumn(row, 'started_at') };
  }

  getPo(poId: string): StoredPo | undefined {
    const row = this.#db.prepare('SELECT * FROM pos WHERE po_id = ?').get(poId);
    return row === undefined ? undefined : toStoredPo(row, this.#finalFiles(poId).get(poId) ?? []);
  }

  listPos(): StoredPo[] {
    const files = this.#finalFiles(null);
    return this.#db.prepare('SELECT * FROM pos ORDER BY rowid').all().map((row) => toStoredPo(row, files.get(textColumn(row, 'po_id')) ?? []));
  }

  /** Every file row, work and final, in the order they were recorded. */
  listFiles(): StoredFile[] {
    return this.#db.prepare('SELECT * FROM files ORDER BY id').all().map(toStoredFile);
  }

  /** Every conversion row (mails to PDF), of one PO when given, in the order recorded. */
  listConversions(poId?: string): StoredConversion[] {
    return listConversions(this.#db, poId);
  }

  /** The PO PDFs in the POs' folders (of one PO, when given). */
  listPoPdfs(poId?: string): StoredPoPdf[] {
    return listPoPdfs(this.#db, poId);
  }

  /**
   * What earlier runs made in a PO's folder from its downloads (mail PDFs and what was taken out of
   * mails, the PO PDF), relative to the output folder: files that are not the PO's attachments.
   */
  madeFilesOf(poId: string): Set<string> {
    const made = new Set<string>();
    for (const row of listConversions(this.#db, poId)) if (row.outputPath !== null) made.add(row.outputPath);
    for (const pdf of listPoPdfs(this.#db, poId)) made.add(pdf.relativePath);
    return made;
  }

  listTransitions(poId: string): Transition[] {
    return this.#db.prepare('SELECT * FROM transitions WHERE po_id = ? ORDER BY id').all(poId).map(toTransition);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      // A run that ends without endRun (an error on the way out) still frees the folder for the next one.
      if (this.#runId !== null) releaseRunLock(this.#db, this.#runId);
    } finally {
      this.#db.close();
    }
  }

  [Symbol.dispose](): void {
    this.close();
  }

  #finalFiles(poId: string | null): Map<string, SavedFile[]> {
    const rows = poId === null
      ? this.#db.prepare("SELECT * FROM files WHERE stage = 'final' ORDER BY id").all()
      : this.#db.prepare("SELECT * FROM files WHERE stage = 'final' AND po_id = ? ORDER BY id").all(poId);
    const byPo = new Map<string, SavedFile[]>();
    for (const row of rows) {
      const { stage: _stage, ...file } = toStoredFile(row);
      const key = textColumn(row, 'po_id');
      byPo.set(key, [...(byPo.get(key) ?? []), file]);
    }
    return byPo;
  }

  #requireRun(method: string): void {
    // Changing other POs' states is only safe while holding the run lock.
    if (this.#runId === null) throw new Error(`${method}() needs a run: call beginRun() first.`);
  }

  #write<T>(work: () => T): T {
    if (this.#closed) throw new Error(`The state store ${this.file} is closed.`);
    return transaction(this.#db, this.file, work);
  }

  #timestamp(): string {
    return this.#now().toISOString();
  }
}

/** A state file that cannot be read: damaged, cut short, or not a coupa-dl state at all. */
function unreadableState(error: unknown, file: string): CoupaDlError {
  const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return new CoupaDlError('OUTPUT_NOT_WRITABLE', `Cannot read the state file ${file} (${detail}): it is damaged or is not a coupa-dl state file.`, {
    cause: error,
    hint: `Move ${file} away (the files and reports beside it stay; the POs it knew are fetched again), or choose another output folder.`,
  });
}
