import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { CoupaDlError } from '../../domain/errors.ts';
import { stateFilePath } from '../../state/state-file-path.ts';
import { StateStore } from '../../state/state-store.ts';
import { EXIT, line, type App, type ExitCode } from '../../job/app.ts';
import { convertStoredMails } from '../../job/conversion/convert-stored.ts';
import { conversionSentence } from '../../job/conversion/conversion-words.ts';
import { rebuildReports } from '../../job/conversion/rebuild-reports.ts';
import type { SettingKey } from '../../job/settings.ts';
import { resolveConfig } from '../config.ts';
import { addSettingOptions, flagsBySetting } from './run.ts';

/** What `report --convert` takes besides `--out`: the browser that prints, and how the PDFs are made. */
const CONVERT_SETTINGS: readonly SettingKey[] = ['browser', 'pdfPageSize', 'mailPdfSuffix', 'mailInlineImageMinKb'];

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

/**
 * `coupa-dl report --out <folder>`: rebuild results.csv and results.xlsx from the state alone;
 * with `--convert`, first convert to PDF the mails that are not converted yet (a batch finished
 * before mails were converted, or with --no-mail-pdf), from the files on disk, without Coupa.
 */
export function reportCommand(app: App, setExitCode: (code: ExitCode) => void = () => {}): Command {
  const command = new Command('report')
    .description('Rebuild results.csv and results.xlsx of an output folder from its saved state (no Coupa access).')
    .requiredOption('--out <folder>', 'the output folder of an earlier run')
    .option('--convert', 'first convert to PDF the downloaded mails (.msg, .eml) not converted yet, and try again those that failed (no Coupa access; uses the browser)')
    .addHelpText('after', '\nExamples:\n  coupa-dl report --out D:\\Coupa\\Audit2026\n  coupa-dl report --out D:\\Coupa\\Audit2026 --convert');
  addSettingOptions(command, CONVERT_SETTINGS);
  command.action(async (opts: { out: string; convert?: boolean }) => {
    const outDir = resolve(app.cwd, opts.out);
    using store = openExistingState(outDir);
    if (!store.loadInput()) throw new CoupaDlError('INPUT_INVALID', `The run in ${outDir} never read its sheet, so there is nothing to report.`, { hint: 'Run `coupa-dl run` again.' });
    let converted: Awaited<ReturnType<typeof convertStoredMails>> = null;
    if (opts.convert === true) {
      const { config } = resolveConfig({ flags: flagsBySetting(command), env: app.env, configFolders: [app.cwd, outDir] });
      converted = await convertStoredMails({ app, outDir, store, config, retryUnreadable: true, command: 'report --convert' });
    }
    const paths = await rebuildReports(app, store, outDir);
    if (opts.convert === true) line(app.stdout, converted === null ? 'Every downloaded mail is already converted to PDF.' : conversionSentence(converted));
    line(app.stdout, `Rebuilt ${paths.csvPath} and ${paths.xlsxPath} (${paths.rows} rows).`);
    if (app.interrupt.aborted) setExitCode(EXIT.interrupted);
  });
  return command;
}
