import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import type { PoTask, SavedFile } from '../../src/domain/po-outcome.ts';
import { processPo, type PoStep, type ProcessPoOptions } from '../../src/coupa/process-po.ts';
import type { PoKind, PoTruth, Simulator } from '../../src/simulator/index.ts';

/** Shared by the po-*.test.ts files: running one PO against the simulator and looking at the result. */

export function taskFor(po: PoTruth, folderLevels: readonly string[] | null = null): PoTask {
  return { poNumber: po.poNumber, poId: po.id, folderLevels };
}

export function firstOfKind(sim: Simulator, kind: PoKind): PoTruth {
  const po = sim.truth.pos.find((candidate) => candidate.kind === kind);
  if (po === undefined) throw new Error(`The simulator's catalogue has no PO of kind ${kind}.`);
  return po;
}

export interface Recorded {
  readonly steps: PoStep[];
  readonly saved: SavedFile[];
}

export function optionsFor(sim: Simulator, outDir: string, overrides: Partial<ProcessPoOptions> = {}): { options: ProcessPoOptions; recorded: Recorded } {
  const recorded: Recorded = { steps: [], saved: [] };
  const options: ProcessPoOptions = {
    baseUrl: sim.url,
    outDir,
    signal: new AbortController().signal,
    navigationTimeoutMs: 15_000,
    downloadTimeoutMs: 15_000,
    downloadConcurrency: 3,
    maxDownloadAttempts: 3,
    onStep: (step) => recorded.steps.push(step),
    onFileProgress: () => {},
    onFileSaved: (file) => recorded.saved.push(file),
    ...overrides,
  };
  return { options, recorded };
}

export async function runPo(context: BrowserContext, sim: Simulator, po: PoTruth, outDir: string, overrides: Partial<ProcessPoOptions> = {}) {
  const { options, recorded } = optionsFor(sim, outDir, overrides);
  const outcome = await processPo(context, taskFor(po), options);
  return { outcome, recorded };
}

export async function tempOutDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'coupa-po-'));
}

export async function removeDir(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true });
}

/** Every file under `root`, as `/`-separated relative paths, sorted. */
export async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

/** Every folder under `root` whose name ends in `__WORK`. */
export async function workFolders(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isDirectory() && entry.name.endsWith('__WORK')).map((entry) => entry.name);
}

export function sortedShas(files: readonly { sha256: string }[]): string[] {
  return files.map((file) => file.sha256).sort();
}
