import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runPool } from '../../../src/engine/pool.ts';
import { TestError, barrier, poolOptions, tick } from '../../support/pool-fakes.ts';

test('restores a lost session once for many tasks and runs them again without counting an attempt', async () => {
  let sessionValid = false;
  let restores = 0;
  const fourFailing = barrier(4);
  const setup = poolOptions(
    8,
    async () => {
      if (!sessionValid) {
        await fourFailing();
        throw new TestError('session', 'SESSION_EXPIRED');
      }
      return 'OK';
    },
    {
      restoreSession: async () => {
        restores++;
        await tick(5);
        sessionValid = true;
        return true;
      },
    },
  );
  const summary = await runPool(setup.options);
  assert.equal(restores, 1);
  assert.equal(summary.completed, 8);
  assert.ok(setup.started.every((start) => start.attempt === 1));
  const recycled = setup.events.filter((event) => event.type === 'worker-stopped' && event.detail === 'session restored');
  assert.equal(recycled.length, 4);
  assert.deepEqual(setup.factory.alive(), []);
});

test('stops resumably when the session cannot be restored', async () => {
  const setup = poolOptions(6, async () => { throw new TestError('session', 'SESSION_EXPIRED'); }, {
    settings: { workers: 2 },
    restoreSession: async () => false,
  });
  const summary = await runPool(setup.options);
  assert.equal(summary.stopped?.code, 'SESSION_NOT_RESTORED');
  assert.equal(summary.returned, 6);
  assert.ok(setup.outcomes.every((outcome) => outcome.how === 'returned'));
});

test('retries a retryable failure with backoff, honouring Retry-After, then gives up after maxAttempts', async () => {
  const setup = poolOptions(1, async () => { throw new TestError('retryable', 'HTTP_TOO_MANY_REQUESTS', 'slow down', 30); }, {
    settings: { workers: 1, maxAttempts: 3 },
  });
  const summary = await runPool(setup.options);
  assert.equal(summary.gaveUp, 1);
  assert.deepEqual(setup.outcomes, [{ key: 'T1', how: 'gave-up', detail: 'HTTP_TOO_MANY_REQUESTS', attempts: 3 }]);
  const delays = setup.events.flatMap((event) => (event.type === 'task-retry' ? [event.delayMs] : []));
  assert.deepEqual(delays, [30, 30]);
});

test('gives up at once on an item failure, without calling done', async () => {
  const setup = poolOptions(2, async (_worker, task) => {
    if (task === 1) throw new TestError('item', 'PO_NOT_FOUND');
    return 'OK';
  });
  await runPool(setup.options);
  assert.deepEqual(setup.outcomes.find((outcome) => outcome.key === 'T1'), { key: 'T1', how: 'gave-up', detail: 'PO_NOT_FOUND', attempts: 1 });
  assert.equal(setup.outcomes.filter((outcome) => outcome.how === 'done').length, 1);
});

test('stops the run on a run failure and hands every unfinished task back', async () => {
  const setup = poolOptions(20, async (_worker, task) => {
    if (task === 3) throw new TestError('run', 'DISK_FULL');
    await tick(1);
    return 'OK';
  }, { settings: { workers: 1 } });
  const summary = await runPool(setup.options);
  assert.equal(summary.stopped?.code, 'DISK_FULL');
  assert.equal(summary.completed, 2);
  assert.equal(summary.returned, 18);
  assert.deepEqual(setup.factory.alive(), []);
});

test('puts the task of a crashed browser back at the front and restarts the worker', async () => {
  let crashedOnce = false;
  const setup = poolOptions(3, async (worker, task) => {
    if (task === 1 && !crashedOnce) {
      crashedOnce = true;
      worker.crash();
      await new Promise(() => {});
    }
    return 'OK';
  }, { settings: { workers: 1 } });
  const summary = await runPool(setup.options);
  assert.equal(summary.completed, 3);
  assert.deepEqual(setup.started.map((start) => `${start.key}#${start.attempt}`), ['T1#1', 'T1#2', 'T2#1', 'T3#1']);
  assert.ok(setup.events.some((event) => event.type === 'worker-stopped' && event.reason === 'crashed'));
  assert.equal(summary.workersStarted, 2);
  assert.ok(setup.factory.workers[0]?.killed);
  assert.deepEqual(setup.factory.alive(), []);
});

