/**
 * The signal of one request, one download or one page: it aborts when `parent` does (with the
 * parent's reason), or with a `TimeoutError` once `ms` have passed (`null`: never on its own).
 * Dispose it when the work ends, whichever way it ends: its timer and its link to `parent` go
 * at once, and nothing of the work stays reachable through them.
 *
 * Why not `AbortSignal.any([parent, AbortSignal.timeout(ms)])`: Node holds a signal made by
 * `any` in a process-wide set for as long as it has an abort listener and has not aborted, and
 * fetch (like Playwright's waits and `pipeline`) adds listeners it does not always remove. So
 * every finished request stayed in memory, with everything its listeners reached (its answer,
 * the PO's evidence), until its own timeout fired: 60 s for an API answer, 5 min for a file.
 * The API run at 100 requests/s held ~8,000 of them (docs/benchmark.md, "API mode").
 */
export class Deadline implements Disposable {
  readonly #controller = new AbortController();
  readonly #parent: AbortSignal;
  readonly #follow = (): void => this.abort(this.#parent.reason);
  #timer: NodeJS.Timeout | undefined;

  constructor(parent: AbortSignal, ms: number | null) {
    this.#parent = parent;
    if (parent.aborted) {
      this.abort(parent.reason);
      return;
    }
    parent.addEventListener('abort', this.#follow, { once: true });
    if (ms !== null) {
      // Unref'd, as AbortSignal.timeout's: a deadline never keeps the process alive by itself.
      this.#timer = setTimeout(() => this.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), ms).unref();
    }
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** From now on only the parent (or `abort`) ends it: e.g. a file's headers came in time, and its body follows the download's own limit. */
  stopTimer(): void {
    clearTimeout(this.#timer);
  }

  abort(reason?: unknown): void {
    this.release();
    this.#controller.abort(reason);
  }

  /** Drops the timer and the link to the parent; the signal stays as it is. */
  release(): void {
    clearTimeout(this.#timer);
    this.#parent.removeEventListener('abort', this.#follow);
  }

  [Symbol.dispose](): void {
    this.release();
  }
}
