import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runPool } from '../../../src/engine/pool.ts';
import { barrier, poolOptions, tick } from '../../support/pool-fakes.ts';

test('on the first interrupt lets running tasks finish and hands the rest back', async () => {
  const twoRunning = barrier(2);
  const release = Promise.withResolvers<void>();
  const setup = poolOptions(10, async () => {
    await twoRunning();
    await release.promise;
    return 'OK';
  }, { settings: { workers: 2 } });
  const running = runPool(setup.options);
  await twoRunningSeen(setup.started, 2);
  setup.controller.abort();
  release.resolve();
  const summary = await running;
  assert.equal(summary.interrupted, true);
  assert.equal(summary.completed, 2);
  assert.equal(summary.returned, 8);
  assert.ok(setup.outcomes.filter((outcome) => outcome.how === 'returned').every((outcome) => outcome.detail === 'interrupted'));
  assert.deepEqual(setup.factory.alive(), []);
});

test('aborts running tasks when the shutdown grace is over, and hands them back', async () => {
  const setup = poolOptions(3, (_worker, _task, ctx) => new Promise<string>((_resolve, reject) => {
    ctx.signal.addEventListener('abort', () => reject(new Error('aborted')));
  }), { settings: { workers: 2, shutdownGraceMs: 20 } });
  const running = runPool(setup.options);
  await twoRunningSeen(setup.started, 2);
  setup.controller.abort();
  const summary = await running;
  assert.equal(summary.returned, 3);
  assert.equal(summary.completed, 0);
  assert.deepEqual(setup.factory.alive(), []);
});

test('on the second interrupt kills every worker at once, even when tasks ignore their signal', async () => {
  const killSignal = new AbortController();
  const setup = poolOptions(4, () => new Promise<string>(() => {}), {
    settings: { workers: 2, shutdownGraceMs: 60_000, abortGraceMs: 20 },
    killSignal: killSignal.signal,
  });
  const running = runPool(setup.options);
  await twoRunningSeen(setup.started, 2);
  setup.controller.abort();
  killSignal.abort();
  const summary = await running;
  assert.equal(summary.returned, 4);
  assert.ok(setup.factory.workers.every((worker) => worker.killed));
  assert.deepEqual(setup.factory.alive(), []);
  assert.deepEqual(
    setup.events.filter((event) => event.type === 'interrupt').map((event) => event.type === 'interrupt' && event.second),
    [false, true],
  );
});

test('does not start anything when interrupted before it began', async () => {
  const setup = poolOptions(3, async () => 'OK');
  setup.controller.abort();
  const summary = await runPool(setup.options);
  assert.equal(summary.returned, 3);
  assert.equal(setup.started.length, 0);
});

async function twoRunningSeen(started: readonly unknown[], count: number): Promise<void> {
  while (started.length < count) await tick(1);
}
