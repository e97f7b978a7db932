import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { setImmediate as tick, setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Deadline } from '../../../src/net/deadline.ts';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

describe('Deadline: the signal of one request', () => {
  it('aborts with the parent, with the parent’s reason', () => {
    const parent = new AbortController();
    using deadline = new Deadline(parent.signal, 60_000);
    const reason = new Error('Ctrl-C');
    parent.abort(reason);
    assert.equal(deadline.signal.aborted, true);
    assert.equal(deadline.signal.reason, reason);
  });

  it('is aborted at once when the parent already is', () => {
    const parent = AbortSignal.abort('stopped');
    using deadline = new Deadline(parent, 60_000);
    assert.equal(deadline.signal.reason, 'stopped');
    assert.equal(getEventListeners(parent, 'abort').length, 0);
  });

  it('aborts with a TimeoutError at its time limit, which fetch and our error words recognise', async () => {
    using deadline = new Deadline(new AbortController().signal, 20);
    await sleep(60);
    assert.equal(deadline.signal.aborted, true);
    assert.equal((deadline.signal.reason as Error).name, 'TimeoutError');
  });

  it('after stopTimer only the parent ends it', async () => {
    const parent = new AbortController();
    using deadline = new Deadline(parent.signal, 20);
    deadline.stopTimer();
    await sleep(60);
    assert.equal(deadline.signal.aborted, false);
    parent.abort('later');
    assert.equal(deadline.signal.reason, 'later');
  });

  it('leaves no listener on the parent once disposed or aborted', () => {
    const parent = new AbortController();
    for (let index = 0; index < 100; index += 1) {
      using deadline = new Deadline(parent.signal, 60_000);
      assert.ok(!deadline.signal.aborted);
    }
    const aborted = new Deadline(parent.signal, null);
    aborted.abort('done');
    assert.equal(getEventListeners(parent.signal, 'abort').length, 0);
    assert.equal(aborted.signal.reason, 'done');
  });

  it('lets a finished fetch go: what its listeners reach is collected although the parent lives on', async () => {
    const server = createServer((_, response) => response.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/`;
      const runSignal = new AbortController().signal;
      const answers: WeakRef<object>[] = [];
      for (let index = 0; index < 20; index += 1) answers.push(await fetchWithEvidence(url, runSignal));
      for (let round = 0; round < 3; round += 1) {
        collectGarbage();
        await tick();
      }
      assert.equal(answers.filter((answer) => answer.deref() !== undefined).length, 0, 'every finished request was collected (AbortSignal.any with a timeout kept all 20)');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

/** One request as the API's: its evidence reachable only from a listener that the caller never removes. Returns a weak look at the evidence. */
async function fetchWithEvidence(url: string, runSignal: AbortSignal): Promise<WeakRef<object>> {
  const evidence = { body: 'x'.repeat(10_000) };
  using deadline = new Deadline(runSignal, 60_000);
  deadline.signal.addEventListener('abort', () => evidence.body);
  const response = await fetch(url, { signal: deadline.signal });
  assert.equal(await response.text(), 'ok');
  return new WeakRef(evidence);
}
