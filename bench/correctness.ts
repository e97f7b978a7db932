import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { PoTruth } from '../src/simulator/index.ts';
import type { TaskRecord } from './run-record.ts';

/**
 * Whether a run did the right work: a fast run that saves wrong files proves nothing.
 * Statuses are checked PO by PO against the simulator's truth; files by content (SHA-256),
 * since names are the tool's to choose.
 */
export interface Correctness {
  /** POs whose final status differs from `expectedStatus` (a PO never finished counts too). */
  readonly statusMismatches: number;
  readonly examples: readonly string[];
  /** Expected files (by content) not found anywhere under the output folder. */
  readonly missingFiles: number;
  /** Downloaded files matching no expected file; report files at the top, text notes and URL shortcuts are not counted. */
  readonly extraFiles: number;
  readonly expectedFiles: number;
}

function sha256Of(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')))
      .on('error', reject);
  });
}

async function filesUnder(root: string): Promise<string[]> {
  try {
    const entries = await readdir(root, { recursive: true, withFileTypes: true });
    return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
  } catch {
    return [];
  }
}

/** Notes the tool writes for URL and text attachments are not downloads; nor are its reports at the top level. */
function isDownload(root: string, path: string): boolean {
  const inSubfolder = relative(root, path).includes(sep);
  return inSubfolder && !/\.(txt|url)$/i.test(path) && !relative(root, path).startsWith('.');
}

export async function checkCorrectness(truth: readonly PoTruth[], tasks: readonly TaskRecord[], outPath: string): Promise<Correctness> {
  const byId = new Map(tasks.map((task) => [task.key.trim().replace(/^p[om]/i, ''), task]));
  const examples: string[] = [];
  let statusMismatches = 0;
  for (const po of truth) {
    const got = byId.get(po.id)?.status ?? 'not finished';
    if (got === po.expectedStatus) continue;
    statusMismatches += 1;
    if (examples.length < 5) examples.push(`${po.poNumber} (${po.kind}): expected ${po.expectedStatus}, got ${got}`);
  }
  const wanted = new Map<string, number>();
  for (const po of truth) for (const file of po.expectedFiles) wanted.set(file.sha256, (wanted.get(file.sha256) ?? 0) + 1);
  const expectedFiles = [...wanted.values()].reduce((sum, count) => sum + count, 0);
  let extraFiles = 0;
  for (const path of (await filesUnder(outPath)).filter((p) => isDownload(outPath, p))) {
    const digest = await sha256Of(path);
    const left = wanted.get(digest);
    if (left === undefined) extraFiles += 1;
    else if (left === 1) wanted.delete(digest);
    else wanted.set(digest, left - 1);
  }
  const missingFiles = [...wanted.values()].reduce((sum, count) => sum + count, 0);
  return { statusMismatches, examples, missingFiles, extraFiles, expectedFiles };
}
