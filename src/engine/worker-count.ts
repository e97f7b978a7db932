import type { PoolSettings } from './pool-settings.ts';

export interface MachineFacts {
  cpuCount: number;
  totalMemoryBytes: number;
  /** Memory the machine can still hand out (Linux MemAvailable). */
  availableMemoryBytes: number;
}

/** The most workers the run can ever use: the setting's ceiling, never more than there are tasks. */
export function workerCeiling(settings: PoolSettings, taskCount: number): number {
  const configured = settings.workers === 'auto' ? settings.maxAutoWorkers : settings.workers;
  return Math.max(0, Math.min(configured, settings.maxWorkers, taskCount));
}

/**
 * How many workers to start, all at once. `'auto'`: as many as the CPU allows
 * (`autoWorkersPerCore` per core) and as fit in the memory left below `systemMemoryLimitPercent`
 * at `autoWorkerCostBytes` each; at least one while there is work.
 */
export function initialWorkerCount(settings: PoolSettings, taskCount: number, machine: MachineFacts): number {
  const ceiling = workerCeiling(settings, taskCount);
  if (ceiling === 0 || settings.workers !== 'auto') return ceiling;
  const byCpu = Math.floor(machine.cpuCount * settings.autoWorkersPerCore);
  const usedBytes = machine.totalMemoryBytes - machine.availableMemoryBytes;
  const allowedBytes = (machine.totalMemoryBytes * settings.systemMemoryLimitPercent) / 100 - usedBytes;
  const byMemory = Math.floor(allowedBytes / settings.autoWorkerCostBytes);
  return Math.max(1, Math.min(ceiling, byCpu, byMemory));
}
