import { planBatch } from '../../domain/batch-plan.ts';
import { CoupaDlError } from '../../domain/errors.ts';
import { writeReports } from '../../io/report.ts';
import type { StateStore } from '../../state/state-store.ts';
import type { App } from '../app.ts';
import { buildReport } from '../report-builder.ts';

/** results.csv and results.xlsx rebuilt from the state alone (`coupa-dl report`, and after converting stored mails). */
export async function rebuildReports(app: App, store: StateStore, outDir: string): Promise<{ csvPath: string; xlsxPath: string; rows: number }> {
  const input = store.loadInput();
  if (!input) throw new CoupaDlError('INPUT_INVALID', `The run in ${outDir} never read its sheet, so there is nothing to report.`, { hint: 'Run `coupa-dl run` again.' });
  const last = store.lastRun();
  const pos = store.listPos();
  const plan = planBatch({ rows: input.rows, stored: new Map(pos.map((po) => [po.poId, po])), mode: 'resume' });
  const report = buildReport({
    pos,
    files: store.listFiles().filter((f) => f.stage === 'final'),
    inputColumns: input.columns,
    plan,
    startedAt: new Date(last?.startedAt ?? Date.now()),
    finishedAt: new Date(),
    inputPath: last?.inputPath ?? '',
    baseUrl: last?.baseUrl ?? '',
    interrupted: false,
    separator: app.platform === 'win32' ? '\\' : '/',
    made: { conversions: store.listConversions(), poPdfs: store.listPoPdfs() },
  });
  const paths = await writeReports(outDir, report);
  return { ...paths, rows: input.rows.length };
}
