import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DOWNLOAD_BACKOFF } from '../coupa/download-retry.ts';
import type { DownloadRoute } from '../coupa/download-route.ts';
import { pageCopyFolder } from '../coupa/page-copy.ts';
import { SETTLE_QUIET_MS } from '../coupa/page-settle.ts';
import { poPdfFailureVerdict } from '../coupa/po-pdf-verdict.ts';
import { classifyError } from '../domain/errors.ts';
import { failedOutcome, keepEarlierFiles } from '../domain/failed-outcome.ts';
import type { PoOutcome, PoTask } from '../domain/po-outcome.ts';
import { UNSUCCESSFUL_STATUSES } from '../domain/status.ts';
import type { EngineEvent } from '../engine/events.ts';
import type { Failure } from '../engine/failure.ts';
import { runPool } from '../engine/pool.ts';
import { backoffDelayMs } from '../engine/retry-policy.ts';
import { DEFAULT_POOL_SETTINGS, type PoolSettings } from '../engine/pool-settings.ts';
import type { PoolSummary } from '../engine/pool-types.ts';
import type { StateStore } from '../state/state-store.ts';
import type { App } from './app.ts';
import type { JobConfig } from './settings.ts';
import { poPrintSettings } from './conversion/pdf-settings.ts';
import type { PoPdfTask } from './conversion/po-pdf-plan.ts';
import type { FetchWay, SourcedOutcome } from './ways/fetch-way.ts';

export interface BatchRequest<S> {
  app: App;
  config: JobConfig;
  outDir: string;
  way: FetchWay<S>;
  store: StateStore;
  tasks: readonly PoTask[];
  emit(event: EngineEvent): void;
  /** A line for the run's log (why a PO went another way). */
  note(message: string): void;
  /** How this run fetches linked files (from Node, or through the browser once Node could not connect). */
  downloadRoute: DownloadRoute;
  /** Called once a PO ended and its outcome is stored (its mails are then converted, outside the PO). */
  afterPo?(poId: string, outcome: PoOutcome): void;
  /** POs that ended earlier and only need their PDF (`--save-po-pdf` on a finished batch): nothing else is fetched. */
  poPdfTasks?: readonly PoPdfTask[];
}

/** A PO to process, or (with `previous`) one whose PDF alone is fetched. */
type BatchTask = PoTask & { readonly previous?: PoOutcome };

/**
 * Wires the generic pool to Coupa: each task is one PO, fetched by the run's way (browser pages
 * or the REST API, ways/), and every transition goes to the state store the moment the pool
 * reports it, with the way the PO came.
 */
