import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CLOSED_BREAKER, breakerStep, type BreakerEvent, type BreakerState } from '../../../src/engine/circuit-breaker.ts';

const settings = { breakerThreshold: 3, breakerMaxProbes: 2 };

function replay(events: BreakerEvent[], start: BreakerState = CLOSED_BREAKER) {
  let state = start;
  const effects = events.map((event) => {
    const step = breakerStep(state, event, settings);
    state = step.state;
    return step.effect;
  });
  return { state, effects };
}

const fail = (code: string): BreakerEvent => ({ type: 'failure', code });

test('opens after the threshold of same-code failures in a row', () => {
  const { state, effects } = replay([fail('TIMEOUT'), fail('TIMEOUT'), fail('TIMEOUT')]);
  assert.deepEqual(effects, [null, null, 'hold']);
  assert.equal(state.phase, 'open');
});

test('a different code or a success starts the count again', () => {
  const { state } = replay([fail('A'), fail('A'), fail('B'), fail('A'), { type: 'success' }, fail('A'), fail('A')]);
  assert.deepEqual(state, { phase: 'closed', code: 'A', streak: 2 });
});

test('lets one probe through when the probe is due, and resumes when something succeeds', () => {
  const { state, effects } = replay([fail('T'), fail('T'), fail('T'), { type: 'probe-due' }, { type: 'success' }]);
  assert.deepEqual(effects, [null, null, 'hold', 'probe', 'resume']);
  assert.deepEqual(state, CLOSED_BREAKER);
});

test('holds again after a failed probe and stops after the last one', () => {
  const { state, effects } = replay([
    fail('T'), fail('T'), fail('T'),
    { type: 'probe-due' }, { type: 'probe-failed' },
    { type: 'probe-due' }, { type: 'probe-failed' },
  ]);
  assert.deepEqual(effects, [null, null, 'hold', 'probe', 'hold', 'probe', 'stop']);
  assert.equal(state.phase, 'tripped');
});

test('ignores failures of tasks that were already running while it is open', () => {
  const open: BreakerState = { phase: 'open', code: 'T', failedProbes: 0 };
  assert.deepEqual(breakerStep(open, fail('T'), settings), { state: open, effect: null });
});
