import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';

/** Raw GET, so we see what fetch would hide: how many body bytes came before the connection ended, and how. */
function rawGet(url: string): Promise<{ status: number; length: number | null; received: number; ended: 'complete' | 'aborted' | 'error' }> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false }, (res) => {
      let received = 0;
      let settled = false;
      const finish = (ended: 'complete' | 'aborted' | 'error') => {
        if (settled) return;
        settled = true;
        resolve({ status: res.statusCode ?? 0, length: Number(res.headers['content-length'] ?? NaN), received, ended });
      };
      res.on('data', (chunk: Buffer) => (received += chunk.length));
      res.on('end', () => finish(res.complete ? 'complete' : 'aborted'));
      res.on('aborted', () => finish('aborted'));
      res.on('error', () => finish('error'));
      res.on('close', () => finish(res.complete ? 'complete' : 'aborted'));
    });
    req.on('error', () => resolve({ status: 0, length: null, received: 0, ended: 'error' }));
    req.end();
  });
}

describe('simulator faults', () => {
  let sim: Simulator;
  let poId: string;
  let filePath: string;
  let attId: string;
  let fileSize: number;

  before(async () => {
    sim = await startSimulator({ pos: 12, heavyPages: false });
    const normal = sim.truth.pos.find((p) => p.kind === 'normal');
    const file = normal?.expectedFiles[0];
    assert.ok(normal && file);
    poId = normal.id;
    filePath = file.path;
    attId = file.attId;
    fileSize = file.sizeBytes;
  });
  after(async () => {
    await sim.close();
  });

  it('answers 5xx to the first N requests of a PO page, then the page', async () => {
    sim.setFaults({ byPo: { [poId]: { serverErrorTimes: 2 } } });
    const statuses = [];
    for (let i = 0; i < 3; i += 1) {
      const response = await fetch(`${sim.url}/order_headers/${poId}`);
      await response.text();
      statuses.push(response.status);
    }
    assert.deepEqual(statuses, [503, 503, 200]);
  });

  it('answers 429 with Retry-After, then the file', async () => {
    sim.setFaults({ byAttachment: { [attId]: { tooManyRequestsTimes: 1, retryAfterSeconds: 3 } } });
    const first = await fetch(sim.url + filePath);
    await first.text();
    assert.equal(first.status, 429);
    assert.equal(first.headers.get('retry-after'), '3');
    const second = await fetch(sim.url + filePath);
    assert.equal(second.status, 200);
    assert.equal((await second.arrayBuffer()).byteLength, fileSize);
  });

  it('resets the connection after half the file', async () => {
    sim.setFaults({ byAttachment: { [attId]: { resetMidFileTimes: 1 } } });
    const cut = await rawGet(sim.url + filePath);
    assert.notEqual(cut.ended, 'complete');
    assert.ok(cut.received < fileSize);
    const retry = await fetch(sim.url + filePath);
    assert.equal((await retry.arrayBuffer()).byteLength, fileSize);
  });

  it('truncates a file: fewer bytes than Content-Length, then the connection ends', async () => {
    sim.setFaults({ byAttachment: { [attId]: { truncateTimes: 1 } } });
    const cut = await rawGet(sim.url + filePath);
    assert.equal(cut.length, fileSize);
    assert.equal(cut.received, Math.floor(fileSize / 2));
    assert.notEqual(cut.ended, 'complete');
  });

  it('never finishes a PO page: headers and part of the head, then nothing until the client gives up', async () => {
    sim.setFaults({ byPo: { [poId]: { neverFinishes: true } } });
    const response = await fetch(`${sim.url}/order_headers/${poId}`, { signal: AbortSignal.timeout(500) });
    assert.equal(response.status, 200);
    await assert.rejects(response.text(), (error: Error) => error.name === 'TimeoutError' || error.name === 'AbortError');
  });

  it('serves a complete page whose async script never answers (hanging subresource)', async () => {
    sim.setFaults({ byPo: { [poId]: { hangingSubresource: true } } });
    const html = await (await fetch(`${sim.url}/order_headers/${poId}`)).text();
    assert.match(html, /<\/html>$/);
    const script = /<script async src="([^"]+)"><\/script>/.exec(html)?.[1];
    assert.ok(script);
    await assert.rejects(fetch(sim.url + script, { signal: AbortSignal.timeout(300) }), (error: Error) => error.name === 'TimeoutError');
  });

  it('serves the whole content, then a script at the end of the body that never answers (blocking script)', async () => {
    sim.setFaults({ byPo: { [poId]: { blockingScript: true } } });
    const html = await (await fetch(`${sim.url}/order_headers/${poId}`)).text();
    const script = /<script src="([^"]+)"><\/script><\/body><\/html>$/.exec(html)?.[1];
    assert.ok(script, 'the last thing in the body is a classic script');
    assert.match(html, /attachments-list/);
    await assert.rejects(fetch(sim.url + script, { signal: AbortSignal.timeout(300) }), (error: Error) => error.name === 'TimeoutError');
  });

  it('rolls rate faults deterministically: two simulators with one seed fail the same requests', async () => {
    const twin = await startSimulator({ pos: 12, heavyPages: false, faults: { rates: { serverError: 0.5 } } });
    sim.setFaults({ rates: { serverError: 0.5 } });
    try {
      const statuses = async (target: Simulator) => {
        const out: number[] = [];
        for (const po of target.truth.pos) {
          const response = await fetch(`${target.url}/order_headers/${po.id}`);
          await response.text();
          out.push(response.status);
        }
        return out;
      };
      const ours = await statuses(sim);
      assert.deepEqual(await statuses(twin), ours);
      assert.ok(ours.includes(503) && ours.includes(200));
    } finally {
      await twin.close();
    }
  });

  it('still delivers the whole file under a bandwidth cap', async () => {
    sim.setFaults({ byAttachment: { [attId]: { bandwidthBytesPerSec: fileSize * 4 } } });
    const response = await fetch(sim.url + filePath);
    assert.equal((await response.arrayBuffer()).byteLength, fileSize);
  });

  it('closes even while a page never finishes', async () => {
    const other = await startSimulator({ pos: 12, heavyPages: false, faults: { byPo: { [poId]: { neverFinishes: true } } } });
    const response = await fetch(`${other.url}/order_headers/${poId}`);
    const body = response.text().catch((error: unknown) => error);
    await other.close();
    assert.ok((await body) instanceof Error);
  });
});
