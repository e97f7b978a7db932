import { availableParallelism } from 'node:os';
import type { Correctness } from './correctness.ts';
import type { RunRecord } from './run-record.ts';

/**
 * The figures of one run, computed from its record (definitions in docs/benchmark.md).
 * Pure: the same record always gives the same figures.
 */
export interface RunFigures {
  readonly label: string;
  readonly kind: 'cli' | 'baseline';
  readonly workers: number;
  readonly isolation: string;
  readonly pos: number;
  readonly finished: number;
  readonly wallSec: number;
  readonly engineSec: number | null;
  readonly posPerMin: number;
  readonly p50Sec: number;
  readonly p95Sec: number;
  readonly meanSec: number;
  /** Mean time per PO spent waiting for its pages to settle (overlaps its downloads); null before it was measured. */
  readonly settleSecPerPo?: number | null;
  /** The simulator's summed request time (pages + files, incl. latency and bandwidth) per finished PO. */
  readonly simulatorSecPerPo: number;
  /** (mean PO duration − simulator time per PO) / simulator time per PO, in %. */
  readonly overheadPercent: number;
  /**
   * Wall time per finished PO during which the simulator was serving at least one request
   * (concurrent requests count once); null for results saved before it was measured.
   */
  readonly simulatorBusySecPerPo?: number | null;
  /** (mean PO duration − busy time per PO) / busy time per PO, in %: only meaningful with one PO at a time. */
  readonly busyOverheadPercent?: number | null;
  readonly peakPssMb: number;
  readonly peakPssPerWorkerMb: number;
  readonly workerStartMedianMs: number | null;
  readonly workerStartMaxMs: number | null;
  /** Tool tree CPU as % of one core (200 % = both cores of this machine busy with it). */
  readonly cpuPercentOfCore: number;
  readonly cpuPercentOfMachine: number;
  readonly machineBusyPercent: number;
  /** The bench process (simulator) CPU, % of one core. */
  readonly simulatorCpuPercentOfCore: number;
  /** Machine busy share not explained by the tool or the bench: other programs competing for the CPU. */
  readonly otherLoadPercent: number;
  /** Sampled CPU seconds per finished PO, by kind of process ('renderer', 'browser', 'node', …). */
  readonly cpuSecPerPoByKind: Readonly<Record<string, number>>;
  readonly exitCode: number | null;
  readonly timedOut: boolean;
  readonly correctness: Correctness;
}

export const CORES = availableParallelism();
const MB = 1024 * 1024;

/** Nearest-rank percentile of an already sorted list. */
export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(fraction * sorted.length)));
  return sorted[rank - 1] ?? 0;
}

function median(values: readonly number[]): number | null {
  return values.length === 0 ? null : percentile([...values].sort((a, b) => a - b), 0.5);
}

const round = (value: number, digits = 1): number => Number(value.toFixed(digits));

export function runFigures(record: RunRecord, correctness: Correctness): RunFigures {
  const durations = record.tasks.map((task) => task.durationMs / 1000).sort((a, b) => a - b);
  const finished = durations.length;
  const wallSec = record.wallMs / 1000;
  const meanSec = finished === 0 ? 0 : durations.reduce((sum, value) => sum + value, 0) / finished;
  const simulatorSecPerPo = finished === 0 ? 0 : (record.simulator.pageTimeMs + record.simulator.fileTimeMs) / 1000 / finished;
  const busySecPerPo = finished === 0 || record.simulator.busyTimeMs === undefined ? null : record.simulator.busyTimeMs / 1000 / finished;
  const peakPss = Math.max(0, ...record.samples.map((sample) => sample.pssBytes)) / MB;
  const cpuPercentOfCore = wallSec > 0 ? (100 * record.cpu.toolSec) / wallSec : 0;
  return {
    label: record.label,
    kind: record.kind,
    workers: record.workers,
    isolation: record.isolation,
    pos: record.pos,
    finished,
    wallSec: round(wallSec),
    engineSec: record.engineMs === null ? null : round(record.engineMs / 1000),
    posPerMin: round(wallSec > 0 ? finished / (wallSec / 60) : 0, 2),
    p50Sec: round(percentile(durations, 0.5), 2),
    p95Sec: round(percentile(durations, 0.95), 2),
    meanSec: round(meanSec, 2),
    settleSecPerPo: finished === 0 || record.tasks.every((task) => task.settleMs === undefined) ? null : round(record.tasks.reduce((sum, task) => sum + (task.settleMs ?? 0), 0) / 1000 / finished, 3),
    simulatorSecPerPo: round(simulatorSecPerPo, 2),
    overheadPercent: round(simulatorSecPerPo > 0 ? (100 * (meanSec - simulatorSecPerPo)) / simulatorSecPerPo : 0),
    simulatorBusySecPerPo: busySecPerPo === null ? null : round(busySecPerPo, 2),
    busyOverheadPercent: busySecPerPo === null || busySecPerPo === 0 ? null : round((100 * (meanSec - busySecPerPo)) / busySecPerPo),
    peakPssMb: Math.round(peakPss),
    peakPssPerWorkerMb: Math.round(peakPss / record.workers),
    workerStartMedianMs: median(record.workerStartMs),
    workerStartMaxMs: record.workerStartMs.length === 0 ? null : Math.max(...record.workerStartMs),
    cpuPercentOfCore: round(cpuPercentOfCore),
    cpuPercentOfMachine: round(cpuPercentOfCore / CORES),
    machineBusyPercent: round(record.cpu.machineBusyPercent),
    simulatorCpuPercentOfCore: round(wallSec > 0 ? (100 * record.cpu.benchSec) / wallSec : 0),
    otherLoadPercent: round(Math.max(0, record.cpu.machineBusyPercent - (wallSec > 0 ? (100 * (record.cpu.toolSec + record.cpu.benchSec)) / wallSec / CORES : 0))),
    cpuSecPerPoByKind: Object.fromEntries(
      Object.entries(record.cpu.byKindSec ?? {}).map(([kind, sec]) => [kind, finished === 0 ? 0 : round(sec / finished, 3)]),
    ),
    exitCode: record.exitCode,
    timedOut: record.timedOut,
    correctness,
  };
}

/**
 * CPU seconds one PO costs the machine: the tool's tree plus the simulator serving it. Derived
 * from stored figures, so saved results can be re-rendered with it.
 */
export function cpuSecondsPerPo(run: Pick<RunFigures, 'cpuPercentOfCore' | 'simulatorCpuPercentOfCore' | 'wallSec' | 'finished'>): number {
  if (run.finished === 0) return 0;
  return Number((((run.cpuPercentOfCore + run.simulatorCpuPercentOfCore) / 100) * run.wallSec / run.finished).toFixed(2));
}
