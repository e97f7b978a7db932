import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A test's own temp folder, and its removal: the one place the tests make temp folders. */
export interface TempDir {
  readonly path: string;
  remove(): Promise<void>;
}

/** A new folder under the system temp folder; the test removes it in `after` or `finally`. */
export async function tempDir(prefix = 'coupa-dl-test-'): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  // Retries ride out a file that a process just stopped still holds for a moment (EBUSY, ENOTEMPTY).
  return { path, remove: () => rm(path, { recursive: true, force: true, maxRetries: 3 }) };
}
