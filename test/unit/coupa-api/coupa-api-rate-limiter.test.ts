import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RateLimiter } from '../../../src/coupa-api/rate-limiter.ts';

const never = new AbortController().signal;

describe('API rate limiter', () => {
  it('halves the pace on each 429, never below a tenth, and recovers a tenth every 5 s without one', () => {
    let now = 0;
    const limiter = new RateLimiter({ requestsPerSecond: 10 }, () => now);
    limiter.backOff(0);
    assert.equal(limiter.requestsPerSecond, 5);
    for (let i = 0; i < 10; i += 1) limiter.backOff(0);
    assert.equal(limiter.requestsPerSecond, 1);
    now = 4_999;
    assert.equal(limiter.requestsPerSecond, 1);
    now = 5_000;
    assert.equal(limiter.requestsPerSecond, 2);
    now = 60_000;
    assert.equal(limiter.requestsPerSecond, 10, 'back to the pace asked for, not beyond');
  });

  it('never starts two requests closer together than the pace allows, however many callers wait', async () => {
    const limiter = new RateLimiter({ requestsPerSecond: 20 });
    const before = performance.now();
    const starts: number[] = [];
    await Promise.all(Array.from({ length: 6 }, async () => {
      await limiter.acquire(never);
      starts.push(performance.now() - before);
    }));
    // The k-th start is at k × 50 ms or later: a busy machine only makes it later (2 ms for timer rounding).
    assert.ok(starts.every((start, k) => start >= k * 50 - 2), starts.map((start) => start.toFixed(1)).join(', '));
  });

  it('lets a caller that gives up leave the queue', async () => {
    const limiter = new RateLimiter({ requestsPerSecond: 1 });
    await limiter.acquire(never);
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort(new Error('stopped'));
    await assert.rejects(waiting, /stopped/);
  });

  it('makes a waiter that was queued before a 429 wait for the pause too', async () => {
    const limiter = new RateLimiter({ requestsPerSecond: 1000 });
    await limiter.acquire(never);
    const started = performance.now();
    const waiting = limiter.acquire(never);
    limiter.backOff(150);
    await waiting;
    assert.ok(performance.now() - started >= 145, 'not before the pause ended');
  });
});
