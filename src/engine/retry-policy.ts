import { POOL_CODES, type Failure } from './failure.ts';
import type { PoolSettings } from './pool-settings.ts';

/** The shape of a backoff: the first step, the longest step, and the longest `Retry-After` obeyed. */
export interface BackoffRule {
  readonly baseMs: number;
  readonly maxMs: number;
  /** A server asking for longer than this gets this (a PO has a deadline to keep); no cap when absent. */
  readonly maxRetryAfterMs?: number;
}

/**
 * The one backoff of the tool (tasks in the pool, files inside a PO): exponential, with "full
 * jitter" (a random point between half and all of the step), so workers that failed together do
 * not all come back in the same instant. A server's Retry-After wins when it asks for longer.
 * https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 */
export function backoffDelayMs(attempt: number, rule: BackoffRule, random: () => number, retryAfterMs?: number): number {
  const step = Math.min(rule.maxMs, rule.baseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.round(step / 2 + (random() * step) / 2);
  const asked = Math.min(Math.max(0, retryAfterMs ?? 0), rule.maxRetryAfterMs ?? Number.POSITIVE_INFINITY);
  return Math.max(jittered, asked);
}

/** The pool's rule, from its settings. */
export function poolBackoff(settings: Pick<PoolSettings, 'backoffBaseMs' | 'backoffMaxMs'>): BackoffRule {
  return { baseMs: settings.backoffBaseMs, maxMs: settings.backoffMaxMs };
}

export type FailureDecision =
  | { action: 'retry'; delayMs: number; front: boolean; countAttempt: boolean }
  | { action: 'give-up' }
  | { action: 'restore-session' }
  | { action: 'stop-run' }
  | { action: 'return'; reason: string };

export interface FailureFacts {
  failure: Failure;
  /** The attempt that just failed (1-based), counting only counted attempts. */
  attempt: number;
  /** How often this task already went back for a lost session. */
  sessionRetries: number;
  /** The session was restored after this attempt started: the failure is stale, just run it again. */
  sessionRestoredSince: boolean;
  /** The code the circuit breaker is holding the pool for, if it is. */
  breakerCode: string | null;
  /** The pool is shutting down: nothing is retried, unfinished tasks go back to the caller. */
  stopping: string | null;
}

/** What to do with a task whose attempt failed: a pure function of the facts. */
export function decideAfterFailure(facts: FailureFacts, settings: PoolSettings, random: () => number): FailureDecision {
  const { failure, attempt } = facts;
  if (facts.stopping !== null) return { action: 'return', reason: facts.stopping };
  switch (failure.kind) {
    case 'run':
      return { action: 'stop-run' };
    case 'item':
      return { action: 'give-up' };
    case 'session':
      // Sessions are shared by every worker, so an unlucky PO can lose one several times in a row
      // through no fault of its own; only a PO that loses it again and again has another problem.
      if (facts.sessionRetries >= settings.maxSessionRetries) return { action: 'give-up' };
      if (facts.sessionRestoredSince) return { action: 'retry', delayMs: 0, front: true, countAttempt: false };
      return { action: 'restore-session' };
    case 'retryable': {
      // An outage the breaker already holds for must not use up the attempts of the tasks caught in it.
      if (facts.breakerCode === failure.code) return { action: 'retry', delayMs: 0, front: true, countAttempt: false };
      if (attempt >= settings.maxAttempts) return { action: 'give-up' };
      // The worker was at fault, not the server: try again at once, on a fresh browser.
      if (failure.code === POOL_CODES.browserCrashed || failure.code === POOL_CODES.deadline) {
        return { action: 'retry', delayMs: 0, front: true, countAttempt: true };
      }
      return { action: 'retry', delayMs: backoffDelayMs(attempt, poolBackoff(settings), random, failure.retryAfterMs), front: false, countAttempt: true };
    }
    default: {
      const unknownKind: never = failure.kind;
      throw new Error(`Unknown failure kind \`${String(unknownKind)}\` from classify (a bug).`);
    }
  }
}
