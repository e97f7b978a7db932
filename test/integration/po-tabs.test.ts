import { describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import assert from 'node:assert/strict';
import { CoupaDlError } from '../../src/domain/errors.ts';
import { BLANK_URL, POS_PER_TAB } from '../../src/coupa/worker-tab.ts';
import { firstOfKind, runPo, sortedShas, usePoSite } from '../support/po-harness.ts';

describe("processPo opens PO after PO in the worker's one tab", () => {
  const site = usePoSite({ pos: 14, seed: 5, heavyPages: false });

  it('reuses the tab for the next PO and its requisition, resting on about:blank in between', async () => {
    const { sim, context, outDir } = site;
    const first = await runPo(context, sim, firstOfKind(sim, 'normal'), outDir);
    assert.equal(first.outcome.status, 'COMPLETED');
    const tabs = context.pages();
    assert.equal(tabs.length, 1);
    const [resting] = tabs;
    assert.ok(resting !== undefined);
    await resting.waitForURL(BLANK_URL, { timeout: 5_000 });

    // The requisition opens in the same tab: its files must still arrive, byte for byte.
    const fallback = firstOfKind(sim, 'prFallback');
    const second = await runPo(context, sim, fallback, outDir);
    assert.equal(second.outcome.status, fallback.expectedStatus);
    assert.deepEqual(sortedShas(second.outcome.files), sortedShas(fallback.expectedFiles));
    assert.deepEqual(context.pages(), tabs, 'the same tab, and no other');
    await resting.waitForURL(BLANK_URL, { timeout: 5_000 });
  });

  it('closes the tab of a PO that failed; the next PO opens a new one and completes', async () => {
    const { sim, context, outDir } = site;
    const stuck = firstOfKind(sim, 'spread');
    sim.setFaults({ byPo: { [stuck.id]: { scope: 'pages', neverFinishes: true } } });
    try {
      await assert.rejects(runPo(context, sim, stuck, outDir, { navigationTimeoutMs: 1500 }), (error: unknown) => error instanceof CoupaDlError && error.code === 'NAVIGATION_TIMEOUT');
    } finally {
      sim.setFaults({});
    }
    assert.deepEqual(context.pages(), [], 'the failed PO left no tab behind');
    const next = await runPo(context, sim, firstOfKind(sim, 'normal'), outDir);
    assert.equal(next.outcome.status, 'COMPLETED');
    assert.equal(context.pages().length, 1);
  });

  it(`replaces the tab after ${String(POS_PER_TAB)} POs (Playwright keeps a page's requests until it closes)`, async () => {
    const { sim, context, outDir } = site;
    const po = firstOfKind(sim, 'normal');
    const first = await runPo(context, sim, po, outDir);
    assert.equal(first.outcome.status, 'COMPLETED');
    const [tab] = context.pages();
    assert.ok(tab !== undefined);
    for (let done = 1; done < POS_PER_TAB; done += 1) await runPo(context, sim, po, outDir);
    // Its successor is opened as it retires (a new tab costs a renderer process), before the next PO asks.
    const successor = await waitForOtherTab(context, tab);
    await tab.waitForEvent('close', { timeout: 5_000 }).catch(() => {});
    assert.equal(tab.isClosed(), true, `the tab that served ${String(POS_PER_TAB)} POs is closed`);
    assert.deepEqual(context.pages(), [successor], 'one tab: the successor');
    const next = await runPo(context, sim, po, outDir);
    assert.equal(next.outcome.status, 'COMPLETED');
    assert.deepEqual(context.pages(), [successor], 'the next PO ran in the tab opened ahead');
  });
});

async function waitForOtherTab(context: BrowserContext, tab: Page): Promise<Page> {
  const open = context.pages().find((page) => page !== tab);
  return open ?? context.waitForEvent('page', { timeout: 5_000 });
}

describe('processPo with click widgets on the PO and files on its requisition', () => {
  // Mostly PR-fallback POs: every second one shows its own file as an old-theme click widget.
  const site = usePoSite({ pos: 20, seed: 3, heavyPages: false, mix: { prFallback: 100 } });

  it('reads the requisition in a second tab while the PO tab keeps its widget, gets every file, and closes the second tab', async () => {
    const { sim, context, outDir } = site;
    const po = sim.truth.pos.find((candidate) => candidate.kind === 'prFallback' && candidate.attachments.some((attachment) => attachment.origin === 'po' && attachment.widget === 'click'));
    assert.ok(po !== undefined, 'the catalogue has a PR-fallback PO with a click widget of its own');
    assert.ok(po.expectedFiles.some((file) => file.origin === 'requisition'));
    const { outcome } = await runPo(context, sim, po, outDir);
    assert.equal(outcome.status, 'COMPLETED', outcome.errorMessage);
    assert.deepEqual(sortedShas(outcome.files), sortedShas(po.expectedFiles));
    assert.match(outcome.coupaUrl, /\/requisition_headers\//);
    assert.equal(context.pages().length, 1, 'only the worker tab is left');
  });
});
