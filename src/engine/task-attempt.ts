import { setImmediate as nextTurn } from 'node:timers/promises';
import type { TaskContext } from './pool-types.ts';
import { settleWithin, whenAborted } from './settle-within.ts';

/** How one attempt ended, before anybody classified anything. */
export type AttemptOutcome<R> =
  | { type: 'returned'; result: R }
  | { type: 'threw'; error: unknown }
  /** The worker's browser died; `settled`: run() came back afterwards. */
  | { type: 'crashed'; settled: boolean }
  /** No progress for the deadline; `settled` false means run() ignored the abort: the worker is hung. */
  | { type: 'stalled'; settled: boolean }
  /** The pool took the task away (shutdown grace over, or killed). */
  | { type: 'cut'; settled: boolean };

type AbortCause = 'crashed' | 'stalled' | 'cut';

export interface AttemptInput<S, T, R> {
  run(session: S, task: T, ctx: TaskContext): Promise<R>;
  session: S;
  task: T;
  attempt: number;
  workerId: number;
  /** No progress for this long aborts the attempt. */
  deadlineMs: number;
  /** How long run() gets to return once its signal aborted. */
  graceMs: number;
  exited: Promise<void>;
  cut: AbortSignal;
  onStep(step: string, detail: string | undefined): void;
  onFile(file: string, bytes: number, total: number | null): void;
}

/** Runs one attempt of one task on one worker and says how it ended; never throws. */
export async function runAttempt<S, T, R>(input: AttemptInput<S, T, R>): Promise<AttemptOutcome<R>> {
  const controller = new AbortController();
  const abort = (cause: AbortCause) => controller.abort(cause);
  let live = true;
  // A deadline on progress, not on the whole task: a big download that keeps reporting bytes is fine.
  const watchdog = setTimeout(() => abort('stalled'), input.deadlineMs);
  const onCut = () => abort('cut');
  input.cut.addEventListener('abort', onCut, { once: true });
  if (input.cut.aborted) abort('cut');
  let exited = false;
  const unwatchExit = watchExit(input.exited, () => {
    exited = true;
    if (live) abort('crashed');
  });
  const ctx: TaskContext = {
    signal: controller.signal,
    attempt: input.attempt,
    workerId: input.workerId,
    step(step, detail) {
      if (!live) return;
      watchdog.refresh();
      input.onStep(step, detail);
    },
    fileProgress(file, bytes, total) {
      if (!live) return;
      watchdog.refresh();
      input.onFile(file, bytes, total);
    },
  };
  const settled = Promise.resolve()
    .then(() => input.run(input.session, input.task, ctx))
    .then(
      (result): AttemptOutcome<R> => ({ type: 'returned', result }),
      (error: unknown): AttemptOutcome<R> => ({ type: 'threw', error }),
    );
  try {
    const first = await Promise.race([settled, whenAborted(controller.signal).then(() => null)]);
    if (first?.type === 'threw' && !controller.signal.aborted) {
      // A dead browser makes run() throw "browser closed" a moment before the exit is reported;
      // one turn of the event loop lets that report arrive so the crash is called a crash.
      await nextTurn();
      if (exited) return { type: 'crashed', settled: true };
    }
    if (first?.type === 'returned') return first;
    if (first !== null && !controller.signal.aborted) return first;
    if (first !== null) return { type: controller.signal.reason as AbortCause, settled: true };
    const late = await settleWithin(settled, input.graceMs);
    if (late?.ok === true && late.value.type === 'returned') return late.value;
    return { type: controller.signal.reason as AbortCause, settled: late !== null };
  } finally {
    live = false;
    unwatchExit();
    clearTimeout(watchdog);
    input.cut.removeEventListener('abort', onCut);
  }
}

/**
 * Calls `onExit` if the worker dies, until the returned function is called. A promise cannot
 * drop a reaction, and a worker's `exited` lives for its ~100 tasks: the reaction holds only
 * this small box, not the attempt (its task, callbacks, timers) that subscribed.
 */
function watchExit(exited: Promise<void>, onExit: () => void): () => void {
  const box: { onExit: (() => void) | null } = { onExit };
  void exited.then(() => box.onExit?.());
  return () => {
    box.onExit = null;
  };
}
