import type { BrowserContext } from 'playwright-core';
import { MAX_WORKERS } from '../../engine/pool-settings.ts';
import type { WorkerFactory, WorkerHandle } from '../../engine/pool-types.ts';

/**
 * Workers of the API way: no browser, no process of their own — a place in the pool where one PO
 * at a time runs its requests (every worker shares the run's one API client, so the pace is the
 * client's, not the workers'). A worker holds a browser context only while `--source auto` sends
 * one of its POs to the browser; stopping or killing the worker closes that context.
 */
export interface ApiWorker {
  readonly id: number;
  /** The browser context a PO sent to the browser is using, while it runs. */
  fallback: WorkerHandle<BrowserContext> | null;
}

/**
 * `--workers auto` through the API: as many POs at once as requests per second, at least 2 and
 * at most MAX_WORKERS. A PO waits for each of its ~5 requests in turn; with one PO per request
 * per second in flight the shared pace always has a request waiting, even when Coupa takes a
 * second to answer, while no worker waits long for its turn.
 */
export function apiWorkerCount(requestsPerSecond: number): number {
  return Math.min(MAX_WORKERS, Math.max(2, Math.ceil(requestsPerSecond)));
}

export function apiWorkerFactory(): WorkerFactory<ApiWorker> {
  return {
    start(workerId) {
      const worker: ApiWorker = { id: workerId, fallback: null };
      const handle: WorkerHandle<ApiWorker> = {
        session: worker,
        // Nothing of its own to measure: only the browser of a PO sent there, while it runs.
        pids: () => worker.fallback?.pids() ?? [],
        // An API worker has no process that could die; a browser it borrows fails its PO instead.
        exited: new Promise<void>(() => {}),
        close: async () => {
          await worker.fallback?.close();
        },
        kill: async () => {
          await worker.fallback?.kill();
        },
      };
      return Promise.resolve(handle);
    },
  };
}
