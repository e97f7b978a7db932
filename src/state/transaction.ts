import type { DatabaseSync } from 'node:sqlite';
import { CoupaDlError } from '../domain/errors.ts';

// Primary SQLite result codes (https://www.sqlite.org/rescode.html); extended codes keep them in the low byte.
const SQLITE_READONLY = 8;
const SQLITE_IOERR = 10;
const SQLITE_FULL = 13;
const SQLITE_CANTOPEN = 14;

/**
 * Runs `work` as one write transaction: all of it lands on disk, or none of it.
 * BEGIN IMMEDIATE takes the write lock up front so `busy_timeout` waits for it; a deferred
 * transaction that upgrades from read to write in WAL mode fails at once with SQLITE_BUSY.
 */
export function transaction<T>(db: DatabaseSync, file: string, work: () => T): T {
  try {
    db.exec('BEGIN IMMEDIATE');
  } catch (error) {
    throw storageError(error, file);
  }
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw storageError(error, file);
  }
}

/** Turns SQLite's "disk full" and "cannot write" into the run-stopping errors the scheduler knows; others pass through. */
export function storageError(error: unknown, file: string): unknown {
  if (error instanceof CoupaDlError) return error;
  const code = sqliteCode(error);
  if (code === SQLITE_FULL) {
    return new CoupaDlError('DISK_FULL', `The disk is full: cannot write the state file ${file}.`, {
      cause: error,
      hint: 'Free some space, then run the same command again: it resumes where it stopped.',
    });
  }
  if (code === SQLITE_READONLY || code === SQLITE_IOERR || code === SQLITE_CANTOPEN) {
    return new CoupaDlError('OUTPUT_NOT_WRITABLE', `Cannot write the state file ${file}.`, {
      cause: error,
      hint: 'Check that the output folder exists, is writable and is on a local disk.',
    });
  }
  return error;
}

function sqliteCode(error: unknown): number | null {
  if (typeof error !== 'object' || error === null || !('errcode' in error)) return null;
  const { errcode } = error;
  return typeof errcode === 'number' ? errcode & 0xff : null;
}
