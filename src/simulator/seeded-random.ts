/**
 * Deterministic randomness for the simulator. Everything the simulator invents (the catalogue,
 * file bytes, fault rolls) is derived from the seed and a name for the thing, so the same seed
 * gives the same catalogue and the same bytes on every machine, with nothing kept in memory.
 */

/** A 32-bit hash of a text (FNV-1a followed by a murmur3 finaliser for better spread). */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A number in [0, 1) fixed by its parts, e.g. `unitFor(seed, 'fault', resource, attempt)`. */
export function unitFor(...parts: readonly (string | number)[]): number {
  return hash32(parts.join('\u0001')) / 2 ** 32;
}

/** A seeded stream of numbers (mulberry32): small, fast and the same everywhere. */
export class SeededRandom {
  #state: number;

  constructor(...parts: readonly (string | number)[]) {
    this.#state = hash32(parts.join('\u0001'));
  }

  /** A number in [0, 1). */
  next(): number {
    return this.#word() / 2 ** 32;
  }

  #word(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** An integer from `min` to `max`, both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('Expected a non-empty list to pick from, got an empty one.');
    return item;
  }

  /**
   * Printable ASCII letters, digits and spaces: padding that survives any text format. Made from
   * `bytes` through a 64-entry table, so a megabyte of padding costs a few milliseconds.
   */
  letters(count: number): string {
    const out = this.bytes(count);
    for (let i = 0; i < out.length; i += 1) out[i] = LETTER_CODES[(out[i] ?? 0) & 63] ?? SPACE;
    return Buffer.from(out.buffer, out.byteOffset, out.length).toString('latin1');
  }

  /** Four bytes from each number of the stream: big files are made at hundreds of MB a second. */
  bytes(count: number): Uint8Array {
    const out = new Uint8Array(Math.max(0, Math.ceil(count)));
    // Writes past the end of a typed array are ignored, so the last word needs no bounds checks.
    for (let i = 0; i < out.length; i += 4) {
      const word = this.#word();
      out[i] = word & 0xff;
      out[i + 1] = (word >>> 8) & 0xff;
      out[i + 2] = (word >>> 16) & 0xff;
      out[i + 3] = word >>> 24;
    }
    return out;
  }
}

const SPACE = 0x20;
/** 62 letters and digits and two spaces, so padding reads as words. */
const LETTER_CODES = Uint8Array.from(Buffer.from('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789  ', 'latin1'));
