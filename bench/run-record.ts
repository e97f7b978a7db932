import type { SimulatorStatsSnapshot } from '../src/simulator/index.ts';
import type { Isolation } from './bench-options.ts';
import type { ProcessKind } from './process-tree.ts';
import type { TreeSample } from './tree-sampler.ts';

/**
 * What one measured run left behind, before any figure is computed: the same shape for a CLI
 * configuration and for the baseline, so one set of formulas (run-figures.ts) serves both.
 */

export interface TaskRecord {
  readonly key: string;
  readonly status: string;
  readonly durationMs: number;
  /** ms after the run was started (process spawn / baseline start). */
  readonly finishedAtMs: number;
  /** Time the PO spent waiting for its pages to settle (its 'settling' steps); absent before it was measured. */
  readonly settleMs?: number;
}

export interface CpuRecord {
  /** CPU seconds of the tool's whole process tree (CLI + browsers; baseline: its browser). */
  readonly toolSec: number;
  /** CPU seconds of the bench process itself: mostly the simulator serving the run. */
  readonly benchSec: number;
  /** Busy share of all cores over the run, from /proc/stat (anything else running counts too). */
  readonly machineBusyPercent: number;
  /** Sampled CPU seconds of the tool's tree per kind of process (absent in results saved before it existed). */
  readonly byKindSec?: Partial<Record<ProcessKind, number>>;
}

export interface RunRecord {
  readonly label: string;
  readonly kind: 'cli' | 'baseline';
  readonly workers: number;
  /** `none` for the baseline and for runs through the API (no browser). */
  readonly isolation: Isolation | 'none';
  /** Runs through Coupa's REST API: the `--api-rate` asked for. */
  readonly apiRate?: number;
  readonly pos: number;
  /** Spawn to exit (CLI) or browser launch to close (baseline). */
  readonly wallMs: number;
  /** The engine's own `run-finished.durationMs`; null for the baseline or a killed run. */
  readonly engineMs: number | null;
  readonly exitCode: number | null;
  readonly timedOut: boolean;
  /** The last `task-finished` per PO. */
  readonly tasks: readonly TaskRecord[];
  readonly workerStartMs: readonly number[];
  readonly samples: readonly TreeSample[];
  readonly cpu: CpuRecord;
  readonly simulator: SimulatorStatsSnapshot;
  readonly outPath: string;
  /** Last lines of stderr, kept when something went wrong. */
  readonly stderrTail: string;
}
