import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
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

  /** Opens a PO of `kind`, checks what its page read as, and whether the page's own script ran within `withinMs` after. */
  async function scriptRanAfterRead(kind: PoKind, readAs: string, withinMs: number): Promise<boolean> {
    const po = firstOfKind(site.sim, kind);
    const page = await site.context.newPage();
    try {
      const read = await showCoupaPage(page, `${site.sim.url}/order_headers/${po.id}`, { baseUrl: site.sim.url, signal: new AbortController().signal, navigationTimeoutMs: 15_000 });
      assert.equal(read.kind, readAs);
      await page.waitForFunction(() => document.getElementById('background_activity')?.hasAttribute('data-ticks') === true, undefined, { timeout: withinMs, polling: 50 });
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === 'TimeoutError') return false;
      throw error;
    } finally {
      await page.close();
    }
  }

  it('stops a PO page with linked files once read: its own script never runs', async () => {
    assert.equal(await scriptRanAfterRead('normal', 'ready', 1_500), false);
  });

  it('stops an error page once read', async () => {
    assert.equal(await scriptRanAfterRead('notFound', 'error', 1_500), false);
  });

  it('lets a PO page with click widgets run on: their clicks need its scripts', async () => {
    assert.equal(await scriptRanAfterRead('oldTheme', 'ready', 5_000), true);
  });
});
