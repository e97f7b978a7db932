import type { PoolOptions, PoolSummary } from './pool-types.ts';
import { PoolRun } from './pool-run.ts';

/**
 * Runs every task on a pool of long-lived workers and accounts for each one exactly once:
 * `hooks.done`, `hooks.gaveUp` or `hooks.returned`. No worker outlives the call, on any path.
 * Throws only for a caller's bug (duplicate keys).
 */
export async function runPool<T, S, R>(options: PoolOptions<T, S, R>): Promise<PoolSummary> {
  const keys = new Set<string>();
  for (const task of options.tasks) {
    const key = options.key(task);
    if (keys.has(key)) throw new Error(`Expected every task key to be unique, got \`${key}\` twice.`);
    keys.add(key);
  }
  return new PoolRun(options).run();
}
