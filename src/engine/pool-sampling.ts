import { setInterval as every } from 'node:timers/promises';
import type { LoadSample } from './autoscale.ts';
import type { PoolSettings } from './pool-settings.ts';
import type { SystemSampler } from './system-sampler.ts';
import type { MachineFacts } from './worker-count.ts';
import type { WorkerSlot } from './worker-slot.ts';

export interface PoolSample<S> {
  load: LoadSample;
  /** All our browsers together, each process counted once. */
  browserMemoryBytes: number;
  /** Workers whose own processes use more than `workerMemoryLimitBytes`. */
  overLimit: { slot: WorkerSlot<S>; bytes: number }[];
}

/** Measures the machine and our workers every `sampleIntervalMs`; a failed sample is skipped, never fatal. */
export class PoolSampling<S> {
  readonly #sampler: SystemSampler;
  readonly #settings: PoolSettings;
  readonly #slots: () => readonly WorkerSlot<S>[];

  constructor(sampler: SystemSampler, settings: PoolSettings, slots: () => readonly WorkerSlot<S>[]) {
    this.#sampler = sampler;
    this.#settings = settings;
    this.#slots = slots;
  }

  machine(): Promise<MachineFacts> {
    return this.#sampler.machine();
  }

  async loop(signal: AbortSignal, onSample: (sample: PoolSample<S>) => void): Promise<void> {
    try {
      for await (const _ of every(this.#settings.sampleIntervalMs, null, { signal })) {
        const sample = await this.#sample().catch(() => null);
        if (sample !== null && !signal.aborted) onSample(sample);
      }
    } catch (error) {
      if (!signal.aborted) throw error;
    }
  }

  async #sample(): Promise<PoolSample<S>> {
    const load = await this.#sampler.load();
    const running = this.#slots().flatMap((slot) => (slot.handle === null ? [] : [{ slot, pids: slot.handle.pids() }]));
    // A browser shared by several workers (one context each) is nobody's alone: count it once, limit no one.
    const uses = new Map<number, number>();
    for (const { pids } of running) for (const pid of new Set(pids)) uses.set(pid, (uses.get(pid) ?? 0) + 1);
    const shared = [...uses].filter(([, count]) => count > 1).map(([pid]) => pid);
    const own = await Promise.all(
      running.map(async ({ slot, pids }) => ({
        slot,
        bytes: await this.#sampler.processTreeMemoryBytes(pids.filter((pid) => uses.get(pid) === 1)),
      })),
    );
    const sharedBytes = await this.#sampler.processTreeMemoryBytes(shared);
    return {
      load,
      browserMemoryBytes: own.reduce((sum, { bytes }) => sum + bytes, sharedBytes),
      overLimit: own.filter(({ bytes }) => bytes > this.#settings.workerMemoryLimitBytes),
    };
  }
}
