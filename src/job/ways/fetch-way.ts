import type { BrowserContext } from 'playwright-core';
import type { PoPdfOnlyOptions } from '../../coupa/po-pdf-only.ts';
import type { ProcessPoOptions } from '../../coupa/process-po.ts';
import type { FetchSource } from '../../domain/fetch-source.ts';
import type { PoOutcome, PoTask } from '../../domain/po-outcome.ts';
import type { WorkerFactory } from '../../engine/pool-types.ts';
import type { ApiWorker } from './api-workers.ts';

/**
 * The way a run fetches its POs — Coupa's web pages in browsers, or Coupa's REST API (with the
 * browser for what it will not serve) — as the pool needs it: the workers, what one PO is in a
 * worker, and how a lost browser session comes back. run-batch.ts wires any way to the pool
 * and the state store the same way.
 */

/** Everything a PO needs, whichever way it is fetched (the browser's options include the API's). */
export interface PoRunOptions extends ProcessPoOptions {
  /** A line for the run's log, e.g. why a PO went another way. */
  note(message: string): void;
}

/** A PO's outcome and the way it came. */
export interface SourcedOutcome {
  readonly outcome: PoOutcome;
  readonly source: FetchSource;
}

export interface FetchWay<S> extends AsyncDisposable {
  readonly factory: WorkerFactory<S>;
  /** The most workers this way may have (a browser each, or none). */
  readonly maxWorkers: number;
  /** What `--workers auto` means for this way: a number, or `auto` for the pool to choose from the machine. */
  readonly autoWorkers: number | 'auto';
  /** One PO in one worker. Throws coded errors for the engine. */
  run(session: S, task: PoTask, options: PoRunOptions): Promise<SourcedOutcome>;
  /**
   * `--save-po-pdf` on a PO that ended earlier: only the PO printed into its folder. A way with a
   * signed-in browser has it (through the API, only with `--save-po-pdf`: ways/open-way.ts).
   */
  printOnly?(session: S, task: PoTask, previous: PoOutcome, options: PoPdfOnlyOptions): Promise<SourcedOutcome>;
  /** The browser session was lost (SESSION_EXPIRED): sign in again once for everybody. */
  restoreSession(signal: AbortSignal): Promise<boolean>;
  /** For the run's log, at its start and end (never a secret). */
  describe(): Record<string, unknown>;
  /** The source a PO's last attempt was using (for POs the pool gives up on). */
  lastSource(poId: string): FetchSource | null;
}

export type AnyFetchWay = ({ readonly kind: 'browser' } & FetchWay<BrowserContext>) | ({ readonly kind: 'api' | 'auto' } & FetchWay<ApiWorker>);
