import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLONE_PREFIX, removeStaleClones } from '../../browser/profile-clone.ts';
import { isProcessAlive } from '../../state/run-lock.ts';

/**
 * This run's private temp folder (0700): the session file and the workers' profiles live in it,
 * and it is removed when the run ends. Its name carries our PID, so a later run can tell a folder
 * left by a killed run (removed first) from one of a run still going.
 */
export interface RunTempFolder extends AsyncDisposable {
  readonly path: string;
}

export async function makeRunTempFolder(pid: number): Promise<RunTempFolder> {
  // Runs killed before they could clean up leave their private folders behind: remove them first.
  await removeStaleClones(tmpdir(), isProcessAlive);
  const path = await mkdtemp(join(tmpdir(), `${CLONE_PREFIX}${pid}-run-`));
  const remove = () => rm(path, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  try {
    await chmod(path, 0o700);
  } catch (error) {
    await remove();
    throw error;
  }
  return { path, [Symbol.asyncDispose]: remove };
}
