import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULTS, SETTINGS, type RunConfig } from '../../../src/job/settings.ts';
import { DEFAULT_POOL_SETTINGS, MAX_API_WORKERS, MAX_WORKERS } from '../../../src/engine/pool-settings.ts';

// The run's config type comes from the settings table: `npm run typecheck` fails on the lines below
// if a misspelled or removed setting stops being an error (each `@ts-expect-error` must be needed).
export function typeChecks(config: RunConfig): unknown[] {
  return [
    config.recycleAfter satisfies number,
    config.workers satisfies number | 'auto',
    config.baseUrl satisfies string | undefined,
    // @ts-expect-error a misspelled setting is a type error
    config.recycleAftr,
    // @ts-expect-error a setting that is not in the table is a type error
    config.pageSize,
  ];
}

test('every default belongs to a setting of the table, and the pool agrees with the CLI on the shared ones', () => {
  const keys = new Set<string>(SETTINGS.map((setting) => setting.key));
  for (const key of Object.keys(DEFAULTS)) assert.ok(keys.has(key), key);
  assert.equal(DEFAULTS.recycleAfter, DEFAULT_POOL_SETTINGS.recycleAfterTasks);
  assert.equal(DEFAULTS.poDeadlineMs, DEFAULT_POOL_SETTINGS.taskDeadlineMs);
  assert.equal(DEFAULTS.recycleAfter, 100);
  assert.equal(DEFAULTS.poDeadlineMs, 600_000);
});

test('every default passes its own setting’s validation', () => {
  for (const setting of SETTINGS) {
    const value = (DEFAULTS as Readonly<Record<string, unknown>>)[setting.key];
    if (value !== undefined) assert.ok(setting.schema.safeParse(value).success, setting.key);
  }
});

test('the worker bounds are the pool’s, in the validation and in the words (more than browsers only through the API: cli/config.ts)', () => {
  const workers = SETTINGS.find((setting) => setting.key === 'workers');
  assert.ok(workers);
  assert.ok(workers.schema.safeParse(MAX_API_WORKERS).success);
  assert.ok(!workers.schema.safeParse(MAX_API_WORKERS + 1).success);
  assert.match(workers.expected, new RegExp(`from 1 to ${MAX_WORKERS} \\(to ${MAX_API_WORKERS} with --source api\\)`));
});
