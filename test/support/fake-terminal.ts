import { EventEmitter } from 'node:events';

/** A terminal as ink sees one: a TTY with a size that keeps every chunk written to it. */
export class FakeTerminal extends EventEmitter {
  readonly isTTY = true;
  columns = 80;
  rows = 30;
  readonly chunks: string[] = [];
  write(chunk: string | Uint8Array, ...rest: unknown[]): boolean {
    this.chunks.push(String(chunk));
    const callback = rest.find((arg) => typeof arg === 'function');
    if (typeof callback === 'function') callback();
    return true;
  }
}
