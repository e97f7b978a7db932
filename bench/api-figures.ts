import type { RunFigures } from './run-figures.ts';
import type { RunRecord } from './run-record.ts';
import { soakFigures, type SoakFigures } from './soak-figures.ts';

/**
 * The figures of a run through Coupa's REST API, from its record (the simulator's counters are
 * that run's own: a fresh simulator per configuration). Pure. Definitions in docs/benchmark.md
 * ("API mode").
 */
export interface ApiRunFigures {
  readonly label: string;
  readonly apiRate: number;
  /** The general figures (POs/min, percentiles, memory, CPU, correctness). */
  readonly run: RunFigures;
  /** API requests the simulator received (files included, retries included, token requests not). */
  readonly requests: number;
  readonly requestsPerPo: number;
  /** The most POs a minute this rate allows for this catalogue: rate × 60 ÷ requests per PO. */
  readonly ceilingPosPerMin: number;
  /** POs/min (wall time, start-up included) as a share of the ceiling, in %. */
  readonly percentOfCeiling: number;
  readonly tooManyRequests: number;
  /** Requests the simulator held in its queue (answered late) instead of refusing. */
  readonly queued: number;
  readonly tokenRequests: number;
  /** The simulator's own time per PO: its API request times summed (latency and bandwidth included) ÷ POs. */
  readonly simulatorSecPerPo: number;
  /** The pace's share of a PO: requests per PO ÷ rate (what a PO would take if its requests only waited for the pace). */
  readonly paceSecPerPo: number;
  /** Requests per second over the run (from its first API request to its last). */
  readonly perSecond: RateFigures;
  /** Requests per 5-second window, for the docs (the last window may be partial). */
  readonly per5s: readonly number[];
  readonly soak: SoakFigures | null;
}

export interface RateFigures {
  readonly seconds: number;
  readonly mean: number;
  readonly p10: number;
  readonly p90: number;
  readonly max: number;
  /**
   * Whole seconds with more requests than the rate asked for plus one: requests evenly spaced at
   * the rate fall rate or rate + 1 to a one-second bucket, depending on where the bucket starts.
   */
  readonly secondsOverRate: number;
}

const round = (value: number, digits = 1): number => Number(value.toFixed(digits));

function percentileOf(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))] ?? 0;
}

/** The active part of a per-second series: from the first second with a request to the last. */
export function activeSeconds(series: readonly number[]): number[] {
  const first = series.findIndex((count) => count > 0);
  if (first < 0) return [];
  let last = series.length - 1;
  while (last > first && (series[last] ?? 0) === 0) last -= 1;
  return series.slice(first, last + 1);
}

export function rateFigures(series: readonly number[], rate: number): RateFigures {
  const active = activeSeconds(series);
  // The first and last seconds are partial (the run starts and ends inside them): judged without them.
  const whole = active.length > 2 ? active.slice(1, -1) : active;
  const sorted = [...whole].sort((a, b) => a - b);
  const total = active.reduce((sum, count) => sum + count, 0);
  return {
    seconds: active.length,
    mean: active.length === 0 ? 0 : round(total / active.length),
    p10: percentileOf(sorted, 0.1),
    p90: percentileOf(sorted, 0.9),
    max: sorted.at(-1) ?? 0,
    secondsOverRate: whole.filter((count) => count > Math.ceil(rate) + 1).length,
  };
}

export function apiRunFigures(record: RunRecord, run: RunFigures, options: { readonly withSoak: boolean }): ApiRunFigures {
  const rate = record.apiRate ?? 0;
  const sim = record.simulator;
  const finished = Math.max(1, run.finished);
  const requestsPerPo = sim.apiRequests / finished;
  const ceiling = requestsPerPo === 0 ? 0 : (rate * 60) / requestsPerPo;
  const active = activeSeconds(sim.apiRequestsPerSecond);
  const per5s: number[] = [];
  for (let at = 0; at < active.length; at += 5) per5s.push(round(active.slice(at, at + 5).reduce((sum, count) => sum + count, 0) / Math.min(5, active.length - at)));
  return {
    label: record.label,
    apiRate: rate,
    run,
    requests: sim.apiRequests,
    requestsPerPo: round(requestsPerPo, 2),
    ceilingPosPerMin: round(ceiling),
    percentOfCeiling: ceiling === 0 ? 0 : round((100 * run.posPerMin) / ceiling),
    tooManyRequests: sim.apiTooManyRequests,
    queued: sim.apiQueued,
    tokenRequests: sim.tokenRequests,
    simulatorSecPerPo: round(sim.apiTimeMs / 1000 / finished, 2),
    paceSecPerPo: rate === 0 ? 0 : round(requestsPerPo / rate, 2),
    perSecond: rateFigures(sim.apiRequestsPerSecond, rate),
    per5s,
    soak: options.withSoak ? soakFigures(record.samples, record.pos) : null,
  };
}