export async function runBatch<S>({ app, config, outDir, way, store, tasks, emit, note, downloadRoute, afterPo, poPdfTasks = [] }: BatchRequest<S>): Promise<PoolSummary> {
  const printSettings = poPrintSettings(config);
  const poPdf = config.savePoPdf ? printSettings : undefined;
  const printOnly = (session: S, task: BatchTask, previous: PoOutcome, signal: AbortSignal): Promise<SourcedOutcome> => {
    // Every way has it with --save-po-pdf (the API's through its signed-in printer, ways/open-way.ts).
    if (way.printOnly === undefined) throw new Error(`The PO PDF of ${task.poNumber} was asked for from a run that has no web pages to print (a bug).`);
    return way.printOnly(session, task, previous, { outDir, baseUrl: config.baseUrl, signal, settings: printSettings });
  };
  return runPool<BatchTask, S, SourcedOutcome>({
    tasks: [...tasks, ...poPdfTasks],
    key: (task) => task.poNumber,
    factory: way.factory,
    run: (session, task, ctx) =>
      task.previous !== undefined
        ? printOnly(session, task, task.previous, ctx.signal)
        : way.run(session, task, {
            baseUrl: config.baseUrl,
            outDir,
            signal: ctx.signal,
            navigationTimeoutMs: config.navigationTimeoutMs,
            settleTimeoutMs: config.settleTimeoutMs,
            settleQuietMs: SETTLE_QUIET_MS,
            errorMarkers: [...config.notFoundMarkers, ...config.accessDeniedMarkers],
            accessDeniedMarkers: config.accessDeniedMarkers,
            pageCopyMaxBytes: config.savedPageMaxKb * 1024,
            downloadRoute,
            downloadTimeoutMs: config.downloadTimeoutMs,
            downloadConcurrency: config.downloadConcurrency,
            maxDownloadAttempts: config.maxAttempts,
            retryDelayMs: (retry, retryAfterMs) => backoffDelayMs(retry, DOWNLOAD_BACKOFF, Math.random, retryAfterMs),
            onStep: (step, detail) => ctx.step(step, detail),
            onFileProgress: (file, bytes, total) => ctx.fileProgress(file, bytes, total),
            onFileSaved: (file) => store.recordFile(task.poId, file),
            derivedFiles: store.madeFilesOf(task.poId),
            ...(poPdf === undefined ? {} : { poPdf }),
            note,
          }),
    classify: toFailure,
    describe: ({ outcome }) => ({
      status: outcome.status,
      ok: !UNSUCCESSFUL_STATUSES.includes(outcome.status),
      message: outcome.errorMessage || `${outcome.attachmentsDownloaded} file${outcome.attachmentsDownloaded === 1 ? '' : 's'}  ${outcome.supplier}`.trimEnd(),
    }),
    hooks: {
      // A PO whose PDF alone is fetched keeps its state meanwhile: a stop leaves it as it was.
      started: (task, attempt, workerId) => {
        if (task.previous === undefined) store.markRunning(task.poId, { attempt, workerId });
      },
      done: (task, { outcome, source }) => {
        if (task.previous !== undefined) return store.finishPo(task.poId, outcome, { source: store.getPo(task.poId)?.source ?? null });
        const final = keepEarlierFiles(outcome, store.getPo(task.poId)?.outcome ?? null);
        // A folder written by this attempt replaced the earlier one, and what was made in it.
        store.finishPo(task.poId, final, { replacesFolder: outcome.folder !== '', source });
        afterPo?.(task.poId, final);
      },
      gaveUp: (task, failure, attempts) => {
        if (task.previous !== undefined) {
          const verdict = poPdfFailureVerdict(task.previous.status, task.previous.errorMessage, `The PO could not be saved as PDF: ${failure.message} [${failure.code}, ${attempts === 1 ? '1 attempt' : `${attempts} attempts`}].`);
          store.finishPo(task.poId, { ...task.previous, status: verdict.status, errorMessage: verdict.message }, { source: store.getPo(task.poId)?.source ?? null });
          return { status: verdict.status, message: verdict.message };
        }
        // Its last attempt may have left a copy of the page (or the API's answers) it failed on.
        const copy = pageCopyFolder(task.poNumber);
        const savedPage = existsSync(join(outDir, copy, 'meta.json')) ? copy : '';
        const outcome = failedOutcome(task, { code: failure.code, message: failure.message, attempts, savedPage }, store.getPo(task.poId)?.outcome ?? null);
        store.finishPo(task.poId, outcome, { source: way.lastSource(task.poId) });
        // The earlier run's folder stays, and its mails are converted if they are not yet.
        afterPo?.(task.poId, outcome);
        return { status: outcome.status, message: outcome.errorMessage };
      },
      returned: (task, reason) => {
        if (task.previous === undefined) store.markPending(task.poId, reason);
      },
    },
    restoreSession: (_failure, signal) => way.restoreSession(signal),
    settings: poolSettings(config, way),
    signal: app.interrupt,
    killSignal: app.kill,
    emit,
  });
}

/** `way`: what `--workers auto` means for the run's way (the pool chooses from the machine for browsers), and its most workers. */
export function poolSettings(config: JobConfig, way: Pick<FetchWay<unknown>, 'autoWorkers' | 'maxWorkers'>): PoolSettings {
  return {
    ...DEFAULT_POOL_SETTINGS,
    workers: config.workers === 'auto' ? way.autoWorkers : config.workers,
    maxWorkers: way.maxWorkers,
    maxAttempts: config.maxAttempts,
    taskDeadlineMs: config.poDeadlineMs,
    recycleAfterTasks: config.recycleAfter,
    workerMemoryLimitBytes: config.workerMemoryMb * 1024 * 1024,
    systemMemoryLimitPercent: config.systemMemoryPercent,
    shutdownGraceMs: config.shutdownGraceMs,
  };
}

/**
 * Our coded errors tell the pool what to do. An uncoded error is a bug and its message says so;
 * it is retried and then fails that PO only, because stopping a batch of thousands for one odd
 * page would hurt the user more than the bug does.
 */
function toFailure(error: unknown): Failure {
  const classified = classifyError(error);
  const { code, message } = classified;
  const kind = code === 'UNEXPECTED' ? 'retryable' : classified.kind;
  const retryAfterMs = (error as { retryAfterMs?: unknown } | null)?.retryAfterMs;
  return typeof retryAfterMs === 'number' ? { kind, code, message, retryAfterMs } : { kind, code, message };
}
