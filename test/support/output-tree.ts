import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/** What a run left in its output folder, read from disk: paths relative to the folder, `/`-separated. */

// The reports a run writes beside the downloads.
const REPORT_FILES = new Set(['results.csv', 'results.xlsx']);

export interface DiskFile {
  /** Relative to the output folder, `/`-separated. */
  readonly path: string;
  readonly sizeBytes: number;
  readonly sha256: string;
}

/** Every file of the output tree except the reports and the run state (`.coupa-dl/`), sorted. */
export async function filesOnDisk(outDir: string): Promise<DiskFile[]> {
  const files: DiskFile[] = [];
  for (const path of await treeEntries(outDir, 'file')) {
    if (REPORT_FILES.has(path) || path.startsWith('.coupa-dl/')) continue;
    const bytes = await readFile(join(outDir, path));
    files.push({ path, sizeBytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
  }
  return files;
}

/** Every folder (or file) under `root`, relative and `/`-separated, sorted. */
export async function treeEntries(root: string, type: 'file' | 'folder'): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => (type === 'file' ? entry.isFile() : entry.isDirectory()))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

/** Every file under `root` (but the tool's own `.coupa-dl` folder), as `/`-separated relative paths, sorted. */
export async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && !relative(root, entry.parentPath).split(sep).includes('.coupa-dl'))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

/** Every folder under `root` whose name ends in `__WORK`: a PO caught half-way, which no finished or stopped run may leave. */
export async function workFolders(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isDirectory() && entry.name.endsWith('__WORK')).map((entry) => entry.name);
}
