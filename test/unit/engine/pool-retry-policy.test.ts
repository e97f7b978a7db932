import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Failure } from '../../../src/engine/failure.ts';
import { DEFAULT_POOL_SETTINGS } from '../../../src/engine/pool-settings.ts';
import { backoffDelayMs, decideAfterFailure, poolBackoff, type FailureFacts } from '../../../src/engine/retry-policy.ts';
import { initialWorkerCount } from '../../../src/engine/worker-count.ts';

const settings = { ...DEFAULT_POOL_SETTINGS, backoffBaseMs: 1000, backoffMaxMs: 8000, maxAttempts: 3 };
const GiB = 2 ** 30;

function facts(failure: Failure, more: Partial<FailureFacts> = {}): FailureFacts {
  return { failure, attempt: 1, sessionRetries: 0, sessionRestoredSince: false, breakerCode: null, stopping: null, ...more };
}

const rule = poolBackoff(settings);

test('backoff doubles per attempt, jitters between half and all of the step, and stops at the maximum', () => {
  assert.equal(backoffDelayMs(1, rule, () => 0), 500);
  assert.equal(backoffDelayMs(1, rule, () => 0.999999), 1000);
  assert.equal(backoffDelayMs(3, rule, () => 0.5), 3000);
  assert.equal(backoffDelayMs(10, rule, () => 1), 8000);
});

test('backoff waits at least as long as the server asked', () => {
  assert.equal(backoffDelayMs(1, rule, () => 0, 30_000), 30_000);
  assert.equal(backoffDelayMs(3, rule, () => 1, 10), 4000);
});

test('backoff obeys a Retry-After only up to the rule\'s cap', () => {
  assert.equal(backoffDelayMs(1, { ...rule, maxRetryAfterMs: 20_000 }, () => 0, 3_600_000), 20_000);
  assert.equal(backoffDelayMs(1, { ...rule, maxRetryAfterMs: 20_000 }, () => 0, -5), 500);
});

test('retries a retryable failure later until maxAttempts, then gives up', () => {
  const timeout: Failure = { kind: 'retryable', code: 'NAVIGATION_TIMEOUT', message: '' };
  assert.deepEqual(decideAfterFailure(facts(timeout), settings, () => 0), { action: 'retry', delayMs: 500, front: false, countAttempt: true });
  assert.deepEqual(decideAfterFailure(facts(timeout, { attempt: 3 }), settings, () => 0), { action: 'give-up' });
});

test('retries a crash or a deadline at once, at the front', () => {
  for (const code of ['BROWSER_CRASHED', 'TASK_DEADLINE_EXCEEDED']) {
    const decision = decideAfterFailure(facts({ kind: 'retryable', code, message: '' }, { attempt: 2 }), settings, () => 0);
    assert.deepEqual(decision, { action: 'retry', delayMs: 0, front: true, countAttempt: true });
  }
});

test('does not count an attempt lost to an outage the breaker holds for', () => {
  const decision = decideAfterFailure(facts({ kind: 'retryable', code: 'NAVIGATION_TIMEOUT', message: '' }, { attempt: 3, breakerCode: 'NAVIGATION_TIMEOUT' }), settings, () => 0);
  assert.deepEqual(decision, { action: 'retry', delayMs: 0, front: true, countAttempt: false });
});

test('gives up at once on an item failure and stops on a run failure', () => {
  assert.deepEqual(decideAfterFailure(facts({ kind: 'item', code: 'PO_NOT_FOUND', message: '' }), settings, () => 0), { action: 'give-up' });
  assert.deepEqual(decideAfterFailure(facts({ kind: 'run', code: 'DISK_FULL', message: '' }), settings, () => 0), { action: 'stop-run' });
});

test('restores a lost session, reruns a stale one, and gives up on a task that keeps losing it', () => {
  const lost: Failure = { kind: 'session', code: 'SESSION_EXPIRED', message: '' };
  assert.deepEqual(decideAfterFailure(facts(lost), settings, () => 0), { action: 'restore-session' });
  assert.deepEqual(decideAfterFailure(facts(lost, { sessionRestoredSince: true }), settings, () => 0), { action: 'retry', delayMs: 0, front: true, countAttempt: false });
  // Losing the shared session a few times is bad luck, not a reason to give up (maxAttempts is 3 here).
  assert.deepEqual(decideAfterFailure(facts(lost, { sessionRetries: 3 }), settings, () => 0), { action: 'restore-session' });
  assert.deepEqual(decideAfterFailure(facts(lost, { sessionRetries: settings.maxSessionRetries }), settings, () => 0), { action: 'give-up' });
});

test('hands every failure back while the pool is stopping', () => {
  const decision = decideAfterFailure(facts({ kind: 'retryable', code: 'X', message: '' }, { stopping: 'interrupted' }), settings, () => 0);
  assert.deepEqual(decision, { action: 'return', reason: 'interrupted' });
});

test('auto starts workers from CPU cores and the memory left below the limit', () => {
  const auto = { ...DEFAULT_POOL_SETTINGS, workers: 'auto' as const, autoWorkerCostBytes: GiB / 4 };
  assert.equal(initialWorkerCount(auto, 100, { cpuCount: 2, totalMemoryBytes: 16 * GiB, availableMemoryBytes: 14 * GiB }), 4);
  // 75 % of 16 GiB is 12 GiB; 11 GiB are used: room for four workers of 256 MiB.
  assert.equal(initialWorkerCount(auto, 100, { cpuCount: 4, totalMemoryBytes: 16 * GiB, availableMemoryBytes: 5 * GiB }), 4);
  assert.equal(initialWorkerCount(auto, 3, { cpuCount: 8, totalMemoryBytes: 16 * GiB, availableMemoryBytes: 14 * GiB }), 3);
  assert.equal(initialWorkerCount(auto, 100, { cpuCount: 2, totalMemoryBytes: 4 * GiB, availableMemoryBytes: 0 }), 1);
});

test('a fixed worker count is respected, never above the task count', () => {
  const fixed = { ...DEFAULT_POOL_SETTINGS, workers: 6 };
  assert.equal(initialWorkerCount(fixed, 100, { cpuCount: 1, totalMemoryBytes: GiB, availableMemoryBytes: 0 }), 6);
  assert.equal(initialWorkerCount(fixed, 2, { cpuCount: 1, totalMemoryBytes: GiB, availableMemoryBytes: 0 }), 2);
});

test("'auto' starts at most 6 workers however big the machine; a number asked for goes up to 16", () => {
  const huge = { cpuCount: 64, totalMemoryBytes: 512 * GiB, availableMemoryBytes: 500 * GiB };
  assert.equal(initialWorkerCount({ ...DEFAULT_POOL_SETTINGS, workers: 'auto' }, 1_000, huge), 6);
  assert.equal(initialWorkerCount({ ...DEFAULT_POOL_SETTINGS, workers: 12 }, 1_000, huge), 12);
});
