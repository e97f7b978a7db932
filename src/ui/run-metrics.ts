import { THROUGHPUT_WINDOW } from './run-view.ts';
import type { RunView } from './run-view.ts';

/** The time-dependent figures of a run at a given moment. */
export interface RunMetrics {
  readonly elapsedMs: number;
  /** POs per minute over the latest finishes; `null` before the first one. */
  readonly posPerMinute: number | null;
  /** Time left at the recent pace; `null` when unknown or nothing is left. */
  readonly etaMs: number | null;
  readonly remaining: number;
}

const MINUTE_MS = 60_000;

/**
 * Measures the pace over the last THROUGHPUT_WINDOW finishes, so the ETA follows the run's
 * current speed (more workers, a slow supplier) rather than its average since the start.
 * The window runs up to `now`, so a stalled run shows a falling rate and a growing ETA.
 */
export function measureRun(view: RunView, now: number): RunMetrics {
  const remaining = Math.max(0, view.total - view.done);
  if (view.startedAt === null) return { elapsedMs: 0, posPerMinute: null, etaMs: null, remaining };
  const elapsedMs = view.end !== null ? view.end.durationMs : Math.max(0, now - view.startedAt);
  const times = view.finishTimes;
  if (times.length === 0) return { elapsedMs, posPerMinute: null, etaMs: null, remaining };

  // With more finishes than the window, the oldest kept time anchors the window; before that, the start does.
  const anchor = times.length > THROUGHPUT_WINDOW ? (times[0] ?? view.startedAt) : view.startedAt;
  const counted = Math.min(times.length, THROUGHPUT_WINDOW);
  const until = view.end !== null ? (times[times.length - 1] ?? now) : now;
  const spanMs = Math.max(1, until - anchor);
  const posPerMinute = (counted / spanMs) * MINUTE_MS;
  const finished = view.state === 'finished';
  const etaMs = finished || remaining === 0 ? null : (remaining / posPerMinute) * MINUTE_MS;
  return { elapsedMs, posPerMinute, etaMs, remaining };
}
