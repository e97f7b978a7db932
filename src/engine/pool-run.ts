import { setTimeout as sleep } from 'node:timers/promises';
import { decideScale, initialScaleState, withCap, type ScaleState } from './autoscale.ts';
import { DispatchGate } from './dispatch-gate.ts';
import type { EngineEvent } from './events.ts';
import { POOL_CODES, failure, type Failure } from './failure.ts';
import type { PoolOptions, PoolSummary } from './pool-types.ts';
import { PoolSampling, type PoolSample } from './pool-sampling.ts';
import { backoffDelayMs, decideAfterFailure, poolBackoff } from './retry-policy.ts';
import { createSystemSampler } from './system-sampler.ts';
import { runAttempt, type AttemptOutcome } from './task-attempt.ts';
import { TaskEndings } from './task-endings.ts';
import { TaskQueue, type QueuedTask } from './task-queue.ts';
import { Wakeup } from './wakeup.ts';
import { WorkerSlot } from './worker-slot.ts';
import { initialWorkerCount, workerCeiling } from './worker-count.ts';

type Entry<T> = QueuedTask<T>;

/** One run of the pool: applies the pure decisions (retry, scale, breaker) to workers and tasks. */
export class PoolRun<T, S, R> {
  readonly #o: PoolOptions<T, S, R>;
  readonly #now: () => number;
  readonly #random: () => number;
  readonly #wake = new Wakeup();
  readonly #queue: TaskQueue<Entry<T>>;
  readonly #slots: WorkerSlot<S>[] = [];
  /** Aborts what waits on the run (worker starts, session restore) once it is stopping. */
  readonly #stopping = new AbortController();
  /** Aborts running tasks: shutdown grace over, or killed. */
  readonly #cut = new AbortController();
  #graceTimer: NodeJS.Timeout | undefined;
  readonly #sampling: PoolSampling<S>;
  #stopReason: string | null = null;
  #stopped: Failure | undefined;
  readonly #gate: DispatchGate;
  #scale: ScaleState = initialScaleState(0, 0);
  readonly #endings: TaskEndings<T, R>;
  readonly #summary = { workersStarted: 0, restarts: 0, retired: 0, retries: 0 };

