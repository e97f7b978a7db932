import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EngineEvent } from '../../../src/engine/events.ts';
import { measureRun } from '../../../src/ui/run-metrics.ts';
import { initialRunView, RECENT_LIMIT, reduceRunView } from '../../../src/ui/run-view.ts';
import type { RunView } from '../../../src/ui/run-view.ts';
import { recordedRun, RUN_START_MS } from '../../support/recorded-run.ts';

function fold(events: readonly EngineEvent[]): RunView {
  return events.reduce(reduceRunView, initialRunView);
}

function upTo(predicate: (event: EngineEvent) => boolean): { view: RunView; at: number } {
  const index = recordedRun.findIndex(predicate);
  assert.notEqual(index, -1);
  return { view: fold(recordedRun.slice(0, index + 1)), at: recordedRun[index]?.at ?? 0 };
}

describe('run view', () => {
  it('counts every outcome of the recorded run by status', () => {
    const view = fold(recordedRun);
    assert.equal(view.state, 'finished');
    assert.equal(view.done, 11);
    assert.equal(view.total, 11);
    assert.deepEqual(view.counts, {
      COMPLETED: 3, NO_ATTACHMENTS: 1, PO_NOT_FOUND: 1, ACCESS_DENIED: 1, PR_NOT_ACCESSIBLE: 1,
      INVALID_PO: 1, PARTIAL: 1, FAILED: 1, TIMEOUT: 1,
    });
    assert.equal(view.end?.durationMs, 14_900);
    assert.equal(view.end?.interrupted, false);
  });

  it('measures POs per minute and the ETA from the pace so far', () => {
    const { view, at } = upTo((e) => e.type === 'task-finished' && e.key === 'PO100005');
    const metrics = measureRun(view, at);
    assert.equal(metrics.elapsedMs, 5_540);
    assert.equal(metrics.remaining, 7);
    assert.ok(Math.abs((metrics.posPerMinute ?? 0) - (4 / 5.54) * 60) < 1e-9);
    assert.ok(Math.abs((metrics.etaMs ?? 0) - 7 / (4 / 5_540)) < 1e-6);
  });

  it('lets the rate fall and the ETA grow while nothing finishes', () => {
    const { view, at } = upTo((e) => e.type === 'task-finished' && e.key === 'PO100005');
    const later = measureRun(view, at + 60_000);
    assert.ok((later.posPerMinute ?? 0) < 4);
    assert.ok((later.etaMs ?? 0) > 100_000);
  });

  it('measures the pace over the latest 20 finishes, not since the start', () => {
    const events: EngineEvent[] = [{ type: 'run-started', at: 0, total: 100, targetWorkers: 1 }];
    // Ten slow POs (one a minute), then twenty fast ones (one a second).
    let at = 0;
    for (let i = 0; i < 30; i += 1) {
      at += i < 10 ? 60_000 : 1_000;
      events.push({ type: 'task-finished', at, workerId: 1, key: `PO${i}`, status: 'COMPLETED', ok: true, message: '', durationMs: 1 });
    }
    const metrics = measureRun(fold(events), at);
    assert.equal(metrics.posPerMinute, 60);
    assert.equal(metrics.etaMs, 70_000);
  });

  it('gives no pace and no ETA before the first PO finishes', () => {
    const metrics = measureRun(fold(recordedRun.slice(0, 5)), RUN_START_MS + 3_000);
    assert.equal(metrics.posPerMinute, null);
    assert.equal(metrics.etaMs, null);
    assert.equal(metrics.elapsedMs, 3_000);
  });

  it('shows what each browser is on: PO, step, attempt and file progress', () => {
    const { view } = upTo((e) => e.type === 'task-file-progress' && e.bytes === 150 * 1024);
    assert.deepEqual(view.workers.map((w) => [w.id, w.key, w.step]), [[1, 'PO100001', 'downloading'], [2, 'PO100002', 'opening'], [3, 'PO100003', 'opening']]);
    assert.deepEqual(view.workers[0]?.files, [{ name: 'Invoice 2025-001 signed.pdf', bytes: 150 * 1024, totalBytes: 300 * 1024 }]);
    assert.equal(view.workers[0]?.stepDetail, 'file 1 of 2');
    const retried = upTo((e) => e.type === 'task-started' && e.key === 'PO100003' && e.attempt === 2).view;
    assert.equal(retried.workers.find((w) => w.id === 3)?.attempt, 2);
  });

  it('drops a crashed browser, lists the crash and the retry, and adds its replacement', () => {
    const { view } = upTo((e) => e.type === 'worker-started' && e.workerId === 4);
    assert.deepEqual(view.workers.map((w) => w.id), [1, 3, 4]);
    assert.deepEqual(view.recent.slice(0, 2).map((a) => a.kind), ['retry', 'worker-stopped']);
  });

  it('keeps the recent list short, newest first, without routine browser closes', () => {
    const view = fold(recordedRun);
    assert.equal(view.recent.length, RECENT_LIMIT);
    assert.deepEqual(view.recent[0], { kind: 'finished', at: RUN_START_MS + 14_700, key: 'PO100011', status: 'COMPLETED', ok: true, message: '4 files  Acme Supplies', durationMs: 3_000 });
    assert.ok(view.recent.every((a) => a.kind !== 'worker-stopped' || a.reason !== 'stopped'));
  });

  it('tracks held, resumed and stopping states, and CPU and memory from stats', () => {
    const start: EngineEvent = { type: 'run-started', at: 0, total: 5, targetWorkers: 2 };
    assert.equal(fold([start, { type: 'pool-held', at: 1, reason: 'waiting for sign-in' }]).heldReason, 'waiting for sign-in');
    assert.equal(fold([start, { type: 'pool-held', at: 1, reason: 'x' }, { type: 'pool-resumed', at: 2 }]).state, 'running');
    const stopping = fold([start, { type: 'interrupt', at: 1, second: false }, { type: 'pool-resumed', at: 2 }]);
    assert.equal(stopping.state, 'stopping');
    const stats = fold([start, { type: 'stats', at: 3, cpuPercent: 12, memoryUsedPercent: 40, browserMemoryBytes: 5, activeWorkers: 1, targetWorkers: 2 }]);
    assert.deepEqual([stats.stats?.cpuPercent, stats.stats?.memoryUsedPercent, stats.activeWorkers, stats.targetWorkers], [12, 40, 1, 2]);
  });

  it('ignores event types it does not know yet', () => {
    const view = fold(recordedRun.slice(0, 3));
    const unknown = { type: 'disk-low', at: 5, freeBytes: 1 } as unknown as EngineEvent;
    assert.equal(reduceRunView(view, unknown), view);
  });

  it('does not invent a browser row for a PO finished without one', () => {
    const view = fold([{ type: 'run-started', at: 0, total: 1, targetWorkers: 1 }, { type: 'task-finished', at: 1, workerId: 0, key: 'PO1', status: 'INVALID_PO', ok: true, message: '', durationMs: 0 }]);
    assert.deepEqual(view.workers, []);
    assert.equal(view.done, 1);
  });
});
