import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { showCoupaPage } from '../../src/coupa/coupa-page.ts';
import type { PoKind } from '../../src/simulator/index.ts';
import { firstOfKind, usePoSite } from './po-harness.ts';

/**
 * A page the tool has read is stopped there (page-reporter.ts): the rest of it is neither parsed
 * nor run. The simulator's heavy pages end with a script that, once the page is parsed, marks
 * `#background_activity` every 100 ms: on a stopped page that mark never comes.
 */
describe('a page once read is stopped, unless it still has to be clicked', () => {
  const site = usePoSite({ pos: 14, seed: 5, heavyPages: true });

  async function openAndRead(kind: PoKind): Promise<{ page: Page; kind: string }> {
    const po = firstOfKind(site.sim, kind);
    const page = await site.context.newPage();
    const read = await showCoupaPage(page, `${site.sim.url}/order_headers/${po.id}`, { baseUrl: site.sim.url, signal: new AbortController().signal, navigationTimeoutMs: 15_000 });
    return { page, kind: read.kind };
  }

  /** Whether the page's own script ran within `withinMs` after the read. */
  async function pageScriptRan(page: Page, withinMs: number): Promise<boolean> {
    try {
      await page.waitForFunction(() => document.getElementById('background_activity')?.hasAttribute('data-ticks') === true, undefined, { timeout: withinMs, polling: 50 });
      return true;
    } catch {
      return false;
    }
  }

  it('stops a PO page with linked files once read: its own script never runs', async () => {
    const { page, kind } = await openAndRead('normal');
    try {
      assert.equal(kind, 'ready');
      assert.equal(await pageScriptRan(page, 1_500), false);
    } finally {
      await page.close();
    }
  });

  it('stops an error page once read', async () => {
    const { page, kind } = await openAndRead('notFound');
    try {
      assert.equal(kind, 'error');
      assert.equal(await pageScriptRan(page, 1_500), false);
    } finally {
      await page.close();
    }
  });

  it('lets a PO page with click widgets run on: their clicks need its scripts', async () => {
    const { page, kind } = await openAndRead('oldTheme');
    try {
      assert.equal(kind, 'ready');
      assert.equal(await pageScriptRan(page, 5_000), true);
    } finally {
      await page.close();
    }
  });
});
