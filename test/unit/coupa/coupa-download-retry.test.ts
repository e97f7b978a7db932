import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CoupaDlError } from '../../../src/domain/errors.ts';
import { DOWNLOAD_BACKOFF, parseRetryAfterMs, withDownloadRetries } from '../../../src/coupa/download-retry.ts';
import { backoffDelayMs } from '../../../src/engine/retry-policy.ts';

describe('DOWNLOAD_BACKOFF with the tool\'s one backoff', () => {
  it('doubles the delay with each retry from 250 ms, with jitter in its upper half', () => {
    assert.equal(backoffDelayMs(1, DOWNLOAD_BACKOFF, () => 0), 125);
    assert.equal(backoffDelayMs(1, DOWNLOAD_BACKOFF, () => 0.999), 250);
    assert.equal(backoffDelayMs(2, DOWNLOAD_BACKOFF, () => 0), 250);
    assert.equal(backoffDelayMs(3, DOWNLOAD_BACKOFF, () => 0), 500);
  });

  it('never waits longer than the cap', () => {
    assert.ok(backoffDelayMs(30, DOWNLOAD_BACKOFF, () => 0.999) <= DOWNLOAD_BACKOFF.maxMs);
  });

  it('waits as long as the server asked, within the PO\'s patience', () => {
    assert.equal(backoffDelayMs(1, DOWNLOAD_BACKOFF, () => 0.5, 2000), 2000);
    assert.equal(backoffDelayMs(1, DOWNLOAD_BACKOFF, () => 0.5, 3_600_000), DOWNLOAD_BACKOFF.maxRetryAfterMs);
  });
});

describe('parseRetryAfterMs', () => {
  it('reads seconds and HTTP dates', () => {
    assert.equal(parseRetryAfterMs('2', 0), 2000);
    assert.equal(parseRetryAfterMs('Thu, 01 Jan 1970 00:00:05 GMT', 1000), 4000);
  });

  it('ignores absent or unreadable values', () => {
    assert.equal(parseRetryAfterMs(undefined, 0), undefined);
    assert.equal(parseRetryAfterMs('soon', 0), undefined);
  });
});

describe('withDownloadRetries', () => {
  const signal = new AbortController().signal;
  // Waits exactly what the server asked (0 here): the tests need not sleep.
  const instant = { signal, maxAttempts: 3, delayMs: (_retry: number, retryAfterMs: number | undefined) => retryAfterMs ?? 0 };

  it('retries retryable failures and returns the first success', async () => {
    let calls = 0;
    const result = await withDownloadRetries(async () => {
      calls += 1;
      if (calls < 3) throw new CoupaDlError('HTTP_SERVER_ERROR', 'HTTP 503', { retryAfterMs: 0 });
      return 'ok';
    }, instant);
    assert.equal(result, 'ok');
    assert.equal(calls, 3);
  });

  it('gives up after the last attempt with the last error', async () => {
    let calls = 0;
    await assert.rejects(
      withDownloadRetries(async () => {
        calls += 1;
        throw new CoupaDlError('CONNECTION_RESET', `reset ${calls}`, { retryAfterMs: 0 });
      }, instant),
      { code: 'CONNECTION_RESET', message: 'reset 3' },
    );
  });

  it('does not retry a session or per-item error', async () => {
    let calls = 0;
    await assert.rejects(
      withDownloadRetries(async () => {
        calls += 1;
        throw new CoupaDlError('SESSION_EXPIRED', 'sign in');
      }, instant),
      { code: 'SESSION_EXPIRED' },
    );
    assert.equal(calls, 1);
  });

  it('reports each retry with its delay', async () => {
    const seen: number[] = [];
    let calls = 0;
    await withDownloadRetries(async () => {
      calls += 1;
      if (calls === 1) throw new CoupaDlError('HTTP_TOO_MANY_REQUESTS', '429', { retryAfterMs: 5 });
      return calls;
    }, { ...instant, onRetry: (_attempt, delayMs) => seen.push(delayMs) });
    assert.deepEqual(seen, [5]);
  });
});
