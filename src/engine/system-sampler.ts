import { cpus, freemem, totalmem, availableParallelism } from 'node:os';
import { readFile } from 'node:fs/promises';
import type { LoadSample } from './autoscale.ts';
import type { MachineFacts } from './worker-count.ts';
import { processTreesMemoryBytes } from './process-memory.ts';

/** What the pool measures; tests pass their own. */
export interface SystemSampler {
  machine(): Promise<MachineFacts>;
  /** CPU use since the previous call, and memory in use now. */
  load(): Promise<LoadSample>;
  /** For each group of PIDs: the memory of those processes and all their descendants. */
  processTreesMemoryBytes(groups: readonly (readonly number[])[]): Promise<number[]>;
}

interface CpuTimes {
  busy: number;
  total: number;
}

function cpuTimes(): CpuTimes {
  let busy = 0;
  let total = 0;
  for (const { times } of cpus()) {
    const all = times.user + times.nice + times.sys + times.irq + times.idle;
    total += all;
    busy += all - times.idle;
  }
  return { busy, total };
}

/**
 * Free memory as the kernel means it: Linux's MemFree leaves out the page cache the kernel gives
 * back on demand, so a busy machine would look full; MemAvailable counts it.
 */
async function availableMemoryBytes(): Promise<number> {
  const meminfo = await readFile('/proc/meminfo', 'utf8').catch(() => null);
  const available = meminfo === null ? undefined : /^MemAvailable:\s+(\d+) kB/m.exec(meminfo)?.[1];
  return available === undefined ? freemem() : Number(available) * 1024;
}

export function createSystemSampler(): SystemSampler {
  let previous = cpuTimes();
  return {
    async machine() {
      return { cpuCount: availableParallelism(), totalMemoryBytes: totalmem(), availableMemoryBytes: await availableMemoryBytes() };
    },
    async load() {
      const current = cpuTimes();
      const total = current.total - previous.total;
      const cpuPercent = total > 0 ? ((current.busy - previous.busy) / total) * 100 : 0;
      previous = current;
      const totalBytes = totalmem();
      const memoryUsedPercent = ((totalBytes - (await availableMemoryBytes())) / totalBytes) * 100;
      return { cpuPercent, memoryUsedPercent };
    },
    processTreesMemoryBytes: (groups) => processTreesMemoryBytes(groups),
  };
}
