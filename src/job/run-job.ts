import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { findBrowser } from '../browser/find-browser.ts';
import { planBatch, type BatchMode } from '../domain/batch-plan.ts';
import { CoupaDlError } from '../domain/errors.ts';
import type { InputRow } from '../domain/input-row.ts';
import type { PoOutcome } from '../domain/po-outcome.ts';
import { UNSUCCESSFUL_STATUSES, isPoStatus } from '../domain/status.ts';
import { readInputSheet } from '../io/input-sheet.ts';
import { formatRowProblems } from '../io/row-problems.ts';
import { writeReports } from '../io/report.ts';
import { StateStore } from '../state/state-store.ts';
import { stateFilePath } from '../state/state-file-path.ts';
import { EXIT, line, type App, type ExitCode } from './app.ts';
import type { JobConfig } from './settings.ts';
import { buildReport } from './report-builder.ts';
import { openDisplay } from './display.ts';
import { runBatch } from './run-batch.ts';
import { openFetchWay } from './ways/open-way.ts';
import { retryCommandFor } from './retry-command.ts';
import { ReportRefresher } from './report-refresher.ts';
import { startMailConversions } from './conversion/run-conversions.ts';
import { poPdfSettingsProblem, poPdfsToFetch } from './conversion/po-pdf-plan.ts';
import { DownloadRoute } from '../coupa/download-route.ts';
import { openNodeHttp } from '../net/node-http.ts';
import { checkCoupaAddress } from './coupa-address.ts';
import { networkChoice } from './network.ts';
import { prepareOutputFolder } from './output-folder.ts';

const REPORT_REFRESH_MS = 60_000;

export type JobInput = { kind: 'sheet'; path: string } | { kind: 'stored' };

export interface JobRequest {
  app: App;
  config: JobConfig;
  mode: BatchMode;
  input: JobInput;
}

/**
 * One run, start to end: read and validate the sheet, make sure Coupa will let us in — a
 * signed-in browser session, or an API token with every scope (ways/open-way.ts) — before
 * touching the output, plan against the stored state, run the pool, rebuild the reports.
 * Every state change reaches the SQLite file as it happens, so any stop can be resumed.
 */
