import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext } from 'playwright-core';
import { CoupaDlError } from '../../src/domain/errors.ts';
import { startSimulator, type PoTruth, type ResourceFaults, type Simulator } from '../../src/simulator/index.ts';
import { launchTestBrowser } from '../support/browser.ts';
import { firstOfKind, removeDir, runPo, sortedShas, tempOutDir, workFolders } from './po-harness.ts';

describe('processPo through network and page faults', () => {
  let sim: Simulator;
  let browser: Browser;
  let context: BrowserContext;
  let outDir: string;

  before(async () => {
    sim = await startSimulator({ pos: 14, seed: 11, heavyPages: false });
    browser = await launchTestBrowser();
    context = await browser.newContext({ storageState: sim.createStorageState(), acceptDownloads: true });
    outDir = await tempOutDir();
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    await sim?.close();
    if (outDir !== undefined) await removeDir(outDir);
  });

  /** A PO with at least two linked files, so one can fail while the others arrive. */
  function poWithTwoFiles(): PoTruth {
    const po = sim.truth.pos.find((candidate) => candidate.kind === 'spread');
    assert.ok(po !== undefined && po.expectedFiles.length >= 2);
    return po;
  }

  async function completesDespite(faults: ResourceFaults) {
    const po = poWithTwoFiles();
    const target = po.expectedFiles[0];
    assert.ok(target !== undefined);
    sim.setFaults({ byAttachment: { [target.attId]: faults } });
    try {
      const { outcome } = await runPo(context, sim, po, outDir);
      assert.equal(outcome.status, 'COMPLETED', outcome.errorMessage);
      assert.deepEqual(sortedShas(outcome.files), sortedShas(po.expectedFiles));
    } finally {
      sim.setFaults({});
    }
  }

  it('retries a file that answers 503 twice, then COMPLETED', async () => {
    await completesDespite({ serverErrorTimes: 2 });
  });

  it('waits as 429 Retry-After asks, then COMPLETED', async () => {
    await completesDespite({ tooManyRequestsTimes: 1, retryAfterSeconds: 1 });
  });

  it('retries a file whose connection is reset mid-way, then COMPLETED', async () => {
    await completesDespite({ resetMidFileTimes: 1 });
  });

  it('retries a file cut short of its Content-Length, then COMPLETED', async () => {
    await completesDespite({ truncateTimes: 1 });
  });

  it('retries old-theme click downloads that fail, then COMPLETED', async () => {
    const po = firstOfKind(sim, 'oldTheme');
    const target = po.expectedFiles[0];
    assert.ok(target !== undefined);
    sim.setFaults({ byAttachment: { [target.attId]: { truncateTimes: 1 } } });
    try {
      const { outcome } = await runPo(context, sim, po, outDir);
      assert.equal(outcome.status, 'COMPLETED', outcome.errorMessage);
      assert.deepEqual(sortedShas(outcome.files), sortedShas(po.expectedFiles));
    } finally {
      sim.setFaults({});
    }
  });

  it('ends PARTIAL, naming the file and why, when one file keeps failing', async () => {
    const po = poWithTwoFiles();
    const [broken, ...rest] = po.expectedFiles;
    assert.ok(broken !== undefined);
    sim.setFaults({ byAttachment: { [broken.attId]: { serverErrorTimes: 1000 } } });
    // A folder of its own: an earlier test's COMPLETED copy of this PO would be kept (see po-folders).
    const ownOut = await tempOutDir();
    try {
      const { outcome } = await runPo(context, sim, po, ownOut);
      assert.equal(outcome.status, 'PARTIAL');
      assert.equal(outcome.attachmentsDownloaded, outcome.attachmentsFound - 1);
      assert.deepEqual(sortedShas(outcome.files), sortedShas(rest));
      assert.ok(outcome.errorMessage.includes(broken.name), outcome.errorMessage);
      assert.match(outcome.errorMessage, /HTTP 503, after 3 attempts/);
      assert.match(outcome.folder, /_PARTIAL$/);
    } finally {
      sim.setFaults({});
      await removeDir(ownOut);
    }
  });

  it('ends FAILED when no file arrives at all', async () => {
    const po = firstOfKind(sim, 'normal');
    sim.setFaults({ byPo: { [po.id]: { scope: 'files', serverErrorTimes: 1000 } } });
    try {
      const { outcome } = await runPo(context, sim, po, outDir, { maxDownloadAttempts: 2 });
      assert.equal(outcome.status, 'FAILED');
      assert.equal(outcome.attachmentsDownloaded, 0);
    } finally {
      sim.setFaults({});
    }
  });

  it('throws NAVIGATION_TIMEOUT for a page that never finishes, leaving no work folder', async () => {
    const po = firstOfKind(sim, 'normal');
    sim.setFaults({ byPo: { [po.id]: { scope: 'pages', neverFinishes: true } } });
    try {
      await assert.rejects(runPo(context, sim, po, outDir, { navigationTimeoutMs: 1500 }), (error: unknown) => {
        assert.ok(error instanceof CoupaDlError);
        assert.equal(error.code, 'NAVIGATION_TIMEOUT');
        assert.equal(error.kind, 'retryable');
        return true;
      });
      assert.deepEqual(await workFolders(outDir), []);
    } finally {
      sim.setFaults({});
    }
  });

  it('does not wait for a script that never answers: COMPLETED', async () => {
    const po = firstOfKind(sim, 'spread');
    sim.setFaults({ byPo: { [po.id]: { scope: 'pages', hangingSubresource: true } } });
    try {
      const { outcome } = await runPo(context, sim, po, outDir);
      assert.equal(outcome.status, 'COMPLETED');
      assert.deepEqual(sortedShas(outcome.files.filter((file) => file.kind === 'file')), sortedShas(po.expectedFiles));
    } finally {
      sim.setFaults({});
    }
  });

  it('stops with the run\'s reason when the run is aborted', async () => {
    const po = firstOfKind(sim, 'normal');
    sim.setFaults({ byPo: { [po.id]: { scope: 'pages', neverFinishes: true } } });
    try {
      const controller = new AbortController();
      const run = runPo(context, sim, po, outDir, { signal: controller.signal });
      controller.abort(new CoupaDlError('INTERRUPTED', 'Ctrl-C'));
      await assert.rejects(run, { code: 'INTERRUPTED' });
    } finally {
      sim.setFaults({});
    }
  });
});

