import { setInterval as every } from 'node:timers/promises';
import type { LoadSample } from './autoscale.ts';
import type { PoolSettings } from './pool-settings.ts';
import type { SystemSampler } from './system-sampler.ts';
import type { MachineFacts } from './worker-count.ts';
import type { WorkerSlot } from './worker-slot.ts';

export interface PoolSample<S> {
  load: LoadSample;
  /** All our browsers together, each process counted once (as of the last memory measurement). */
  browserMemoryBytes: number;
  /** Workers whose own processes use more than `workerMemoryLimitBytes` (only in a sample that measured memory). */
  overLimit: { slot: WorkerSlot<S>; bytes: number }[];
}

/**
 * Looks at the machine every `sampleIntervalMs` and measures our workers' memory at the first
 * sample and then every `memorySampleIntervalMs` (that measurement is the expensive part); a
 * failed sample is skipped, never fatal.
 */
export class PoolSampling<S> {
  readonly #sampler: SystemSampler;
  readonly #settings: PoolSettings;
  readonly #slots: () => readonly WorkerSlot<S>[];
  #browserMemoryBytes = 0;

  constructor(sampler: SystemSampler, settings: PoolSettings, slots: () => readonly WorkerSlot<S>[]) {
    this.#sampler = sampler;
    this.#settings = settings;
    this.#slots = slots;
  }

  machine(): Promise<MachineFacts> {
    return this.#sampler.machine();
  }

  async loop(signal: AbortSignal, onSample: (sample: PoolSample<S>) => void): Promise<void> {
    const { sampleIntervalMs, memorySampleIntervalMs } = this.#settings;
    const memoryEvery = Math.max(1, Math.round(memorySampleIntervalMs / sampleIntervalMs));
    let count = 0;
    try {
      for await (const _ of every(sampleIntervalMs, null, { signal })) {
        const sample = await this.#sample(count % memoryEvery === 0).catch(() => null);
        count += 1;
        if (sample !== null && !signal.aborted) onSample(sample);
      }
    } catch (error) {
      if (!signal.aborted) throw error;
    }
  }

  async #sample(withMemory: boolean): Promise<PoolSample<S>> {
    const load = await this.#sampler.load();
    if (!withMemory) return { load, browserMemoryBytes: this.#browserMemoryBytes, overLimit: [] };
    const running = this.#slots().flatMap((slot) => (slot.handle === null ? [] : [{ slot, pids: slot.handle.pids() }]));
    // A browser shared by several workers (one context each) is nobody's alone: count it once, limit no one.
    const uses = new Map<number, number>();
    for (const { pids } of running) for (const pid of new Set(pids)) uses.set(pid, (uses.get(pid) ?? 0) + 1);
    const shared = [...uses].filter(([, count]) => count > 1).map(([pid]) => pid);
    const bytes = await this.#sampler.processTreesMemoryBytes([...running.map(({ pids }) => pids.filter((pid) => uses.get(pid) === 1)), shared]);
    const own = running.map(({ slot }, index) => ({ slot, bytes: bytes[index] ?? 0 }));
    this.#browserMemoryBytes = bytes.reduce((sum, value) => sum + value, 0);
    return {
      load,
      browserMemoryBytes: this.#browserMemoryBytes,
      overLimit: own.filter(({ bytes: used }) => used > this.#settings.workerMemoryLimitBytes),
    };
  }
}
