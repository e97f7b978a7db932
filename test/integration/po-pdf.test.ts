import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { extractText, getDocumentProxy } from 'unpdf';
import { DEFAULT_PO_PRINT_SETTINGS } from '../../src/coupa/po-print.ts';
import { folderSegment } from '../../src/domain/folder-name.ts';
import type { PoTruth } from '../../src/simulator/index.ts';
import { listFiles } from '../support/output-tree.ts';
import { runPo, usePoSite } from '../support/po-harness.ts';
import { tempDir } from '../support/temp-dir.ts';

async function pdfText(path: string): Promise<string> {
  const { text } = await extractText(await getDocumentProxy(new Uint8Array(await readFile(path))), { mergePages: true });
  return text.replace(/\s+/g, ' ');
}

/** The PO printed into its folder while it is processed (`--save-po-pdf`): never an attachment. */
describe('processPo with the PO PDF asked for', () => {
  const site = usePoSite({ pos: 40, seed: 1, heavyPages: false });
  const poPdf = DEFAULT_PO_PRINT_SETTINGS;
  const po = (predicate: (truth: PoTruth) => boolean): PoTruth => site.sim.truth.pos.find(predicate) ?? assert.fail('no such PO in the catalogue');

  it('prints the PO into its folder, holding its number and supplier, and leaves the attachments and their counts as they are', async () => {
    const out = await tempDir('coupa-po-');
    try {
      const truth = po((candidate) => candidate.expectedStatus === 'COMPLETED' && candidate.supplier !== '' && !candidate.opensRequisition);
      const { outcome } = await runPo(site.context, site.sim, truth, out.path, { poPdf });
      assert.equal(outcome.status, 'COMPLETED');
      assert.equal(outcome.attachmentsFound, truth.expectedAttachmentsFound);
      assert.equal(outcome.attachmentsDownloaded, truth.expectedAttachmentsFound);
      assert.ok(!outcome.files.some((file) => file.name === `${truth.poNumber}.pdf`), 'not among the attachments');
      assert.equal(outcome.poPdf?.relativePath, `${outcome.folder}/${truth.poNumber}.pdf`);
      assert.equal(outcome.poPdf?.sourceUrl, `${site.sim.url}/order_headers/print_view?id=${truth.id}&version=1`);
      const text = await pdfText(join(out.path, outcome.poPdf?.relativePath ?? ''));
      assert.ok(text.includes(`PO${truth.id}`) && text.includes(truth.supplier), text);
      assert.deepEqual(await listFiles(out.path), [...outcome.files.map((file) => file.relativePath), outcome.poPdf?.relativePath].sort());
    } finally {
      await out.remove();
    }
  });

  it('still reads the requisition of a PO without a PDF attachment: the PO PDF does not count for the fallback', async () => {
    const out = await tempDir('coupa-po-');
    try {
      const truth = po((candidate) => candidate.expectedStatus === 'COMPLETED' && candidate.opensRequisition);
      const { outcome } = await runPo(site.context, site.sim, truth, out.path, { poPdf });
      assert.equal(outcome.status, 'COMPLETED');
      assert.equal(outcome.coupaUrl, `${site.sim.url}${truth.expectedCoupaUrlPath}`);
      assert.equal(outcome.attachmentsFound, truth.expectedAttachmentsFound);
      // The requisition took the PO page's tab; the print view is printed all the same.
      assert.equal(outcome.poPdf?.sourceUrl, `${site.sim.url}/order_headers/print_view?id=${truth.id}&version=1`);
    } finally {
      await out.remove();
    }
  });

  it('gives a PO with no attachments a folder for its PDF and leaves it NO_ATTACHMENTS', async () => {
    const out = await tempDir('coupa-po-');
    try {
      const truth = po((candidate) => candidate.expectedStatus === 'NO_ATTACHMENTS');
      const { outcome } = await runPo(site.context, site.sim, truth, out.path, { poPdf });
      assert.equal(outcome.status, 'NO_ATTACHMENTS');
      assert.deepEqual([outcome.attachmentsFound, outcome.attachmentsDownloaded, outcome.files.length], [0, 0, 0]);
      assert.equal(outcome.folder, `${folderSegment(truth.supplier)}/${truth.poNumber}_NO_ATTACHMENTS`);
      assert.deepEqual(await listFiles(out.path), [`${outcome.folder}/${truth.poNumber}.pdf`]);
    } finally {
      await out.remove();
    }
  });

  it('ends PARTIAL with a message, its files kept and its page copied, when the PO cannot be printed', async () => {
    const out = await tempDir('coupa-po-');
    const truth = po((candidate) => candidate.expectedStatus === 'COMPLETED' && !candidate.opensRequisition);
    // The print view fails, and so does the PO page when it is opened again to be printed instead.
    let poPageLoads = 0;
    await site.context.route(`${site.sim.url}/order_headers/**`, async (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path === '/order_headers/print_view' || (path === `/order_headers/${truth.id}` && ++poPageLoads > 1)) return route.fulfill({ status: 500, body: 'Internal Server Error' });
      return route.fallback();
    });
    try {
      const { outcome } = await runPo(site.context, site.sim, truth, out.path, { poPdf });
      assert.equal(outcome.status, 'PARTIAL');
      assert.match(outcome.errorMessage, /^The PO could not be saved as PDF: the print view \(.+\) answered HTTP 500; the PO page answered HTTP 500\.$/);
      assert.equal(outcome.attachmentsDownloaded, truth.expectedAttachmentsFound);
      assert.equal(outcome.poPdf, undefined);
      assert.ok(existsSync(join(out.path, outcome.savedPage, 'page.html')), 'a PARTIAL PO keeps a copy of its page');
      assert.deepEqual(await listFiles(out.path).then((files) => files.filter((file) => !file.startsWith('.'))), outcome.files.map((file) => file.relativePath).sort());
    } finally {
      await site.context.unrouteAll({ behavior: 'wait' });
      await out.remove();
    }
  });

  it('keeps an earlier attachment that a retry did not get again, but not what an earlier run made from the downloads', async () => {
    const out = await tempDir('coupa-po-');
    try {
      const truth = po((candidate) => candidate.expectedStatus === 'COMPLETED' && !candidate.opensRequisition && candidate.attachments.filter((a) => a.kind === 'file').length >= 2);
      const failing = truth.attachments.find((a) => a.kind === 'file');
      assert.ok(failing);
      const earlier = `${folderSegment(truth.supplier)}/${truth.poNumber}_PARTIAL`;
      await mkdir(join(out.path, earlier), { recursive: true });
      // An attachment named like the PO PDF, the PO PDF and a mail's PDF of the run before.
      for (const name of [`${truth.poNumber}.pdf`, 'earlier PO.pdf', 'RE Approval.msg.pdf']) await writeFile(join(out.path, earlier, name), `made before: ${name}`);
      await mkdir(join(out.path, earlier, 'RE Approval.msg attachments'));
      await writeFile(join(out.path, earlier, 'RE Approval.msg attachments', 'offer.pdf'), 'taken out of a mail');
      const derivedFiles = new Set([`${earlier}/earlier PO.pdf`, `${earlier}/RE Approval.msg.pdf`, `${earlier}/RE Approval.msg attachments/offer.pdf`]);
      site.sim.setFaults({ byAttachment: { [failing.attId]: { serverErrorTimes: 1000 } } });
      const { outcome } = await runPo(site.context, site.sim, truth, out.path, { poPdf, derivedFiles, maxDownloadAttempts: 1 });
      assert.equal(outcome.status, 'PARTIAL');
      const names = await readdir(join(out.path, outcome.folder));
      assert.ok(!names.includes('earlier PO.pdf') && !names.includes('RE Approval.msg.pdf') && !names.includes('RE Approval.msg attachments'), names.join(' | '));
      assert.equal(outcome.poPdf?.name, `${truth.poNumber}.pdf`);
      const kept = outcome.files.find((file) => file.name === `${truth.poNumber} (2).pdf`);
      assert.ok(kept, 'the earlier attachment named like the PO PDF is kept under the next name');
      assert.equal(await readFile(join(out.path, kept.relativePath), 'utf8'), `made before: ${truth.poNumber}.pdf`);
    } finally {
      site.sim.setFaults({});
      await out.remove();
    }
  });
});