test('retires a worker that keeps dying and goes on with the others', async () => {
  const setup = poolOptions(10, async (worker) => {
    await tick(1);
    if (worker.workerId === 1) {
      worker.crash();
      throw new Error('Target page, context or browser has been closed');
    }
    return 'OK';
  }, { settings: { workers: 2, maxWorkerRestarts: 2, maxAttempts: 5 } });
  const summary = await runPool(setup.options);
  assert.equal(summary.retired, 1);
  assert.equal(summary.completed, 10);
  assert.ok(setup.events.some((event) => event.type === 'worker-stopped' && event.workerId === 1 && event.reason === 'retired'));
  assert.deepEqual(setup.factory.alive(), []);
});

test('stops resumably when every worker is retired', async () => {
  const setup = poolOptions(5, async () => 'OK', { settings: { workers: 2, maxWorkerRestarts: 2 } });
  setup.factory.startFails = () => true;
  const summary = await runPool(setup.options);
  assert.equal(summary.stopped?.code, 'NO_WORKERS');
  assert.equal(summary.returned, 5);
});

test('kills a hung worker after the deadline, retries, and gives up after maxAttempts', async () => {
  const setup = poolOptions(1, () => new Promise<string>(() => {}), {
    settings: { workers: 1, taskDeadlineMs: 20, abortGraceMs: 10, maxAttempts: 3, maxWorkerRestarts: 10 },
  });
  const summary = await runPool(setup.options);
  assert.deepEqual(setup.outcomes, [{ key: 'T1', how: 'gave-up', detail: 'TASK_DEADLINE_EXCEEDED', attempts: 3 }]);
  assert.equal(setup.events.filter((event) => event.type === 'worker-stopped' && event.reason === 'hung').length, 3);
  assert.ok(setup.factory.workers.slice(0, 3).every((worker) => worker.killed));
  assert.equal(summary.workersStarted, 3);
  assert.deepEqual(setup.factory.alive(), []);
});

test('keeps a task alive while it reports progress past the deadline', async () => {
  const setup = poolOptions(1, async (_worker, _task, ctx) => {
    for (let chunk = 1; chunk <= 6; chunk++) {
      await tick(10);
      ctx.fileProgress('big.pdf', chunk * 100, 600);
    }
    return 'OK';
  }, { settings: { workers: 1, taskDeadlineMs: 40 } });
  const summary = await runPool(setup.options);
  assert.equal(summary.completed, 1);
  assert.equal(setup.events.filter((event) => event.type === 'task-file-progress').length, 6);
});

test('shows and counts a given-up task with the ending its gaveUp hook chooses', async () => {
  const setup = poolOptions(1, async () => { throw new TestError('retryable', 'NAVIGATION_TIMEOUT', 'no page'); }, {
    settings: { workers: 1, maxAttempts: 2 },
  });
  const options = { ...setup.options, hooks: { ...setup.options.hooks, gaveUp: () => ({ status: 'TIMEOUT', message: 'no page [NAVIGATION_TIMEOUT, 2 attempts]' }) } };
  await runPool(options);
  const finished = setup.events.filter((event) => event.type === 'task-finished');
  assert.deepEqual(finished.map((event) => [event.status, event.ok, event.message]), [['TIMEOUT', false, 'no page [NAVIGATION_TIMEOUT, 2 attempts]']]);
  const end = setup.events.find((event) => event.type === 'run-finished');
  assert.deepEqual(end?.type === 'run-finished' ? end.counts : null, { TIMEOUT: 1 });
});

test('runs the first task after a session restore alone, so a short shared session cannot starve it', async () => {
  let sessionValid = false;
  let running = 0;
  const log: string[] = [];
  const setup = poolOptions(6, async (_worker, task) => {
    if (!sessionValid) {
      await tick(2);
      throw new TestError('session', 'SESSION_EXPIRED');
    }
    running++;
    log.push(`start T${task} with ${running} running`);
    await tick(5);
    running--;
    log.push(`end T${task}`);
    return 'OK';
  }, {
    settings: { workers: 3 },
    restoreSession: async () => {
      sessionValid = true;
      return true;
    },
  });
  const summary = await runPool(setup.options);
  assert.equal(summary.completed, 6);
  const first = /^start (T\d+)/.exec(log[0] ?? '')?.[1];
  assert.equal(log[1], `end ${first}`, `the first task after the restore ran alone: ${log.join(' | ')}`);
  assert.ok(log.some((line) => /with [23] running$/.test(line)), 'the others run in parallel again afterwards');
});
