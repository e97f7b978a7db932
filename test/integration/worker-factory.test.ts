import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { BrowserContext } from 'playwright-core';
import { createWorkerFactory } from '../../src/browser/worker-factory.ts';
import type { EngineEvent } from '../../src/engine/events.ts';
import { DEFAULT_POOL_SETTINGS } from '../../src/engine/pool-settings.ts';
import { runPool } from '../../src/engine/pool.ts';
import { processTreeMemoryBytes, processTreePids } from '../../src/engine/process-memory.ts';
import { isRoot, testBrowserPath } from '../support/browser.ts';
import { tempDir } from '../support/temp-dir.ts';

let server: Server;
let baseUrl: string;

before(async () => {
  server = createServer((request, response) => {
    response.setHeader('content-type', 'text/html');
    response.end(`<title>page ${request.url}</title><h1>${request.url}</h1>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Alive means running: a zombie waiting to be reaped by a container's init does not count. */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

function profileDirOf(pid: number): string | undefined {
  const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  return args.find((arg) => arg.startsWith('--user-data-dir='))?.slice('--user-data-dir='.length);
}

for (const isolation of ['browser', 'context'] as const) {
  test(`[${isolation}] finishes the batch when a worker's browser is killed mid-task, and leaves no process or profile behind`, async () => {
    const tempRoot = await tempDir('coupa-pool-');
    const factory = createWorkerFactory({ isolation, launch: { executablePath: testBrowserPath, headless: true, isRoot: isRoot() }, tempRoot: tempRoot.path });
    const events: EngineEvent[] = [];
    const pidsOf = new Map<number, number[]>();
    const seenPids = new Set<number>();
    const profiles = new Set<string>();
    let killedOnce = false;
    const summary = await runPool<number, BrowserContext, string>({
      tasks: [1, 2, 3, 4, 5, 6],
      key: (task) => `T${task}`,
      factory,
      async run(context, task, ctx) {
        const page = await context.newPage();
        try {
          await page.goto(`${baseUrl}/po/${task}`);
          for (const pid of await processTreePids(pidsOf.get(ctx.workerId) ?? [])) seenPids.add(pid);
          if (task === 3 && !killedOnce) {
            killedOnce = true;
            const [pid] = pidsOf.get(ctx.workerId) ?? [];
            if (pid !== undefined) process.kill(pid, 'SIGKILL');
            await page.goto(`${baseUrl}/po/${task}/again`);
          }
          return await page.title();
        } finally {
          await page.close().catch(() => {});
        }
      },
      classify: (error) => ({ kind: 'retryable', code: 'NAVIGATION_FAILED', message: String(error) }),
      describe: (title) => ({ status: 'COMPLETED', ok: true, message: title }),
      hooks: { started() {}, done() {}, gaveUp() {}, returned() {} },
      settings: { ...DEFAULT_POOL_SETTINGS, workers: 2, backoffBaseMs: 10, sampleIntervalMs: 60_000 },
      signal: new AbortController().signal,
      emit(event) {
        events.push(event);
        if (event.type === 'worker-started') {
          pidsOf.set(event.workerId, event.pids);
          for (const pid of event.pids) {
            const profile = profileDirOf(pid);
            if (profile !== undefined) profiles.add(profile);
          }
        }
      },
    });
    if (process.env.DEBUG_POOL) for (const event of events) console.log(event.at % 100000, JSON.stringify(event));
    assert.equal(summary.completed, 6);
    assert.ok(events.some((event) => event.type === 'worker-stopped' && event.reason === 'crashed'));
    const started = factory.startedPids();
    assert.ok(started.length >= 2);
    assert.deepEqual([...started, ...seenPids].filter(isAlive), []);
    assert.ok(profiles.size >= 2);
    assert.deepEqual([...profiles].filter((profile) => existsSync(profile)), []);
    assert.deepEqual(await readdir(tempRoot.path), []);
    await tempRoot.remove();
  });
}

test('measures a live browser by PSS: above zero and below its summed RSS', async () => {
  const tempRoot = await tempDir('coupa-pool-');
  const factory = createWorkerFactory({ isolation: 'browser', launch: { executablePath: testBrowserPath, headless: true, isRoot: isRoot() }, tempRoot: tempRoot.path });
  const worker = await factory.start(1, new AbortController().signal);
  try {
    const page = await worker.session.newPage();
    await page.goto(`${baseUrl}/memory`);
    const pss = await processTreeMemoryBytes(worker.pids());
    const pids = await processTreePids(worker.pids());
    const rss = pids
      .map((pid) => Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024)
      .reduce((sum, bytes) => sum + bytes, 0);
    assert.ok(pids.length > 1, 'a browser runs several processes');
    assert.ok(pss > 0);
    assert.ok(pss < rss, `PSS ${pss} should be below summed RSS ${rss}`);
  } finally {
    await worker.close();
    await factory.close();
    await tempRoot.remove();
  }
  assert.deepEqual(factory.startedPids().filter(isAlive), []);
});

for (const isolation of ['browser', 'context'] as const) {
  test(`[${isolation}] minimizes a headless worker's windows, and its pages still draw frames and take clicks`, async () => {
    const tempRoot = await tempDir('coupa-pool-');
    const factory = createWorkerFactory({ isolation, launch: { executablePath: testBrowserPath, headless: true, isRoot: isRoot() }, tempRoot: tempRoot.path });
    const worker = await factory.start(1, new AbortController().signal);
    try {
      for (const tab of [1, 2]) {
        const page = await worker.session.newPage();
        const cdp = await worker.session.newCDPSession(page);
        const { windowId } = await cdp.send('Browser.getWindowForTarget');
        const windowState = async () => (await cdp.send('Browser.getWindowBounds', { windowId })).bounds.windowState;
        const until = Date.now() + 5_000;
        while ((await windowState()) !== 'minimized' && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
        assert.equal(await windowState(), 'minimized', `tab ${tab}'s window`);
        await page.goto(`${baseUrl}/click`);
        await page.setContent('<button onclick="document.title = \'clicked\'">go</button>');
        assert.equal(await page.evaluate(() => document.visibilityState), 'visible');
        assert.equal(await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve('frame')))), 'frame');
        await page.click('button', { timeout: 5_000 });
        assert.equal(await page.title(), 'clicked');
        await cdp.detach();
      }
    } finally {
      await worker.close();
      await factory.close();
      await tempRoot.remove();
    }
  });
}
