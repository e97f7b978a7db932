import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideFaults, type FaultPlan, type FaultRequest } from '../../../src/simulator/fault-plan.ts';

const page = (attempt: number, poId = '100042'): FaultRequest => ({ resource: 'page', key: `page:/order_headers/${poId}`, attempt, poId, attId: null });
const file = (attempt: number, attId = '900001', poId = '100042'): FaultRequest => ({ resource: 'file', key: `file:${attId}`, attempt, poId, attId });
const types = (plan: FaultPlan, make: (attempt: number) => FaultRequest, count: number) =>
  Array.from({ length: count }, (_, i) => decideFaults(plan, 1, make(i + 1)).decision.type);

describe('simulator fault plan', () => {
  it('answers the counted faults in order on successive attempts, then succeeds', () => {
    const plan: FaultPlan = { byPo: { '100042': { tooManyRequestsTimes: 1, serverErrorTimes: 2, resetMidFileTimes: 1, truncateTimes: 1, stallMidFileTimes: 1 } } };
    assert.deepEqual(types(plan, file, 7), ['tooManyRequests', 'serverError', 'serverError', 'resetMidFile', 'truncate', 'stallMidFile', 'none']);
    assert.deepEqual(types(plan, page, 4), ['tooManyRequests', 'serverError', 'serverError', 'none']);
  });

  it('leaves other POs alone', () => {
    assert.deepEqual(types({ byPo: { '100042': { serverErrorTimes: 2 } } }, (a) => page(a, '100043'), 2), ['none', 'none']);
  });

  it('limits byPo faults to pages or files when scoped', () => {
    const plan: FaultPlan = { byPo: { '100042': { serverErrorTimes: 1, scope: 'files' } } };
    assert.deepEqual(types(plan, page, 1), ['none']);
    assert.deepEqual(types(plan, file, 1), ['serverError']);
  });

  it('prefers byAttachment faults for that one file', () => {
    const plan: FaultPlan = { byPo: { '100042': { serverErrorTimes: 1 } }, byAttachment: { '900001': { truncateTimes: 1 } } };
    assert.deepEqual(types(plan, file, 2), ['truncate', 'none']);
    assert.deepEqual(types(plan, (a) => file(a, '900002'), 2), ['serverError', 'none']);
  });

  it('carries the 429 Retry-After and the latency and bandwidth', () => {
    const faults = decideFaults({ byPo: { '100042': { tooManyRequestsTimes: 1, retryAfterSeconds: 7, fileLatencyMs: 50, bandwidthBytesPerSec: 1000 } } }, 1, file(1));
    assert.deepEqual(faults, { decision: { type: 'tooManyRequests', retryAfterSeconds: 7 }, latencyMs: 50, bandwidthBytesPerSec: 1000 });
  });

  it('rolls rates the same way for the same seed, resource and attempt', () => {
    const plan: FaultPlan = { rates: { serverError: 0.3 } };
    const roll = () => Array.from({ length: 200 }, (_, i) => decideFaults(plan, 1, page(1, String(100001 + i))).decision.type);
    assert.deepEqual(roll(), roll());
    const errors = roll().filter((type) => type === 'serverError').length;
    assert.ok(errors > 20 && errors < 100, `about 30% of 200, got ${String(errors)}`);
  });

  it('never rolls file-only faults for pages nor page-only faults for files', () => {
    const plan: FaultPlan = { rates: { truncate: 1, neverFinishes: 1 } };
    assert.equal(decideFaults(plan, 1, page(1)).decision.type, 'neverFinishes');
    assert.equal(decideFaults(plan, 1, file(1)).decision.type, 'truncate');
  });
});
