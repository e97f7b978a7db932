import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { CoupaDlError } from '../../src/domain/errors.ts';
import type { ProcessPoOptions } from '../../src/coupa/process-po.ts';
import { startSimulator, type PoTruth, type ResourceFaults, type Simulator } from '../../src/simulator/index.ts';
import { launchTestBrowser } from '../support/browser.ts';
import { workFolders } from '../support/output-tree.ts';
import { firstOfKind, runPo, sortedShas, usePoSite } from '../support/po-harness.ts';
import { tempDir, type TempDir } from '../support/temp-dir.ts';

describe('processPo through network and page faults', () => {
  const site = usePoSite({ pos: 14, seed: 11, heavyPages: false });

  /** A PO with at least two linked files, so one can fail while the others arrive. */
  function poWithTwoFiles(): PoTruth {
    const po = site.sim.truth.pos.find((candidate) => candidate.kind === 'spread');
    assert.ok(po !== undefined && po.expectedFiles.length >= 2);
    return po;
  }

  async function completesDespite(faults: ResourceFaults, overrides: Partial<ProcessPoOptions> = {}) {
    const po = poWithTwoFiles();
    const target = po.expectedFiles[0];
    assert.ok(target !== undefined);
    site.sim.setFaults({ byAttachment: { [target.attId]: faults } });
    try {
      const { outcome } = await runPo(site.context, site.sim, po, site.outDir, overrides);
      assert.equal(outcome.status, 'COMPLETED', outcome.errorMessage);
      assert.deepEqual(sortedShas(outcome.files), sortedShas(po.expectedFiles));
    } finally {
      site.sim.setFaults({});
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
    await widgetCompletesDespite({ truncateTimes: 1 });
  });

  it('gives up on a file whose bytes stop coming after --download-timeout-ms and retries it, then COMPLETED', async () => {
    await completesDespite({ stallMidFileTimes: 1 }, { downloadTimeoutMs: 2_000 });
  });

  it('gives up on an old-theme click download whose bytes stop coming after --download-timeout-ms and retries it, then COMPLETED', async () => {
    await widgetCompletesDespite({ stallMidFileTimes: 1 }, { downloadTimeoutMs: 2_000 });
  });

  async function widgetCompletesDespite(faults: ResourceFaults, overrides: Partial<ProcessPoOptions> = {}) {
    const po = firstOfKind(site.sim, 'oldTheme');
    const target = po.expectedFiles[0];
    assert.ok(target !== undefined);
    site.sim.setFaults({ byAttachment: { [target.attId]: faults } });
    try {
      const { outcome } = await runPo(site.context, site.sim, po, site.outDir, overrides);
      assert.equal(outcome.status, 'COMPLETED', outcome.errorMessage);
      assert.deepEqual(sortedShas(outcome.files), sortedShas(po.expectedFiles));
    } finally {
      site.sim.setFaults({});
    }
  }

  it('ends PARTIAL, naming the file and why, when one file keeps failing', async () => {
    const po = poWithTwoFiles();
    const [broken, ...rest] = po.expectedFiles;
    assert.ok(broken !== undefined);
    site.sim.setFaults({ byAttachment: { [broken.attId]: { serverErrorTimes: 1000 } } });
    // A folder of its own: an earlier test's COMPLETED copy of this PO would be kept (see po-folders).
    const ownOut = await tempDir('coupa-po-');
    try {
      const { outcome } = await runPo(site.context, site.sim, po, ownOut.path);
      assert.equal(outcome.status, 'PARTIAL');
      assert.equal(outcome.attachmentsDownloaded, outcome.attachmentsFound - 1);
      assert.deepEqual(sortedShas(outcome.files), sortedShas(rest));
      assert.ok(outcome.errorMessage.includes(broken.name), outcome.errorMessage);
      assert.match(outcome.errorMessage, /HTTP 503, after 3 attempts/);
      assert.match(outcome.folder, /_PARTIAL$/);
    } finally {
      site.sim.setFaults({});
      await ownOut.remove();
    }
  });

  it('ends FAILED when no file arrives at all', async () => {
    const po = firstOfKind(site.sim, 'normal');
    site.sim.setFaults({ byPo: { [po.id]: { scope: 'files', serverErrorTimes: 1000 } } });
    try {
      const { outcome } = await runPo(site.context, site.sim, po, site.outDir, { maxDownloadAttempts: 2 });
      assert.equal(outcome.status, 'FAILED');
      assert.equal(outcome.attachmentsDownloaded, 0);
    } finally {
      site.sim.setFaults({});
    }
  });

  it('throws NAVIGATION_TIMEOUT for a page that never finishes, leaving no work folder', async () => {
    const po = firstOfKind(site.sim, 'normal');
    site.sim.setFaults({ byPo: { [po.id]: { scope: 'pages', neverFinishes: true } } });
    try {
      await assert.rejects(runPo(site.context, site.sim, po, site.outDir, { navigationTimeoutMs: 1500 }), (error: unknown) => {
        assert.ok(error instanceof CoupaDlError);
        assert.equal(error.code, 'NAVIGATION_TIMEOUT');
        assert.equal(error.kind, 'retryable');
        return true;
      });
      assert.deepEqual(await workFolders(site.outDir), []);
    } finally {
      site.sim.setFaults({});
    }
  });

  /** The 'spread' PO with a fault on its pages still ends COMPLETED with every file. */
  async function completesWithPageFault(faults: ResourceFaults, overrides: Partial<ProcessPoOptions> = {}) {
    const po = firstOfKind(site.sim, 'spread');
    site.sim.setFaults({ byPo: { [po.id]: { scope: 'pages', ...faults } } });
    try {
      const { outcome } = await runPo(site.context, site.sim, po, site.outDir, overrides);
      assert.equal(outcome.status, 'COMPLETED');
      assert.deepEqual(sortedShas(outcome.files.filter((file) => file.kind === 'file')), sortedShas(po.expectedFiles));
    } finally {
      site.sim.setFaults({});
    }
  }

  it('does not wait for a script that never answers: COMPLETED', async () => {
    await completesWithPageFault({ hangingSubresource: true });
  });

  it('reads a PO page whose last script never arrives (no DOMContentLoaded, ever) once its body is parsed, within a deadline shorter than the grace: COMPLETED', async () => {
    await completesWithPageFault({ blockingScript: true }, { navigationTimeoutMs: 2_000 });
  });

  it("reads an error page whose last script never arrives once its message is parsed, within a deadline shorter than the grace: the error's status", async () => {
    const po = firstOfKind(site.sim, 'notFound');
    site.sim.setFaults({ byPo: { [po.id]: { scope: 'pages', blockingScript: true } } });
    try {
      const { outcome } = await runPo(site.context, site.sim, po, site.outDir, { navigationTimeoutMs: 2_000 });
      assert.equal(outcome.status, po.expectedStatus);
      assert.deepEqual(outcome.files, []);
    } finally {
      site.sim.setFaults({});
    }
  });

  it('never reads a PO page whose body stops arriving (its comments never come), even after the grace: NAVIGATION_TIMEOUT, no files', async () => {
    const po = firstOfKind(site.sim, 'spread');
    assert.ok(po.attachments.some((attachment) => attachment.kind === 'file' && attachment.where === 'comment'), 'the PO has a file in a comment');
    site.sim.setFaults({ byPo: { [po.id]: { scope: 'pages', stallsMidBody: true } } });
    try {
      await assert.rejects(runPo(site.context, site.sim, po, site.outDir, { navigationTimeoutMs: 5_000 }), { code: 'NAVIGATION_TIMEOUT' });
      assert.deepEqual(await workFolders(site.outDir), []);
    } finally {
      site.sim.setFaults({});
    }
  });

  it('stops with the run\'s reason when the run is aborted', async () => {
    const po = firstOfKind(site.sim, 'normal');
    site.sim.setFaults({ byPo: { [po.id]: { scope: 'pages', neverFinishes: true } } });
    try {
      const controller = new AbortController();
      const run = runPo(site.context, site.sim, po, site.outDir, { signal: controller.signal });
      controller.abort(new CoupaDlError('INTERRUPTED', 'Ctrl-C'));
      await assert.rejects(run, { code: 'INTERRUPTED' });
    } finally {
      site.sim.setFaults({});
    }
  });
});

describe('processPo when Coupa wants a new sign-in', () => {
  let sim: Simulator;
  let browser: Browser;
  let out: TempDir | undefined;
  let outDir: string;

  before(async () => {
    sim = await startSimulator({ pos: 14, seed: 11, heavyPages: false, auth: { mode: 'password', expireAfterPageViews: 1 } });
    browser = await launchTestBrowser();
    out = await tempDir('coupa-po-');
    outDir = out.path;
  });

  after(async () => {
    await browser?.close();
    await sim?.close();
    await out?.remove();
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
