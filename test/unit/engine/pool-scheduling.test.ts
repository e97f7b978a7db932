import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runPool } from '../../../src/engine/pool.ts';
import { TestError, barrier, poolOptions, seeded, tick } from '../../support/pool-fakes.ts';

/** 500 tasks with random durations; some fail once (retryable), some for good (item). */
async function runBatch(seed: number) {
  const random = seeded(seed);
  const running = new Set<number>();
  let overlap = 0;
  const failedOnce = new Set<number>();
  const setup = poolOptions(500, async (_worker, task) => {
    if (running.has(task)) overlap++;
    running.add(task);
    try {
      await tick(random() < 0.3 ? 1 : 0);
      if (task % 7 === 0 && !failedOnce.has(task)) {
        failedOnce.add(task);
        throw new TestError('retryable', 'HTTP_SERVER_ERROR');
      }
      if (task % 13 === 0) throw new TestError('item', 'PO_NOT_FOUND');
      return 'OK';
    } finally {
      running.delete(task);
    }
  }, { settings: { workers: 8 } });
  const summary = await runPool(setup.options);
  return { ...setup, summary, overlap };
}

test('runs 500 tasks, each accounted for exactly once, never twice at the same time', async () => {
  const { summary, outcomes, overlap, factory } = await runBatch(1);
  assert.equal(overlap, 0);
  assert.equal(outcomes.length, 500);
  assert.equal(new Set(outcomes.map((outcome) => outcome.key)).size, 500);
  assert.equal(summary.completed + summary.gaveUp + summary.returned, 500);
  assert.equal(summary.gaveUp, outcomes.filter((outcome) => outcome.how === 'gave-up').length);
  assert.deepEqual(factory.alive(), []);
});

test('gives the same outcomes whatever the timing', async () => {
  const first = await runBatch(1);
  const second = await runBatch(99);
  const byKey = (list: typeof first.outcomes) => [...list].sort((a, b) => a.key.localeCompare(b.key));
  assert.deepEqual(byKey(first.outcomes), byKey(second.outcomes));
  const { durationMs: _a, ...one } = first.summary;
  const { durationMs: _b, ...two } = second.summary;
  assert.deepEqual(one, two);
});

test('dispatches first attempts in input order', async () => {
  const { started } = await runBatch(7);
  const firsts = started.filter((start) => start.attempt === 1).map((start) => Number(start.key.slice(1)));
  assert.deepEqual(firsts, Array.from({ length: 500 }, (_, index) => index + 1));
});

test('keeps every worker busy while work remains', async () => {
  const allFourRunning = barrier(4);
  const setup = poolOptions(4, async () => {
    await allFourRunning();
    return 'OK';
  });
  const summary = await runPool(setup.options);
  assert.equal(summary.completed, 4);
  assert.equal(new Set(setup.started.map((start) => start.workerId)).size, 4);
});

test('starts no more workers than there are tasks, all at once', async () => {
  const setup = poolOptions(2, async () => 'OK', { settings: { workers: 'auto' } });
  const summary = await runPool(setup.options);
  assert.equal(summary.workersStarted, 2);
  assert.equal(setup.events.find((event) => event.type === 'run-started')?.type, 'run-started');
});

test('returns at once with an empty batch', async () => {
  const setup = poolOptions(0, async () => 'OK');
  const summary = await runPool(setup.options);
  assert.equal(summary.total, 0);
  assert.equal(summary.workersStarted, 0);
});

test('refuses duplicate task keys', async () => {
  const setup = poolOptions(3, async () => 'OK', { key: () => 'same' });
  await assert.rejects(runPool(setup.options), /unique/);
});

test('recycles a worker after recycleAfterTasks tasks', async () => {
  const setup = poolOptions(7, async () => 'OK', { settings: { workers: 1, recycleAfterTasks: 3 } });
  const summary = await runPool(setup.options);
  assert.equal(summary.completed, 7);
  assert.equal(summary.workersStarted, 3);
  const recycled = setup.events.filter((event) => event.type === 'worker-stopped' && event.reason === 'recycled');
  assert.equal(recycled.length, 2);
  assert.deepEqual(setup.factory.alive(), []);
});
