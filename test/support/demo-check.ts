import { join } from 'node:path';
import { startSimulator } from '../../src/simulator/index.ts';
import { checkRun, type ExpectedRow } from './truth-check.ts';

/**
 * Checks what `coupa-dl demo --pos <pos>` left in `<folder>/coupa-dl-demo` against the truth of the
 * simulator the demo starts (seed 1, `pos` POs: the same catalogue in this process), and its sample
 * sheet: every PO, then an invalid number and the first PO again. Returns every problem found.
 */
export async function checkDemo(folder: string, output: string, pos: number): Promise<string[]> {
  const baseUrl = /Coupa simulator running at (http:\/\/\S+) with/.exec(output)?.[1];
  if (baseUrl === undefined) return [`the demo did not say where its simulator ran:\n${output}`];
  const sim = await startSimulator({ pos, seed: 1 });
  try {
    const truth = sim.truth.pos;
    const first = truth[0];
    if (first === undefined) return ['the simulator has no POs'];
    const rows: ExpectedRow[] = [
      ...truth.map((po): ExpectedRow => ({ poNumber: po.poNumber, status: po.expectedStatus, truth: po, cells: { NOTE: '' } })),
      { poNumber: 'PO12', status: 'INVALID_PO', cells: { NOTE: 'too short: shows INVALID_PO' } },
      { poNumber: first.poNumber, status: first.expectedStatus, truth: first, cells: { NOTE: 'listed twice: fetched once' } },
    ];
    const problems = await checkRun({ outDir: join(folder, 'coupa-dl-demo'), baseUrl, extraColumns: ['NOTE'], rows });
    // The demo writes its sample sheet into its output folder, next to the reports.
    const aboutTheSheet = new Set(["demo-pos.csv is on disk but no report row's DOWNLOAD_FOLDER holds it", 'results.xlsx Files does not list demo-pos.csv exactly once']);
    return problems.filter((problem) => !aboutTheSheet.has(problem));
  } finally {
    await sim.close();
  }
}
