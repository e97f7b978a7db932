import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { planBatch } from '../../domain/batch-plan.ts';
import { CoupaDlError } from '../../domain/errors.ts';
import { writeReports } from '../../io/report.ts';
import { stateFilePath } from '../../state/state-file-path.ts';
import { StateStore } from '../../state/state-store.ts';
import { line, type App } from '../../job/app.ts';
import { buildReport } from '../../job/report-builder.ts';

/** Opens the state of an output folder, or says plainly that there is none. */
export function openExistingState(outDir: string): StateStore {
  const file = stateFilePath(outDir);
  if (!existsSync(file)) {
    throw new CoupaDlError('INPUT_INVALID', `${outDir} holds no coupa-dl run (no ${file}).`, {
      hint: 'Pass the --out folder of an earlier `coupa-dl run`.',
    });
  }
  return StateStore.open(file);
}

/** `coupa-dl report --out <folder>`: rebuild results.csv and results.xlsx from the state alone. */
export function reportCommand(app: App): Command {
  return new Command('report')
    .description('Rebuild results.csv and results.xlsx of an output folder from its saved state (no Coupa access).')
    .requiredOption('--out <folder>', 'the output folder of an earlier run')
    .addHelpText('after', '\nExample:\n  coupa-dl report --out D:\\Coupa\\Audit2026')
    .action(async (opts: { out: string }) => {
      const outDir = resolve(app.cwd, opts.out);
      using store = openExistingState(outDir);
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
      line(app.stdout, `Rebuilt ${paths.csvPath} and ${paths.xlsxPath} (${input.rows.length} rows).`);
    });
}
