import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { createWorkerFactory } from '../browser/worker-factory.ts';
import { DOWNLOAD_BACKOFF } from '../coupa/download-retry.ts';
import type { DownloadRoute } from '../coupa/download-route.ts';
import { pageCopyFolder } from '../coupa/page-copy.ts';
import { SETTLE_QUIET_MS } from '../coupa/page-settle.ts';
import { processPo } from '../coupa/process-po.ts';
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
import type { OpenSession } from './session/open-session.ts';
import { networkChoice } from './network.ts';

export interface BatchRequest {
  app: App;
  config: JobConfig;
  outDir: string;
  session: OpenSession;
  store: StateStore;
  tasks: readonly PoTask[];
  emit(event: EngineEvent): void;
  /** How this run fetches linked files (from Node, or through the browser once Node could not connect). */
  downloadRoute: DownloadRoute;
}

/**
 * Wires the generic pool to Coupa: each task is one PO processed in a worker's browser
 * context, and every transition goes to the state store the moment the pool reports it.
 */
export async function runBatch({ app, config, outDir, session, store, tasks, emit, downloadRoute }: BatchRequest): Promise<PoolSummary> {
  const factory = createWorkerFactory({
    isolation: config.isolation,
    launch: { executablePath: session.executablePath, headless: !config.headed, isRoot: app.isRoot, proxy: networkChoice(app, config).browserProxy },
    storageState: session.storageStatePath,
    tempRoot: session.tempRoot,
  });
  try {
    return await runPool<PoTask, BrowserContext, PoOutcome>({
      tasks,
      key: (task) => task.poNumber,
      factory,
      run: (context, task, ctx) =>
        processPo(context, task, {
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
        }),
      classify: toFailure,
      describe: (outcome) => ({
        status: outcome.status,
        ok: !UNSUCCESSFUL_STATUSES.includes(outcome.status),
        message: outcome.errorMessage || `${outcome.attachmentsDownloaded} file${outcome.attachmentsDownloaded === 1 ? '' : 's'}  ${outcome.supplier}`.trimEnd(),
      }),
      hooks: {
        started: (task, attempt, workerId) => store.markRunning(task.poId, { attempt, workerId }),
        done: (task, outcome) => store.finishPo(task.poId, keepEarlierFiles(outcome, store.getPo(task.poId)?.outcome ?? null)),
        gaveUp: (task, failure, attempts) => {
          // Its last attempt may have left a copy of the page it failed on.
          const copy = pageCopyFolder(task.poNumber);
          const savedPage = existsSync(join(outDir, copy, 'meta.json')) ? copy : '';
          const outcome = failedOutcome(task, { code: failure.code, message: failure.message, attempts, savedPage }, store.getPo(task.poId)?.outcome ?? null);
          store.finishPo(task.poId, outcome);
          return { status: outcome.status, message: outcome.errorMessage };
        },
        returned: (task, reason) => store.markPending(task.poId, reason),
      },
      restoreSession: (_failure, signal) => session.restore(signal),
      settings: poolSettings(config),
      signal: app.interrupt,
      killSignal: app.kill,
      emit,
    });
  } finally {
    await factory.close();
  }
}

export function poolSettings(config: JobConfig): PoolSettings {
  return {
    ...DEFAULT_POOL_SETTINGS,
    workers: config.workers,
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