describe('processPo when Coupa wants a new sign-in', () => {
  let sim: Simulator;
  let browser: Browser;
  let outDir: string;

  before(async () => {
    sim = await startSimulator({ pos: 14, seed: 11, heavyPages: false, auth: { mode: 'password', expireAfterPageViews: 1 } });
    browser = await launchTestBrowser();
    outDir = await tempOutDir();
  });

  after(async () => {
    await browser?.close();
    await sim?.close();
    if (outDir !== undefined) await removeDir(outDir);
  });

  it('throws SESSION_EXPIRED, not a PO failure, when the PO page is the sign-in page', async () => {
    const context = await browser.newContext({ acceptDownloads: true });
    try {
      await assert.rejects(runPo(context, sim, firstOfKind(sim, 'normal'), outDir), { code: 'SESSION_EXPIRED', kind: 'session' });
    } finally {
      await context.close();
    }
  });

  it('throws SESSION_EXPIRED when a file download is sent to sign in, leaving no work folder', async () => {
    const context = await browser.newContext({ storageState: sim.createStorageState(), acceptDownloads: true });
    try {
      await assert.rejects(runPo(context, sim, firstOfKind(sim, 'normal'), outDir), { code: 'SESSION_EXPIRED' });
      assert.deepEqual(await workFolders(outDir), []);
    } finally {
      await context.close();
    }
  });
});
