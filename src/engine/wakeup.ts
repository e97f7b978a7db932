/**
 * Wakes every waiter when something changed (a task was queued, a hold lifted, a worker died).
 * Waiters check their condition synchronously, then wait: nothing can slip in between because
 * `notify` only runs from another task of the event loop.
 */
export class Wakeup {
  #next = Promise.withResolvers<void>();

  wait(): Promise<void> {
    return this.#next.promise;
  }

  notify(): void {
    const current = this.#next;
    this.#next = Promise.withResolvers<void>();
    current.resolve();
  }
}
