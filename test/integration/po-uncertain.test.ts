import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ResourceFaults } from '../../src/simulator/index.ts';
import { firstOfKind, runPo, sortedShas, usePoSite } from '../support/po-harness.ts';

/**
 * The simulator's pages the reader cannot be sure of: each must end NEEDS_REVIEW (never COMPLETED
 * nor NO_ATTACHMENTS) with the reason in words and a copy of the page, or with the error status
 * the page's structure gives — never a guess.
 */
describe('pages the reader cannot be sure of, on the simulator', () => {
  const site = usePoSite({ pos: 12, seed: 5, heavyPages: false });
  const options = { settleTimeoutMs: 1_500 };

  async function withFault(faults: ResourceFaults, kind: 'normal' | 'spread' | 'noAttachments' = 'spread') {
    const po = firstOfKind(site.sim, kind);
    site.sim.setFaults({ byPo: { [po.id]: { scope: 'pages', ...faults } } });
    try {
      return { po, ...(await runPo(site.context, site.sim, po, site.outDir, options)) };
    } finally {
      site.sim.setFaults({});
    }
  }

  for (const [name, faults, says] of [
    ['the comments app never renders', { commentsAppFails: true }, /comments app had not rendered/],
    ['the page counts more comments and files than it shows', { countsMore: true }, /the page counts \d+ comments? but \d+ (was|were) read/],
    ['an attachment item of a kind nobody knows', { unknownAttachmentItem: true }, /cannot classify/],
    ['a spinner stays in the attachments for good', { spinnerForever: true }, /still showed a loading sign/],
    ['a new theme: the PO named, no attachments field', { newTheme: true }, /no attachments field this tool knows/],
  ] as const) {
    it(`says NEEDS_REVIEW, with the reason and a copy of the page, when ${name}`, async () => {
      const { outcome, po } = await withFault(faults);
      assert.equal(outcome.status, 'NEEDS_REVIEW', outcome.errorMessage);
      assert.match(outcome.errorMessage, says);
      assert.ok(existsSync(join(site.outDir, outcome.savedPage, 'page.html')), outcome.savedPage);
      // An unknown item takes nothing from the rest: every file the truth knows is downloaded all the same.
      if ('unknownAttachmentItem' in faults) assert.deepEqual(sortedShas(outcome.files.filter((file) => file.kind === 'file')), sortedShas(po.expectedFiles));
    });
  }

  it('never says NO_ATTACHMENTS for an empty-looking PO whose comments app did not render', async () => {
    const { outcome } = await withFault({ commentsAppFails: true }, 'noAttachments');
    assert.equal(outcome.status, 'NEEDS_REVIEW');
  });

  it('ends PO_NOT_FOUND at once for a whole page that is not the PO', async () => {
    const { outcome } = await withFault({ notThisPo: true });
    assert.equal(outcome.status, 'PO_NOT_FOUND');
    assert.match(outcome.errorMessage, /not PO \d+/);
  });

  it('reads HTTP 404 and 410 as PO_NOT_FOUND, and 403 on a live session as ACCESS_DENIED', async () => {
    assert.equal((await withFault({ httpStatus: 404 })).outcome.status, 'PO_NOT_FOUND');
    assert.equal((await withFault({ httpStatus: 410 })).outcome.status, 'PO_NOT_FOUND');
    assert.equal((await withFault({ httpStatus: 403 })).outcome.status, 'ACCESS_DENIED');
  });

  it('reads localized error flashes by their place on the page, in German and French', async () => {
    assert.equal((await withFault({ flashError: { kind: 'notFound', language: 'de' } })).outcome.status, 'PO_NOT_FOUND');
    assert.equal((await withFault({ flashError: { kind: 'accessDenied', language: 'fr' } })).outcome.status, 'ACCESS_DENIED');
  });
});
