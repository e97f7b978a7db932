import { CLOCK_TICKS_PER_SEC, descendantsOf, listProcesses, readProcessKind, readPssBytes, type ProcessKind } from './process-tree.ts';

/**
 * Samples a process tree: CPU ticks every ~500 ms, summed over every process ever seen in it (so a
 * renderer that exits still counts up to its last look), and PSS summed over every process in it
 * every ~2 s. Reading PSS (`smaps_rollup`) makes the kernel walk each process's page tables: every
 * 500 ms it cost the bench ~7 % of a core at 1 worker (measured), CPU the tool then lacked. Each
 * sample also records how many POs were done then, for the soak figures.
 */

/** PSS is read on every 4th look: every ~2 s at the default interval. */
const PSS_EVERY_LOOKS = 4;

export interface TreeSample {
  /** ms since the sampler started. */
  readonly atMs: number;
  readonly pssBytes: number;
  readonly processes: number;
  /** Cumulative CPU ticks of the tree up to this sample. */
  readonly cpuTicks: number;
  readonly posDone: number;
  /** PSS in MB per kind of process (CLI, browser, renderer, …). */
  readonly pssMbByKind?: Partial<Record<ProcessKind, number>>;
}

export interface TreeSamplerOptions {
  readonly rootPid: number;
  /** The baseline's root is the bench itself, whose own memory is the simulator's: leave it out. */
  readonly includeRoot: boolean;
  readonly intervalMs?: number;
  readonly posDone?: () => number;
}

export class TreeSampler {
  readonly #options: TreeSamplerOptions;
  readonly #samples: TreeSample[] = [];
  readonly #ticksByProcess = new Map<string, number>();
  readonly #kindByProcess = new Map<string, Promise<ProcessKind>>();
  readonly #otherKinds = new Set<string>();
  readonly #started = performance.now();
  #pids: number[] = [];
  #timer: NodeJS.Timeout | undefined;
  #busy = false;
  #looks = 0;

  constructor(options: TreeSamplerOptions) {
    this.#options = options;
  }

  start(): void {
    void this.sample();
    this.#timer = setInterval(() => void this.sample(), this.#options.intervalMs ?? 500);
  }

  /** Looks at the tree now (skipped if the previous look is still reading /proc); every few looks, a sample with PSS. */
  async sample(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      const tree = descendantsOf(this.#options.rootPid, await listProcesses(), this.#options.includeRoot);
      if (tree.length === 0 && this.#samples.length > 0) return;
      const withPss = this.#looks++ % PSS_EVERY_LOOKS === 0;
      for (const info of tree) {
        const key = `${String(info.pid)}:${String(info.startTicks)}`;
        this.#ticksByProcess.set(key, Math.max(this.#ticksByProcess.get(key) ?? 0, info.cpuTicks));
        // A browser seen while still its launcher script reads as 'other': look again until it says more.
        if (!this.#kindByProcess.has(key) || this.#otherKinds.has(key)) {
          const kind = readProcessKind(info.pid);
          this.#kindByProcess.set(key, kind);
          void kind.then((value) => (value === 'other' ? this.#otherKinds.add(key) : this.#otherKinds.delete(key)));
        }
      }
      this.#pids = tree.map((info) => info.pid);
      if (!withPss) return;
      const pss = await Promise.all(tree.map((info) => readPssBytes(info.pid)));
      const pssMbByKind: Partial<Record<ProcessKind, number>> = {};
      for (const [index, info] of tree.entries()) {
        const kind = (await this.#kindByProcess.get(`${String(info.pid)}:${String(info.startTicks)}`)) ?? 'other';
        pssMbByKind[kind] = Math.round((pssMbByKind[kind] ?? 0) + (pss[index] ?? 0) / 1048576);
      }
      let cpuTicks = 0;
      for (const ticks of this.#ticksByProcess.values()) cpuTicks += ticks;
      this.#samples.push({
        atMs: Math.round(performance.now() - this.#started),
        pssBytes: pss.reduce((sum, bytes) => sum + bytes, 0),
        processes: tree.length,
        cpuTicks,
        posDone: this.#options.posDone?.() ?? 0,
        pssMbByKind,
      });
    } finally {
      this.#busy = false;
    }
  }

  /** Every pid in the tree at the last sample: what to kill if the run must be stopped. */
  get pids(): readonly number[] {
    return this.#pids;
  }

  /** CPU seconds of the tree up to the last look, over every process seen. */
  get cpuSec(): number {
    let ticks = 0;
    for (const value of this.#ticksByProcess.values()) ticks += value;
    return ticks / CLOCK_TICKS_PER_SEC;
  }

  /** CPU seconds per kind of process (CLI, browser, renderer, GPU, utility) over every process seen. */
  async cpuSecByKind(): Promise<Partial<Record<ProcessKind, number>>> {
    const byKind: Partial<Record<ProcessKind, number>> = {};
    for (const [key, ticks] of this.#ticksByProcess) {
      const kind = (await this.#kindByProcess.get(key)) ?? 'other';
      byKind[kind] = Number((((byKind[kind] ?? 0) * CLOCK_TICKS_PER_SEC + ticks) / CLOCK_TICKS_PER_SEC).toFixed(2));
    }
    return byKind;
  }

  stop(): TreeSample[] {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    return [...this.#samples];
  }
}
