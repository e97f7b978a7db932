/**
 * Rewrites the reports every so often while a run goes on, one write at a time; a write that
 * fails is reported and tried again at the next tick (the state file stays the source of truth).
 */
export class ReportRefresher {
  readonly #timer: NodeJS.Timeout;
  #writing: Promise<void> | null = null;

  constructor(write: () => Promise<unknown>, everyMs: number, onError: (error: unknown) => void) {
    this.#timer = setInterval(() => {
      if (this.#writing) return;
      this.#writing = write()
        .then(() => undefined, onError)
        .finally(() => {
          this.#writing = null;
        });
    }, everyMs);
    this.#timer.unref();
  }

  /** No more writes; waits for one in progress. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#writing;
  }
}
