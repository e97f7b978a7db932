import type { PoolSettings } from './pool-settings.ts';

export interface LoadSample {
  cpuPercent: number;
  memoryUsedPercent: number;
}

/** How many workers should run, and how long the current pressure has lasted. */
export interface ScaleState {
  target: number;
  /** Never more than this: the ceiling, minus retired workers, minus finished tasks. */
  cap: number;
  highSamples: number;
  lowSamples: number;
}

export interface ScaleDecision {
  state: ScaleState;
  change: { from: number; to: number; reason: string } | null;
}

type ScaleSettings = Pick<
  PoolSettings,
  'systemMemoryLimitPercent' | 'cpuHighPercent' | 'scaleUpBelowPercent' | 'scaleAfterSamples'
>;

export function initialScaleState(target: number, cap: number): ScaleState {
  return { target: Math.min(target, cap), cap, highSamples: 0, lowSamples: 0 };
}

/**
 * One sample's verdict. Memory above the limit sheds a worker in every mode; `auto` also sheds
 * on CPU and adds a worker when both CPU and memory are low. A pressure must last
 * `scaleAfterSamples` samples in a row (hysteresis: one spike changes nothing), and the count
 * starts again after every change so the machine can settle.
 */
export function decideScale(state: ScaleState, sample: LoadSample, auto: boolean, settings: ScaleSettings): ScaleDecision {
  const memoryHigh = sample.memoryUsedPercent > settings.systemMemoryLimitPercent;
  const cpuHigh = auto && sample.cpuPercent > settings.cpuHighPercent;
  const low =
    sample.memoryUsedPercent < settings.scaleUpBelowPercent && (!auto || sample.cpuPercent < settings.scaleUpBelowPercent);
  const capped = withCap(state, state.cap);
  if (memoryHigh || cpuHigh) {
    const highSamples = capped.highSamples + 1;
    if (highSamples >= settings.scaleAfterSamples && capped.target > 1) {
      const to = capped.target - 1;
      const reason = memoryHigh ? `memory ${Math.round(sample.memoryUsedPercent)}% used` : `CPU ${Math.round(sample.cpuPercent)}%`;
      return { state: { ...capped, target: to, highSamples: 0, lowSamples: 0 }, change: { from: capped.target, to, reason } };
    }
    return { state: { ...capped, highSamples, lowSamples: 0 }, change: null };
  }
  if (low && capped.target < capped.cap) {
    const lowSamples = capped.lowSamples + 1;
    if (lowSamples >= settings.scaleAfterSamples) {
      const to = capped.target + 1;
      const reason = `load low (CPU ${Math.round(sample.cpuPercent)}%, memory ${Math.round(sample.memoryUsedPercent)}%)`;
      return { state: { ...capped, target: to, highSamples: 0, lowSamples: 0 }, change: { from: capped.target, to, reason } };
    }
    return { state: { ...capped, lowSamples, highSamples: 0 }, change: null };
  }
  return { state: { ...capped, highSamples: 0, lowSamples: 0 }, change: null };
}

/** A new cap (a worker retired, tasks finished): the target never exceeds it. */
export function withCap(state: ScaleState, cap: number): ScaleState {
  const safeCap = Math.max(0, cap);
  return { ...state, cap: safeCap, target: Math.min(state.target, safeCap) };
}
