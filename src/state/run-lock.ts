import type { DatabaseSync } from 'node:sqlite';
import { CoupaDlError } from '../domain/errors.ts';
import { integerColumn, textColumn } from './sqlite-row.ts';

/** Who is asking for the lock, and how to tell whether an earlier holder still runs. */
export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly isAlive: (pid: number) => boolean;
}

/**
 * Whether a process with this PID exists. Signal 0 checks without sending anything;
 * EPERM means it exists but belongs to someone else, which still counts as alive.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error instanceof Error && 'code' in error && error.code === 'EPERM';
  }
}

/**
 * Takes the output folder's run lock for `runId`; call inside the write transaction that creates
 * the run, so two processes cannot both see the lock free. The lock is a row in the store (not a
 * lock file) for that reason: SQLite's own locking makes check-and-take atomic. A row left by a
 * process that died (SIGKILL, power cut) is taken over.
 */
export function acquireRunLock(db: DatabaseSync, runId: number, owner: LockOwner, acquiredAt: string): void {
  assertRunLockFree(db, owner);
  db.prepare(
    `INSERT INTO run_lock (id, run_id, pid, host, acquired_at) VALUES (1, $runId, $pid, $host, $acquiredAt)
     ON CONFLICT (id) DO UPDATE SET run_id = excluded.run_id, pid = excluded.pid, host = excluded.host, acquired_at = excluded.acquired_at`,
  ).run({ runId, pid: owner.pid, host: owner.host, acquiredAt });
}

/** Throws when a live run holds the lock; a lock left by a dead process counts as free. */
export function assertRunLockFree(db: DatabaseSync, owner: LockOwner): void {
  const holder = db.prepare('SELECT pid, host, acquired_at FROM run_lock WHERE id = 1').get();
  if (holder !== undefined) {
    const pid = integerColumn(holder, 'pid');
    const host = textColumn(holder, 'host');
    // A PID only means something on its own machine; a holder elsewhere is assumed to be running.
    if (host !== owner.host || owner.isAlive(pid)) {
      throw new CoupaDlError(
        'OUTPUT_NOT_WRITABLE',
        `Another coupa-dl run (PID ${pid} on ${host}, started ${textColumn(holder, 'acquired_at')}) is using this output folder.`,
        {
          hint:
            host === owner.host
              ? 'Wait for that run to finish or stop it, or choose another output folder.'
              : `Wait for that run to finish, or choose another output folder. If no coupa-dl runs on ${host}, start this one from ${host} once to take the lock back.`,
        },
      );
    }
  }
}

/** Gives the lock back, if `runId` still holds it. */
export function releaseRunLock(db: DatabaseSync, runId: number): void {
  db.prepare('DELETE FROM run_lock WHERE run_id = ?').run(runId);
}
