import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_MIX, PO_KINDS, type PageStyle, type SimulatorOptions } from '../../src/simulator/index.ts';
import { workFolders } from '../support/output-tree.ts';
import { runPo, sortedShas, usePoSite } from '../support/po-harness.ts';

/**
 * Every kind of PO the simulator has, in every way a page can bring its attachments (all in the
 * HTML, inserted by a late script, fetched by XHR after `load`, placeholders replaced after `load`,
 * a lines table spread over pages, the comments app mounted by a late bundle), must end exactly as
 * the truth says, with every file on disk with its bytes. A reader that concludes early fails here.
 */

const STYLES: readonly { style: PageStyle; more?: Partial<SimulatorOptions> }[] = [
  { style: 'server' },
  { style: 'realistic', more: { fileHost: 'storage' } },
  { style: 'lateScript' },
  { style: 'xhrAfterLoad' },
  { style: 'placeholder' },
  { style: 'paginated' },
];

// One PO of each kind, manyLines included (200 lines over many pages).
const EVERY_KIND = { ...DEFAULT_MIX, manyLines: 1 };

for (const { style, more } of STYLES) {
  describe(`every kind of PO, pages in the ${style} style${more?.fileHost === 'storage' ? ', files on a storage host' : ''}`, () => {
    const site = usePoSite({ pos: PO_KINDS.length, seed: 11, mix: EVERY_KIND, heavyPages: false, pageStyle: style, ...more });

    it('ends each PO with its true status, every file once with its bytes, nothing left half done', async () => {
      const problems: string[] = [];
      for (const po of site.sim.truth.pos) {
        const { outcome } = await runPo(site.context, site.sim, po, site.outDir);
        const where = `${po.poNumber} (${po.kind})`;
        if (outcome.status !== po.expectedStatus) problems.push(`${where}: ${outcome.status}, expected ${po.expectedStatus} (${outcome.errorMessage})`);
        if (outcome.attachmentsFound !== po.expectedAttachmentsFound) problems.push(`${where}: ${outcome.attachmentsFound} attachments found, expected ${po.expectedAttachmentsFound}`);
        const shas = sortedShas(outcome.files.filter((file) => file.kind === 'file'));
        if (shas.join() !== sortedShas(po.expectedFiles).join()) problems.push(`${where}: files ${outcome.files.map((file) => file.name).join(', ')} differ from the truth`);
        for (const file of outcome.files) {
          const bytes = await readFile(join(site.outDir, file.relativePath));
          if (createHash('sha256').update(bytes).digest('hex') !== file.sha256) problems.push(`${where}: ${file.name} has other bytes on disk`);
        }
      }
      assert.deepEqual(problems, []);
      assert.deepEqual(await workFolders(site.outDir), []);
    });
  });
}
