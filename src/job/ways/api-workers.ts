import type { BrowserContext } from 'playwright-core';

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
 * `--workers auto` through the API: twice as many POs at once as requests per second, at least 4
 * and at most `max` (MAX_API_WORKERS through the API alone; MAX_WORKERS with `--source auto`,
 * whose workers may each borrow a browser context). The shared pace, not the workers, holds the run to the rate; workers
 * only have to keep a request waiting for every start time. A PO's requests go one round after
 * another (find it, its lists, the requisition, its files), so while Coupa takes its time to
 * answer — up to ~7 s of its own per PO at 10/s, ~3.5 s at 20/s (16 workers) — the pace still
 * has a request to send (measured: docs/benchmark.md, "API mode").
 */
export function apiWorkerCount(requestsPerSecond: number, max: number): number {
  return Math.min(max, Math.max(4, Math.ceil(2 * requestsPerSecond)));
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