export async function runJob({ app, config, mode, input }: JobRequest): Promise<ExitCode> {
  const outDir = resolve(app.cwd, config.out);
  const sheet = input.kind === 'sheet' ? await readSheet(app, input.path, config) : null;
  const network = networkChoice(app, config);
  await using http = openNodeHttp({ proxy: network.proxy });

  const pdfProblem = poPdfSettingsProblem({ savePoPdf: config.savePoPdf, headed: config.headed });
  if (pdfProblem !== null) throw pdfProblem;
  // A folder another run is busy with is refused before signing in (nothing is written by the check).
  StateStore.assertFree(stateFilePath(outDir));
  // The address check runs beside the sign-in (or the API's first token): it costs a request and,
  // the first time, loading Node's client; when it fails, its words win and the sign-in is stopped.
  const checked = checkCoupaAddress(app, config, http, network);
  const checkFailed = new AbortController();
  checked.catch((error: unknown) => checkFailed.abort(error));
  const signingIn: App = { ...app, interrupt: AbortSignal.any([app.interrupt, checkFailed.signal]) };
  await using way = await openFetchWay({ app: signingIn, config, fetch: http.fetch }).catch(async (error: unknown) => {
    await checked;
    throw error;
  });
  const address = await checked;

  await prepareOutputFolder(outDir, app.pid);
  using store = StateStore.open(stateFilePath(outDir));
  const startedAt = new Date();
  const runId = store.beginRun({ command: mode, inputPath: sheet?.path ?? '(stored input)', baseUrl: config.baseUrl });
  let interrupted = false;
  try {
    const recovered = store.recoverInterrupted();
    if (mode === 'fresh') store.reset();
    if (sheet) store.saveInput(sheet.rows, sheet.columns);
    const input = sheet ?? storedInput(store);
    const stored = new Map(store.listPos().map((po) => [po.poId, po]));
    const plan = planBatch({ rows: input.rows, stored, mode });
    store.ensurePos(plan.tasks);
    // POs that ended earlier get only their PDF, when it is asked for and missing.
    const poPdfTasks = config.savePoPdf ? poPdfsToFetch(plan, new Map(store.listPos().map((po) => [po.poId, po.outcome])), new Set(store.listPoPdfs().map((pdf) => pdf.poId))) : [];

    await using display = await openDisplay({ app, json: config.json, outDir });
    display.log.info('Run started', { mode, input: sheet?.path ?? '(stored)', baseUrl: config.baseUrl, ...way.describe(), toFetch: plan.tasks.length, poPdfsOnly: poPdfTasks.length, recovered, plan: plan.counts, network: http.describe() });
    const note = (message: string): void => display.emit({ type: 'run-note', at: Date.now(), message });
    const downloadRoute = new DownloadRoute(http.fetch, { start: address.downloadsVia, onSwitch: note });
    if (address.note !== null) note(address.note);
    const reportNow = (finishedAt: Date) =>
      buildReport({
        pos: store.listPos(),
        files: store.listFiles().filter((file) => file.stage === 'final'),
        inputColumns: input.columns,
        plan,
        startedAt,
        finishedAt,
        inputPath: sheet?.path ?? store.lastRun()?.inputPath ?? '',
        baseUrl: config.baseUrl,
        interrupted,
        separator: app.platform === 'win32' ? '\\' : '/',
        made: { conversions: store.listConversions(), poPdfs: store.listPoPdfs() },
      });
    // The reports follow the state during a long run too, so a crash or power cut leaves them at most a minute behind.
    const refresher = new ReportRefresher(() => writeReports(outDir, reportNow(new Date())), REPORT_REFRESH_MS, (error) => display.log.warn('Could not refresh the reports', { error: String(error) }));
    // Mails are converted beside the pool: those of POs this run does not fetch at once, the others as their POs end.
    await using conversions = startMailConversions({ app, config, outDir, store, executablePath: () => findBrowser(config.browser, { platform: app.platform, env: app.env, exists: existsSync }).executablePath, log: display.log, fetching: plan.tasks });
    let summary;
    let mailConversions;
    try {
      const batch = { app, config, outDir, store, tasks: plan.tasks, poPdfTasks, emit: display.emit, note, downloadRoute, afterPo: (poId: string, outcome: PoOutcome) => conversions?.add(poId, outcome.files) };
      // Each way has its own kind of worker: the branches let the compiler check each pairing.
      summary = way.kind === 'browser' ? await runBatch({ ...batch, way }) : await runBatch({ ...batch, way });
      mailConversions = await conversions?.finish();
    } finally {
      await refresher.stop();
    }
    interrupted = summary.interrupted;

    const report = reportNow(new Date());
    const paths = await writeReports(outDir, report);
    const sources = store.countBySource();
    display.log.info('Run finished', { counts: report.summary.counts, sources, interrupted, stopped: summary.stopped?.code ?? null, ...way.describe() });
    await display.finish({ outDir, reportPaths: [paths.csvPath, paths.xlsxPath], retryCommand: retryCommandFor(app.commandName, outDir, app.platform, config.source), reportCounts: report.summary.counts, sources, ...(mailConversions === undefined ? {} : { mailConversions }) });
    if (summary.stopped) line(app.stderr, `\nThe run stopped before the end: ${summary.stopped.message}\nNothing is lost: run the same command again to resume.`);
    return exitCodeFor(report.summary.counts, interrupted, summary.stopped !== undefined);
  } finally {
    store.endRun(runId, { interrupted });
  }
}

async function readSheet(app: App, path: string, config: JobConfig) {
  const sheet = await readInputSheet(resolve(app.cwd, path), {
    prefixRule: { prefixes: config.poPrefixes, minDigits: config.poMinDigits },
  });
  if (sheet.problems.length > 0) {
    line(app.stderr, `${sheet.problems.length} row(s) of ${path} cannot be used; they are listed in the report as INVALID_PO:`);
    line(app.stderr, formatRowProblems(sheet.problems));
  }
  return sheet;
}

function storedInput(store: StateStore): { rows: readonly InputRow[]; columns: readonly string[] } {
  const input = store.loadInput();
  if (!input) {
    throw new CoupaDlError('INPUT_INVALID', 'This output folder has no earlier run to retry.', {
      hint: 'Start with `coupa-dl run --input <sheet> --out <folder> --base-url <url>`.',
    });
  }
  return input;
}

function exitCodeFor(counts: Readonly<Record<string, number>>, interrupted: boolean, stopped: boolean): ExitCode {
  if (interrupted) return EXIT.interrupted;
  const unsuccessful = Object.entries(counts).some(([status, n]) => n > 0 && isPoStatus(status) && UNSUCCESSFUL_STATUSES.includes(status));
  return unsuccessful || stopped || (counts['PENDING'] ?? 0) > 0 ? EXIT.someFailed : EXIT.ok;
}
