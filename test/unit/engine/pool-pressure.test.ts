import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runPool } from '../../../src/engine/pool.ts';
import { TestError, fakeSampler, poolOptions, tick } from '../../support/pool-fakes.ts';

test('holds the pool when tasks keep failing with the same code, probes, and resumes once it works', async () => {
  let serviceUp = false;
  const setup = poolOptions(10, async () => {
    if (!serviceUp) throw new TestError('retryable', 'NAVIGATION_TIMEOUT');
    return 'OK';
  }, {
    settings: { workers: 1, breakerThreshold: 3, breakerProbeMs: 5 },
    emit: (event) => {
      setup.events.push(event);
      if (event.type === 'pool-held') serviceUp = true;
    },
  });
  const summary = await runPool(setup.options);
  assert.equal(summary.completed, 10);
  const kinds = setup.events.map((event) => event.type);
  assert.ok(kinds.indexOf('pool-held') < kinds.indexOf('pool-resumed'));
  assert.equal(summary.gaveUp, 0);
});

test('stops resumably after the probes fail too', async () => {
  const setup = poolOptions(10, async () => {
    throw new TestError('retryable', 'NAVIGATION_TIMEOUT');
  }, { settings: { workers: 2, breakerThreshold: 3, breakerProbeMs: 2, breakerMaxProbes: 2, maxAttempts: 10 } });
  const summary = await runPool(setup.options);
  assert.equal(summary.stopped?.code, 'NAVIGATION_TIMEOUT');
  assert.equal(summary.completed + summary.gaveUp + summary.returned, 10);
  assert.equal(setup.events.filter((event) => event.type === 'pool-held').length, 2);
  assert.deepEqual(setup.factory.alive(), []);
});

test('recycles a worker whose processes use more than the memory limit', async () => {
  const setup = poolOptions(2, async () => {
    while (!setup.events.some((event) => event.type === 'stats')) await tick(1);
    return 'OK';
  }, {
    settings: { workers: 1, sampleIntervalMs: 5, workerMemoryLimitBytes: 100 },
    sampler: fakeSampler(undefined, () => 500),
  });
  await runPool(setup.options);
  assert.ok(setup.events.some((event) => event.type === 'worker-stopped' && event.reason === 'memory'));
});

test('measures worker memory at the first sample and then only every memorySampleIntervalMs, the machine at every sample', async () => {
  let loads = 0;
  let measurements = 0;
  const sampler = fakeSampler();
  const setup = poolOptions(1, async () => {
    while (loads < 9) await tick(1);
    return 'OK';
  }, {
    settings: { workers: 1, sampleIntervalMs: 2, memorySampleIntervalMs: 8 },
    sampler: {
      ...sampler,
      load: async () => {
        loads += 1;
        return sampler.load();
      },
      processTreesMemoryBytes: async (groups) => {
        measurements += 1;
        return sampler.processTreesMemoryBytes(groups);
      },
    },
  });
  await runPool(setup.options);
  assert.ok(loads >= 9);
  // Samples 0, 4, 8, … measure memory.
  assert.equal(measurements, Math.ceil(loads / 4));
  const stats = setup.events.filter((event) => event.type === 'stats');
  assert.ok(stats.length >= 9 && stats.every((event) => event.browserMemoryBytes === 2), 'every stats event shows the last measured memory (1 per group)');
});

test('sheds a worker while the machine is short of memory, even with a fixed count', async () => {
  const setup = poolOptions(8, async () => {
    while (!setup.events.some((event) => event.type === 'pool-scaled')) await tick(1);
    await tick(1);
    return 'OK';
  }, {
    settings: { workers: 2, sampleIntervalMs: 5, scaleAfterSamples: 1 },
    sampler: fakeSampler({ cpuPercent: 20, memoryUsedPercent: 90 }),
  });
  const summary = await runPool(setup.options);
  assert.equal(summary.completed, 8);
  const scaledAt = setup.events.findIndex((event) => event.type === 'pool-scaled');
  const scaled = setup.events[scaledAt];
  assert.equal(scaled?.type === 'pool-scaled' && scaled.target, 1);
  const laterStarts = setup.events.slice(scaledAt).filter((event) => event.type === 'task-started');
  assert.ok(laterStarts.every((event) => event.type === 'task-started' && event.workerId === 1));
  assert.ok(setup.events.some((event) => event.type === 'worker-stopped' && event.reason === 'scaled-down'));
});
