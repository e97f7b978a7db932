import { CLOSED_BREAKER, breakerStep, type BreakerEvent, type BreakerState } from './circuit-breaker.ts';
import type { EngineEvent } from './events.ts';
import { POOL_CODES, errorMessage, failure, type Failure } from './failure.ts';
import type { PoolSettings } from './pool-settings.ts';

export interface GateOptions {
  settings: PoolSettings;
  emit(event: EngineEvent): void;
  now(): number;
  /** Something changed: waiting workers should look again. */
  notify(): void;
  stopRun(failure: Failure): void;
  /** The session came back: every worker must pick it up. */
  restored(): void;
  restoreSession: ((failure: Failure, signal: AbortSignal) => Promise<boolean>) | undefined;
  signal: AbortSignal;
}

/**
 * Whether workers may take tasks: not while the session is being restored, not while the
 * circuit breaker is open (except the one probe it lets through).
 */
export class DispatchGate {
  readonly #o: GateOptions;
  #breaker: BreakerState = CLOSED_BREAKER;
  #probesAllowed = 0;
  #probeKey: string | null = null;
  #probeTimer: NodeJS.Timeout | undefined;
  #restoring: Promise<void> | null = null;
  /** After a restore, the next task runs alone (see restoreSession); this is its key while it runs. */
  #soloPending = false;
  #soloKey: string | null = null;
  /** Goes up with every restored session: a session failure from an older attempt is stale. */
  generation = 0;

  constructor(options: GateOptions) {
    this.#o = options;
  }

  get open(): boolean {
    if (this.#restoring !== null || this.#soloKey !== null) return false;
    if (this.#breaker.phase === 'probing') return this.#probesAllowed > 0;
    return this.#breaker.phase === 'closed';
  }

  /** The code the breaker holds the pool for, if it does. */
  get breakerCode(): string | null {
    return this.#breaker.phase === 'closed' ? null : this.#breaker.code;
  }

  /** Call for every task handed to a worker: while probing, it is the probe. */
  dispatched(key: string): void {
    if (this.#soloPending) {
      this.#soloPending = false;
      this.#soloKey = key;
    }
    if (this.#breaker.phase !== 'probing') return;
    this.#probesAllowed--;
    this.#probeKey = key;
  }

  /** Whether this finished task was the probe (asked once per attempt). */
  wasProbe(key: string): boolean {
    if (this.#probeKey !== key) return false;
    this.#probeKey = null;
    return true;
  }

  /** Call when a dispatched task's attempt has ended, whatever its outcome. */
  attemptEnded(key: string): void {
    if (this.#soloKey !== key) return;
    this.#soloKey = null;
    this.#o.notify();
  }

  breaker(event: BreakerEvent): void {
    const { settings, emit, now } = this.#o;
    const { state, effect } = breakerStep(this.#breaker, event, settings);
    this.#breaker = state;
    if (effect === 'hold') {
      const reason = `${settings.breakerThreshold} tasks in a row failed with ${'code' in state ? state.code : ''}`;
      emit({ type: 'pool-held', at: now(), reason });
      clearTimeout(this.#probeTimer);
      this.#probeTimer = setTimeout(() => this.breaker({ type: 'probe-due' }), settings.breakerProbeMs);
    } else if (effect === 'probe') {
      this.#probesAllowed = 1;
    } else if (effect === 'resume') {
      clearTimeout(this.#probeTimer);
      this.#probesAllowed = 0;
      emit({ type: 'pool-resumed', at: now() });
    } else if (effect === 'stop' && 'failedProbes' in state) {
      const message = `Tasks kept failing with ${state.code}; ${state.failedProbes} probes after waiting failed too.`;
      this.#o.stopRun(failure('run', state.code, message));
    }
    this.#o.notify();
  }

  /**
   * Restores a lost session once, however many tasks noticed; dispatching waits for it. The first
   * task after a restore then runs alone: when sessions are short, workers sharing one would
   * otherwise use it up before a PO needing several pages gets through, again and again.
   */
  restoreSession(cause: Failure): void {
    if (this.#restoring !== null) return;
    const { restoreSession, emit, now, signal } = this.#o;
    if (restoreSession === undefined) return this.#o.stopRun(this.#sessionLost(cause, 'nothing can restore it'));
    emit({ type: 'pool-held', at: now(), reason: `session lost (${cause.code}): restoring it` });
    this.#restoring = (async () => {
      let restored = false;
      let problem = 'the restore said no';
      try {
        restored = await restoreSession(cause, signal);
      } catch (error) {
        problem = errorMessage(error);
      }
      this.#restoring = null;
      if (restored && !signal.aborted) {
        this.generation++;
        this.#soloPending = true;
        this.#o.restored();
        emit({ type: 'pool-resumed', at: now() });
      } else if (!signal.aborted) {
        this.#o.stopRun(this.#sessionLost(cause, problem));
      }
      this.#o.notify();
    })();
  }

  /** Waits for a restore under way, and stops the probe timer. */
  async close(): Promise<void> {
    clearTimeout(this.#probeTimer);
    await this.#restoring;
  }

  #sessionLost(cause: Failure, problem: string): Failure {
    return failure('run', POOL_CODES.sessionLost, `The session was lost (${cause.code}: ${cause.message}) and was not restored: ${problem}.`);
  }
}
