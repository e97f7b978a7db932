import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decideScale, initialScaleState, withCap, type LoadSample, type ScaleState } from '../../../src/engine/autoscale.ts';
import { DEFAULT_POOL_SETTINGS } from '../../../src/engine/pool-settings.ts';

const settings = { ...DEFAULT_POOL_SETTINGS, scaleAfterSamples: 3 };

/** Feeds recorded samples through the decision and lists the targets after each. */
function replay(start: ScaleState, samples: LoadSample[], auto = true): number[] {
  let state = start;
  return samples.map((sample) => {
    state = decideScale(state, sample, auto, settings).state;
    return state.target;
  });
}

const busy = { cpuPercent: 95, memoryUsedPercent: 50 };
const calm = { cpuPercent: 40, memoryUsedPercent: 40 };
const middling = { cpuPercent: 75, memoryUsedPercent: 50 };
const lowOnMemory = { cpuPercent: 20, memoryUsedPercent: 80 };

test('sheds a worker only after CPU stays high for several samples', () => {
  assert.deepEqual(replay(initialScaleState(4, 16), [busy, busy, busy, busy]), [4, 4, 3, 3]);
});

test('ignores a single spike', () => {
  assert.deepEqual(replay(initialScaleState(4, 16), [busy, busy, middling, busy, busy]), [4, 4, 4, 4, 4]);
});

test('adds a worker after a calm spell, and never above the cap', () => {
  assert.deepEqual(replay(initialScaleState(4, 5), [calm, calm, calm, calm, calm, calm, calm]), [4, 4, 5, 5, 5, 5, 5]);
});

test('holds steady between the thresholds (hysteresis)', () => {
  assert.deepEqual(replay(initialScaleState(4, 16), Array(6).fill(middling)), [4, 4, 4, 4, 4, 4]);
});

test('sheds on memory pressure even with a fixed count, and comes back to it when memory frees up', () => {
  const targets = replay(initialScaleState(3, 3), [lowOnMemory, lowOnMemory, lowOnMemory, calm, calm, calm, busy, busy, busy], false);
  assert.deepEqual(targets, [3, 3, 2, 2, 2, 3, 3, 3, 3]);
});

test('never goes below one worker', () => {
  assert.deepEqual(replay(initialScaleState(1, 16), Array(6).fill(busy)), [1, 1, 1, 1, 1, 1]);
});

test('says why it changed the count', () => {
  const first = decideScale(initialScaleState(2, 16), lowOnMemory, true, { ...settings, scaleAfterSamples: 1 });
  assert.deepEqual(first.change, { from: 2, to: 1, reason: 'memory 80% used' });
});

test('a lower cap (a worker retired) lowers the target', () => {
  assert.equal(withCap(initialScaleState(4, 4), 2).target, 2);
});
