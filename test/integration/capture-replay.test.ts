import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { capturePoPage } from '../../src/coupa/page-capture.ts';
import { SETTLE_QUIET_MS } from '../../src/coupa/page-settle.ts';
import { startReplay } from '../../src/simulator/index.ts';
import { firstOfKind, runPo, taskFor, optionsFor, usePoSite } from '../support/po-harness.ts';
import { tempDir } from '../support/temp-dir.ts';
import { processPo } from '../../src/coupa/process-po.ts';

/**
 * A page captured with `coupa-dl capture` becomes a regression test: served back by
 * `coupa-dl simulator --replay`, the reader must find on it exactly what it found on the live page.
 */
describe('a captured page, replayed, reads the same as the live page', () => {
  const site = usePoSite({ pos: 12, seed: 9, heavyPages: true });

  it('finds the same attachments on the replayed copy of a realistic page (comments drawn late, files in comments)', async () => {
    const po = firstOfKind(site.sim, 'spread');
    const live = await runPo(site.context, site.sim, po, site.outDir);
    assert.equal(live.outcome.status, 'COMPLETED', live.outcome.errorMessage);

    const pages = await tempDir('coupa-po-');
    const replayOut = await tempDir('coupa-po-');
    try {
      const captured = await capturePoPage(site.context, { poNumber: po.poNumber, poId: po.id }, pages.path, {
        baseUrl: site.sim.url, signal: new AbortController().signal, navigationTimeoutMs: 15_000, settleTimeoutMs: 5_000, settleQuietMs: SETTLE_QUIET_MS, errorMarkers: [], maxBytes: 4 * 1024 * 1024,
      });
      assert.match(captured.reading, new RegExp(`^${String(po.expectedAttachmentsFound)} attachments? read$`));
      const replay = await startReplay({ folder: pages.path });
      try {
        const { options } = optionsFor(site.sim, replayOut.path, { baseUrl: replay.url });
        const replayed = await processPo(site.context, taskFor(po), options);
        assert.equal(replayed.status, 'COMPLETED', replayed.errorMessage);
        assert.deepEqual(replayed.files.map((file) => file.name).sort(), live.outcome.files.map((file) => file.name).sort());
      } finally {
        await replay.close();
      }
    } finally {
      await pages.remove();
      await replayOut.remove();
    }
  });
});
