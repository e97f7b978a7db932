import { resolve } from 'node:path';
import { Command } from 'commander';
import { planBatch } from '../../domain/batch-plan.ts';
import { CoupaDlError } from '../../domain/errors.ts';
import { line, EXIT, type App, type ExitCode } from '../../job/app.ts';
import { resolveConfig } from '../config.ts';
import { runJob } from '../../job/run-job.ts';
import { SETTINGS } from '../../job/settings.ts';
import { convertStoredMails } from '../../job/conversion/convert-stored.ts';
import { poPdfsToFetch } from '../../job/conversion/po-pdf-plan.ts';
import { conversionSentence } from '../../job/conversion/conversion-words.ts';
import { rebuildReports } from '../../job/conversion/rebuild-reports.ts';
import { openExistingState } from './report.ts';
import { addSettingOptions, flagsBySetting, requireJobSettings } from './run.ts';

/** The sheet and the fresh start belong to `run`; everything else (sign-in, browser, workers, timeouts) applies. */
const RETRY_SETTINGS = SETTINGS.map((s) => s.key).filter((key) => key !== 'input' && key !== 'fresh');

interface StoredRun {
  readonly toRetry: number;
  /** POs that ended well but lack the PO PDF asked for (`--save-po-pdf`). */
  readonly poPdfs: number;
  readonly baseUrl: string | null;
  readonly finished: Readonly<Record<string, number>>;
}

/** What an output folder holds: how many POs a retry would fetch, with the plan `runJob` will make. */
function readStoredRun(outDir: string, savePoPdf: boolean): StoredRun {
  using store = openExistingState(outDir);
  const input = store.loadInput();
  if (!input) {
    throw new CoupaDlError('INPUT_INVALID', `The run in ${outDir} stopped before it read its sheet, so there is nothing to retry.`, {
      hint: `Start it again with \`coupa-dl run --input <sheet> --out ${outDir} --base-url <url>\`.`,
    });
  }
  const pos = store.listPos();
  const plan = planBatch({ rows: input.rows, stored: new Map(pos.map((po) => [po.poId, po])), mode: 'retry' });
  const finished: Record<string, number> = {};
  for (const po of pos) finished[po.state] = (finished[po.state] ?? 0) + 1;
  const baseUrl = store.lastRun()?.baseUrl;
  const poPdfs = savePoPdf ? poPdfsToFetch(plan, new Map(pos.map((po) => [po.poId, po.outcome])), new Set(store.listPoPdfs().map((pdf) => pdf.poId))).length : 0;
  return { toRetry: plan.tasks.length, poPdfs, baseUrl: baseUrl === undefined || baseUrl === '' ? null : baseUrl, finished };
}

/**
 * `coupa-dl retry --out <folder>`: fetch again only the POs of an earlier run that did not end
 * well (PARTIAL, FAILED, TIMEOUT, or never finished), from the sheet and Coupa address stored there.
 */
export function retryCommand(app: App, setExitCode: (code: ExitCode) => void): Command {
  const command = new Command('retry')
    .description('Fetch again only the POs of an output folder that did not finish well (PARTIAL, FAILED, TIMEOUT or not yet done).')
    .addHelpText('after', `
Examples:
  coupa-dl retry --out D:\\Coupa\\Audit2026
  coupa-dl retry --out out --workers 2 --profile "Work"
  coupa-dl retry --out out --base-url https://acme-test.coupahost.com

The sheet and the Coupa address of the earlier run are stored in the output folder: no --input needed.
--base-url is only needed to use another address than the stored one. POs that already ended with a final
status (COMPLETED, NO_ATTACHMENTS, PO_NOT_FOUND, …) are not fetched again; the reports are rebuilt.

Exit codes: 0 every PO reached a final status (or nothing to retry); 1 some POs still FAILED/PARTIAL/TIMEOUT/NEEDS_REVIEW;
2 bad usage, no earlier run in the folder, or not signed in; 130 interrupted (Ctrl-C).`);
  addSettingOptions(command, RETRY_SETTINGS);
  command.action(async () => {
    const flags = flagsBySetting(command);
    const outFlag = typeof flags['out'] === 'string' ? flags['out'] : app.env['COUPA_OUT'];
    const { config, sources } = resolveConfig({ flags, env: app.env, configFolders: outFlag ? [app.cwd, resolve(app.cwd, outFlag)] : [app.cwd] });
    if (config.out === undefined) {
      throw new CoupaDlError('CONFIG_INVALID', 'Missing --out: the output folder of the earlier run (or set COUPA_OUT).', {
        hint: 'Example: coupa-dl retry --out D:\\Coupa\\Audit2026',
      });
    }
    const outDir = resolve(app.cwd, config.out);
    const stored = readStoredRun(outDir, config.savePoPdf);
    if (stored.toRetry === 0 && stored.poPdfs === 0) {
      const counts = Object.entries(stored.finished).map(([status, n]) => `${n} ${status}`).join(', ');
      line(app.stdout, `Nothing to retry in ${outDir}: every PO already ended with a final status${counts ? ` (${counts})` : ''}.`);
      // Mails not converted yet need no Coupa: they are converted from the files on disk.
      if (config.mailPdf) {
        using store = openExistingState(outDir);
        const converted = await convertStoredMails({ app, outDir, store, config, retryUnreadable: false, command: 'retry' });
        if (converted !== null) {
          await rebuildReports(app, store, outDir);
          line(app.stdout, conversionSentence(converted));
        }
      }
      line(app.stdout, `The reports are ${resolve(outDir, 'results.xlsx')} and results.csv.`);
      setExitCode(EXIT.ok);
      return;
    }
    // The address the folder was fetched from wins over an environment or config-file default: only a flag overrides it.
    const baseUrl = sources.baseUrl === 'flag' ? config.baseUrl : (stored.baseUrl ?? config.baseUrl);
    const job = requireJobSettings({ ...config, ...(baseUrl === undefined ? {} : { baseUrl }) }, ['out', 'baseUrl']);
    const pdfs = stored.poPdfs === 0 ? '' : ` and saving ${stored.poPdfs} PO PDF${stored.poPdfs === 1 ? '' : 's'}`;
    line(app.stderr, `Retrying ${stored.toRetry} PO${stored.toRetry === 1 ? '' : 's'}${pdfs} of ${outDir} on ${job.baseUrl}.`);
    setExitCode(await runJob({ app, config: { ...job, input: '(stored input)', out: outDir }, mode: 'retry', input: { kind: 'stored' } }));
  });
  return command;
}