  constructor(options: PoolOptions<T, S, R>) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    this.#random = options.random ?? Math.random;
    const entries = options.tasks.map((task, index) => ({ task, key: options.key(task), index, attempts: 0, sessionRetries: 0 }));
    this.#queue = new TaskQueue(entries, () => this.#wake.notify());
    this.#endings = new TaskEndings(entries.length, options, this.#now, (call) => this.#hook(call));
    this.#sampling = new PoolSampling(options.sampler ?? createSystemSampler(), options.settings, () => this.#slots);
    this.#gate = new DispatchGate({
      settings: options.settings,
      emit: (event) => this.#emit(event),
      now: this.#now,
      notify: () => this.#wake.notify(),
      stopRun: (cause) => this.#stopRun(cause),
      restored: () => {
        for (const slot of this.#slots) if (slot.handle !== null) slot.recycle = { reason: 'recycled', detail: 'session restored' };
      },
      restoreSession: options.restoreSession?.bind(options),
      signal: this.#stopping.signal,
    });
  }

  async run(): Promise<PoolSummary> {
    const { settings, tasks, signal, killSignal } = this.#o;
    const startedAt = this.#now();
    const auto = settings.workers === 'auto';
    const ceiling = workerCeiling(settings, tasks.length);
    const target = ceiling === 0 ? 0 : initialWorkerCount(settings, tasks.length, await this.#sampling.machine());
    this.#scale = initialScaleState(target, ceiling);
    this.#emit({ type: 'run-started', at: this.#now(), total: tasks.length, targetWorkers: target });
    for (let id = 1; id <= ceiling; id++) {
      this.#slots.push(new WorkerSlot(id, this.#o.factory, (event) => this.#emit(event), this.#now, () => this.#wake.notify()));
    }
    const onInterrupt = () => this.#interrupt(false);
    const onKill = () => this.#interrupt(true);
    signal.addEventListener('abort', onInterrupt, { once: true });
    killSignal?.addEventListener('abort', onKill, { once: true });
    if (signal.aborted) this.#interrupt(false);
    if (killSignal?.aborted === true) this.#interrupt(true);
    const sampling = this.#sampling.loop(this.#stopping.signal, (sample) => this.#onSample(sample, auto));
    let loops: PromiseSettledResult<void>[] | undefined;
    try {
      loops = await Promise.allSettled(this.#slots.map((slot) => this.#slotLoop(slot)));
    } finally {
      this.#stopping.abort();
      clearTimeout(this.#graceTimer);
      await Promise.allSettled(this.#slots.map((slot) => slot.stop('stopped', settings.abortGraceMs)));
      await this.#o.factory.close?.().catch(() => {});
      await this.#gate.close();
      await sampling.catch(() => {});
    }
    for (const entry of this.#queue.drain().sort((a, b) => a.index - b.index)) this.#endings.returned(entry, this.#stopReason ?? 'stopped');
    const bug = loops?.find((loop) => loop.status === 'rejected');
    if (bug !== undefined) throw bug.reason;
    const durationMs = this.#now() - startedAt;
    const interrupted = signal.aborted || killSignal?.aborted === true;
    this.#emit({ type: 'run-finished', at: this.#now(), durationMs, interrupted, counts: { ...this.#endings.counts } });
    return { total: tasks.length, ...this.#endings.tally, ...this.#summary, interrupted, ...(this.#stopped ? { stopped: this.#stopped } : {}), durationMs };
  }

  async #slotLoop(slot: WorkerSlot<S>): Promise<void> {
    try {
      for (;;) {
        const next = await this.#nextFor(slot);
        if (next === null) return;
        await this.#runEntry(slot, next);
      }
    } finally {
      await slot.stop('stopped', this.#o.settings.abortGraceMs);
    }
  }

  /** Waits until this slot has a task to run (starting, restarting or parking its worker as needed); null: done. */
  async #nextFor(slot: WorkerSlot<S>): Promise<Entry<T> | null> {
    const { settings } = this.#o;
    for (;;) {
      if (this.#stopReason !== null || this.#endings.remaining === 0 || slot.retired) return null;
      if (slot.exitedUnexpectedly) {
        await slot.kill('crashed', 'browser exited while idle');
        this.#died(slot, 'browser exited while idle');
        continue;
      }
      if (slot.recycle !== null) {
        await slot.stop(slot.recycle.reason, settings.abortGraceMs, slot.recycle.detail);
        continue;
      }
      if (!this.#isActive(slot)) {
        await slot.stop('scaled-down', settings.abortGraceMs);
      } else if (slot.handle === null) {
        await this.#start(slot);
        continue;
      } else if (this.#gate.open) {
        const entry = this.#queue.take();
        if (entry !== undefined) {
          this.#gate.dispatched(entry.key);
          return entry;
        }
      }
      await this.#wake.wait();
    }
  }

  /** The first `target` slots that are not retired run; the others wait with no browser. */
  #isActive(slot: WorkerSlot<S>): boolean {
    const live = this.#slots.filter((each) => !each.retired);
    return live.indexOf(slot) < this.#scale.target;
  }

  async #start(slot: WorkerSlot<S>): Promise<void> {
    const { settings } = this.#o;
    if (slot.deathsInRow > 0) {
      await sleep(backoffDelayMs(slot.deathsInRow, poolBackoff(settings), this.#random), null, { signal: this.#stopping.signal }).catch(() => {});
      if (this.#stopReason !== null) return;
      this.#summary.restarts++;
    }
    try {
      this.#summary.workersStarted++;
      await slot.start(this.#stopping.signal);
    } catch (error) {
      const cause = this.#o.classify(error);
      if (cause.kind === 'run') return this.#stopRun(cause);
      this.#emit({ type: 'worker-stopped', at: this.#now(), workerId: slot.id, reason: 'crashed', detail: `failed to start: ${cause.message}` });
      this.#died(slot, `failed to start: ${cause.message}`);
    }
  }

  /** A worker died (crash, hang, failed start): retire it when that keeps happening. */
  #died(slot: WorkerSlot<S>, detail: string): void {
    slot.deathsInRow++;
    if (slot.deathsInRow < this.#o.settings.maxWorkerRestarts) return;
    slot.retire(`died ${slot.deathsInRow} times in a row (last: ${detail})`);
    this.#summary.retired++;
    this.#scale = withCap({ ...this.#scale, target: this.#scale.target - 1 }, this.#scale.cap - 1);
    if (this.#scale.target <= 0) {
      this.#stopRun(failure('run', POOL_CODES.noWorkers, `Every worker was retired after dying ${slot.deathsInRow} times in a row (last: ${detail}).`));
    }
    this.#wake.notify();
  }

  async #runEntry(slot: WorkerSlot<S>, entry: Entry<T>): Promise<void> {
    const handle = slot.handle;
    if (handle === null) throw new Error('A task was dispatched to a slot without a worker (a bug).');
    const { settings, hooks } = this.#o;
    const attempt = entry.attempts + 1;
    const generation = this.#gate.generation;
    const startedAt = this.#now();
    slot.busy = true;
    this.#hook(() => hooks.started(entry.task, attempt, slot.id));
    this.#emit({ type: 'task-started', at: startedAt, workerId: slot.id, key: entry.key, attempt });
    const outcome = await runAttempt({
      run: this.#o.run,
      session: handle.session,
      task: entry.task,
      attempt,
      workerId: slot.id,
      deadlineMs: settings.taskDeadlineMs,
      graceMs: settings.abortGraceMs,
      exited: handle.exited,
      cut: this.#cut.signal,
      onStep: (step, detail) =>
        this.#emit({ type: 'task-step', at: this.#now(), workerId: slot.id, key: entry.key, step, ...(detail === undefined ? {} : { detail }) }),
      onFile: (file, bytes, totalBytes) =>
        this.#emit({ type: 'task-file-progress', at: this.#now(), workerId: slot.id, key: entry.key, file, bytes, totalBytes }),
    });
    slot.busy = false;
    slot.tasksSinceStart++;
    const probe = this.#gate.wasProbe(entry.key);
    this.#gate.attemptEnded(entry.key);
    await this.#settle(slot, entry, outcome, { attempt, generation, probe, startedAt });
    if (slot.handle !== null && slot.recycle === null && slot.tasksSinceStart >= settings.recycleAfterTasks) {
      slot.recycle = { reason: 'recycled', detail: `after ${slot.tasksSinceStart} tasks` };
    }
    this.#wake.notify();
  }

  async #settle(
    slot: WorkerSlot<S>,
    entry: Entry<T>,
    outcome: AttemptOutcome<R>,
    facts: { attempt: number; generation: number; probe: boolean; startedAt: number },
  ): Promise<void> {
    switch (outcome.type) {
      case 'returned':
        slot.deathsInRow = 0;
        this.#gate.breaker({ type: 'success' });
        return this.#endings.done(entry, slot.id, outcome.result, facts.startedAt);
      case 'threw':
        slot.deathsInRow = 0;
        return this.#afterFailure(slot, entry, this.#o.classify(outcome.error), facts);
      case 'crashed':
        await slot.kill('crashed', `while running ${entry.key}`);
        this.#died(slot, `crashed while running ${entry.key}`);
        return this.#afterFailure(slot, entry, failure('retryable', POOL_CODES.browserCrashed, 'The browser crashed during the task.'), facts);
      case 'stalled':
        if (!outcome.settled) {
          await slot.kill('hung', `${entry.key} did not stop after its deadline`);
          this.#died(slot, `hung on ${entry.key}`);
        }
        return this.#afterFailure(
          slot,
          entry,
          failure('retryable', POOL_CODES.deadline, `No progress for ${this.#o.settings.taskDeadlineMs} ms.`),
          facts,
        );
      case 'cut':
        if (!outcome.settled) await slot.kill('stopped', `${entry.key} did not stop when interrupted`);
        return this.#endings.returned(entry, this.#stopReason ?? 'interrupted');
      default: {
        const unknown: never = outcome;
        throw new Error(`Unknown attempt outcome ${JSON.stringify(unknown)}`);
      }
    }
  }

  #afterFailure(
    slot: WorkerSlot<S>,
    entry: Entry<T>,
    cause: Failure,
    facts: { attempt: number; generation: number; probe: boolean; startedAt: number },
  ): void {
    const { settings } = this.#o;
    // A crash is the worker's own trouble (retirement deals with it), not an outage.
    if (facts.probe) this.#gate.breaker({ type: 'probe-failed' });
    else if (cause.kind === 'retryable' && cause.code !== POOL_CODES.browserCrashed) this.#gate.breaker({ type: 'failure', code: cause.code });
    const decision = decideAfterFailure(
      {
        failure: cause,
        attempt: facts.attempt,
        sessionRetries: entry.sessionRetries,
        sessionRestoredSince: facts.generation !== this.#gate.generation,
        breakerCode: this.#gate.breakerCode,
        stopping: this.#stopReason,
      },
      settings,
      this.#random,
    );
    switch (decision.action) {
      case 'retry': {
        if (decision.countAttempt) entry.attempts = facts.attempt;
        this.#summary.retries++;
        const reason = `${cause.code}: ${cause.message}`;
        this.#emit({ type: 'task-retry', at: this.#now(), key: entry.key, attempt: entry.attempts + 1, delayMs: decision.delayMs, reason });
        if (decision.front) this.#queue.pushFront(entry);
        else if (decision.delayMs > 0) this.#queue.later(entry, decision.delayMs);
        else this.#queue.pushBack(entry);
        return;
      }
      case 'give-up':
        entry.attempts = facts.attempt;
        return this.#endings.gaveUp(entry, slot.id, cause, facts.attempt, facts.startedAt);
      case 'restore-session':
        entry.sessionRetries++;
        this.#queue.pushFront(entry);
        return this.#gate.restoreSession(cause);
      case 'stop-run':
        this.#endings.returned(entry, 'stopped');
        return this.#stopRun(cause);
      case 'return':
        return this.#endings.returned(entry, decision.reason);
      default: {
        const unknown: never = decision;
        throw new Error(`Unknown decision ${JSON.stringify(unknown)}`);
      }
    }
  }

  /** Stops dispatching for good; running tasks get `shutdownGraceMs` to finish, then are cut off. */
  #beginStop(reason: string): void {
    if (this.#stopReason !== null) return;
    this.#stopReason = reason;
    this.#stopping.abort();
    this.#graceTimer = setTimeout(() => this.#cut.abort(), this.#o.settings.shutdownGraceMs);
    this.#wake.notify();
  }

  #stopRun(cause: Failure): void {
    this.#stopped ??= cause;
    this.#beginStop('stopped');
  }

  /** First interrupt: finish what runs, start nothing. Second: kill our browsers now. */
  #interrupt(kill: boolean): void {
    this.#emit({ type: 'interrupt', at: this.#now(), second: kill });
    this.#beginStop('interrupted');
    if (!kill) return;
    this.#cut.abort();
    for (const slot of this.#slots) void slot.kill('stopped', 'killed on the second interrupt');
  }

  #onSample(sample: PoolSample<S>, auto: boolean): void {
    const { settings } = this.#o;
    for (const { slot, bytes } of sample.overLimit) {
      slot.recycle ??= { reason: 'memory', detail: `${Math.round(bytes / 1024 / 1024)} MB over the ${Math.round(settings.workerMemoryLimitBytes / 1024 / 1024)} MB limit` };
    }
    const { state, change } = decideScale(this.#scale, sample.load, auto, settings);
    this.#scale = state;
    const active = this.#slots.filter((slot) => slot.handle !== null).length;
    if (change !== null) {
      this.#emit({ type: 'pool-scaled', at: this.#now(), active, target: change.to, reason: change.reason });
      this.#wake.notify();
    }
    this.#emit({
      type: 'stats', at: this.#now(), cpuPercent: sample.load.cpuPercent, memoryUsedPercent: sample.load.memoryUsedPercent,
      browserMemoryBytes: sample.browserMemoryBytes, activeWorkers: active, targetWorkers: this.#scale.target,
    });
  }

  /** A hook that throws (the state store could not write) stops the run the way its error says. */
  #hook(call: () => void): void {
    try {
      call();
    } catch (error) {
      this.#stopRun(this.#o.classify(error));
    }
  }

  #emit(event: EngineEvent): void {
    this.#o.emit(event);
  }
}
