import type { PoolSettings } from './pool-settings.ts';

/**
 * Stops hammering a service that is down. `closed`: counting same-code failures in a row;
 * `open`: the pool is held until the probe timer fires; `probing`: exactly one task is let through.
 */
export type BreakerState =
  | { phase: 'closed'; code: string | null; streak: number }
  | { phase: 'open'; code: string; failedProbes: number }
  | { phase: 'probing'; code: string; failedProbes: number }
  | { phase: 'tripped'; code: string; failedProbes: number };

export type BreakerEvent =
  | { type: 'success' }
  | { type: 'failure'; code: string }
  | { type: 'probe-due' }
  | { type: 'probe-failed' };

/** What the pool must do now: hold and start the probe timer, let one task through, resume, or stop. */
export type BreakerEffect = 'hold' | 'probe' | 'resume' | 'stop' | null;

export const CLOSED_BREAKER: BreakerState = { phase: 'closed', code: null, streak: 0 };

type BreakerSettings = Pick<PoolSettings, 'breakerThreshold' | 'breakerMaxProbes'>;

export function breakerStep(
  state: BreakerState,
  event: BreakerEvent,
  settings: BreakerSettings,
): { state: BreakerState; effect: BreakerEffect } {
  if (state.phase === 'tripped') return { state, effect: null };
  switch (event.type) {
    case 'success':
      return { state: CLOSED_BREAKER, effect: state.phase === 'closed' ? null : 'resume' };
    case 'failure': {
      // While held, failures of tasks that were already running say nothing new; only the probe counts.
      if (state.phase !== 'closed') return { state, effect: null };
      const streak = state.code === event.code ? state.streak + 1 : 1;
      if (streak >= settings.breakerThreshold) return { state: { phase: 'open', code: event.code, failedProbes: 0 }, effect: 'hold' };
      return { state: { phase: 'closed', code: event.code, streak }, effect: null };
    }
    case 'probe-due':
      if (state.phase !== 'open') return { state, effect: null };
      return { state: { ...state, phase: 'probing' }, effect: 'probe' };
    case 'probe-failed': {
      if (state.phase !== 'probing') return { state, effect: null };
      const failedProbes = state.failedProbes + 1;
      if (failedProbes >= settings.breakerMaxProbes) return { state: { phase: 'tripped', code: state.code, failedProbes }, effect: 'stop' };
      return { state: { phase: 'open', code: state.code, failedProbes }, effect: 'hold' };
    }
    default: {
      const unknown: never = event;
      throw new Error(`Unknown breaker event ${JSON.stringify(unknown)}`);
    }
  }
}
