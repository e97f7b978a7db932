import { CLOCK_TICKS_PER_SEC, readMachineTicks, readOwnAndReapedTicks } from './process-tree.ts';

/**
 * CPU over one run, measured exactly at the ends rather than sampled: the kernel adds a child's
 * CPU (and that of everything it reaped) to its parent's cutime/cstime when the parent waits for
 * it. So once the CLI has exited, the growth of the bench's "reaped" ticks is the CLI tree's CPU.
 */
export interface CpuMeterReading {
  readonly reapedSec: number;
  readonly ownSec: number;
  readonly machineBusyPercent: number;
}

export class CpuMeter {
  #start: { own: number; reaped: number; busy: number; total: number } | undefined;

  async start(): Promise<void> {
    const [self, machine] = await Promise.all([readOwnAndReapedTicks(process.pid), readMachineTicks()]);
    this.#start = { ...self, ...machine };
  }

  async read(): Promise<CpuMeterReading> {
    const start = this.#start;
    if (start === undefined) throw new Error('CpuMeter.read() before start().');
    const [self, machine] = await Promise.all([readOwnAndReapedTicks(process.pid), readMachineTicks()]);
    const total = machine.total - start.total;
    return {
      reapedSec: (self.reaped - start.reaped) / CLOCK_TICKS_PER_SEC,
      ownSec: (self.own - start.own) / CLOCK_TICKS_PER_SEC,
      machineBusyPercent: total > 0 ? (100 * (machine.busy - start.busy)) / total : 0,
    };
  }
}
