import { cpus, totalmem } from 'node:os';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchOptions } from './bench-options.ts';
import type { GoalResult } from './goals.ts';
import type { RunRecord } from './run-record.ts';
import type { RunFigures } from './run-figures.ts';
import type { SoakFigures } from './soak-figures.ts';

/**
 * Saves the evidence under bench/results/ (committed): the full JSON of a run with a coarse
 * memory series per configuration, and the Markdown table. `latest.md` is the full matrix;
 * quick and soak runs keep their own `latest-<label>.md` so they never overwrite it.
 */

export const RESULTS_DIR = join(import.meta.dirname, 'results');

type SeriesPoint = [seconds: number, pssMb: number, posDone: number, pssMbByKind: Readonly<Record<string, number>>];

/** PSS (in all and per kind of process) and progress every ~5 s: enough to redraw the memory curve, small enough to commit. */
function memorySeries(record: RunRecord): SeriesPoint[] {
  const series: SeriesPoint[] = [];
  let next = 0;
  for (const sample of record.samples) {
    if (sample.atMs < next) continue;
    series.push([Math.round(sample.atMs / 100) / 10, Math.round(sample.pssBytes / (1024 * 1024)), sample.posDone, sample.pssMbByKind ?? {}]);
    next = sample.atMs + 5_000;
  }
  return series;
}

export interface SavedResults {
  readonly jsonPath: string;
  readonly markdownPath: string;
}

export async function saveResults(
  options: BenchOptions,
  when: Date,
  records: readonly RunRecord[],
  runs: readonly RunFigures[],
  goals: readonly GoalResult[],
  soak: SoakFigures | null,
  markdown: string,
): Promise<SavedResults> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const stamp = when.toISOString().slice(0, 16).replace(':', '-');
  const jsonPath = join(RESULTS_DIR, `${stamp}-${options.label}.json`);
  const machine = { cores: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(totalmem() / 1e9), node: process.version };
  const document = {
    when: when.toISOString(),
    options,
    machine,
    runs: runs.map((run, index) => ({
      ...run,
      memorySeries: records[index] === undefined ? [] : memorySeries(records[index]),
      stderrTail: records[index]?.stderrTail ?? '',
      simulatorStats: records[index]?.simulator,
    })),
    goals,
    soak,
  };
  await writeFile(jsonPath, `${JSON.stringify(document, null, 2)}\n`);
  return { jsonPath, markdownPath: await saveMarkdown(options, markdown) };
}

export interface LoadedResults {
  readonly when: string;
  readonly options: BenchOptions;
  readonly runs: RunFigures[];
  readonly soak: SoakFigures | null;
}

/** A saved results file, to re-render its tables after a figure or a goal was added. */
export async function loadResults(path: string): Promise<LoadedResults> {
  const document = JSON.parse(await readFile(path, 'utf8')) as LoadedResults;
  return { when: document.when, options: document.options, runs: document.runs, soak: document.soak };
}

export async function saveMarkdown(options: BenchOptions, markdown: string): Promise<string> {
  const markdownPath = join(RESULTS_DIR, options.label === 'full' ? 'latest.md' : `latest-${options.label}.md`);
  await writeFile(markdownPath, markdown);
  return markdownPath;
}
