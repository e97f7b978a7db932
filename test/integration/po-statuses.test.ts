import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { PoTruth } from '../../src/simulator/index.ts';
import { listFiles, workFolders } from '../support/output-tree.ts';
import { firstOfKind, runPo, sortedShas, usePoSite } from '../support/po-harness.ts';

describe('processPo ends each kind of PO with the status a correct run gives', () => {
  const site = usePoSite({ pos: 30, seed: 7, heavyPages: false });

  /** Runs the PO and checks status, counts, URL and every file's bytes on disk against the truth. */
  async function expectTruth(po: PoTruth) {
    const result = await runPo(site.context, site.sim, po, site.outDir);
    const { outcome } = result;
    assert.equal(outcome.status, po.expectedStatus);
    assert.equal(outcome.attachmentsFound, po.expectedAttachmentsFound);
    assert.equal(outcome.attachmentsDownloaded, po.expectedAttachmentsFound);
    assert.equal(outcome.coupaUrl, `${site.sim.url}${po.expectedCoupaUrlPath}`);
    assert.deepEqual(sortedShas(outcome.files.filter((file) => file.kind === 'file')), sortedShas(po.expectedFiles));
    for (const file of outcome.files) {
      const bytes = await readFile(join(site.outDir, file.relativePath));
      assert.equal(bytes.length, file.sizeBytes);
      assert.equal(createHash('sha256').update(bytes).digest('hex'), file.sha256);
    }
    assert.deepEqual(await workFolders(site.outDir), []);
    return result;
  }

  it('downloads files from the header, the lines and the comments: COMPLETED', async () => {
    const po = firstOfKind(site.sim, 'spread');
    const { outcome, recorded } = await expectTruth(po);
    assert.equal(outcome.supplier, po.supplier);
    assert.equal(outcome.folder, `${po.supplier.replace(/\s/g, '_')}/${po.poNumber}_COMPLETED`);
    assert.equal(recorded.saved.length, outcome.files.length);
    assert.ok(recorded.saved.every((file) => file.relativePath.includes('__WORK/')));
    assert.deepEqual(recorded.steps, ['opening', 'reading', 'settling', 'downloading', 'filing']);
  });

  it('clicks old-theme widgets lying under the floating bar: COMPLETED', async () => {
    const po = firstOfKind(site.sim, 'oldTheme');
    assert.ok(po.attachments.every((attachment) => attachment.widget === 'click'));
    await expectTruth(po);
  });

  it('saves URL attachments as .url shortcuts and Text attachments as .txt notes', async () => {
    const po = firstOfKind(site.sim, 'urlAndText');
    const { outcome } = await expectTruth(po);
    const url = po.attachments.find((attachment) => attachment.kind === 'url');
    const text = po.attachments.find((attachment) => attachment.kind === 'text');
    const shortcut = outcome.files.find((file) => file.kind === 'url');
    const note = outcome.files.find((file) => file.kind === 'text');
    assert.ok(url?.kind === 'url' && text?.kind === 'text' && shortcut !== undefined && note !== undefined);
    assert.match(shortcut.name, /\.url$/);
    assert.equal(await readFile(join(site.outDir, shortcut.relativePath), 'utf8'), `[InternetShortcut]\r\nURL=${url.url}\r\n`);
    assert.equal(await readFile(join(site.outDir, note.relativePath), 'utf8'), `${text.text}\r\n`);
  });

  it('waits for attachment lists that script inserts after the page loaded: COMPLETED', async () => {
    const po = firstOfKind(site.sim, 'late');
    assert.ok(po.lateMs !== null);
    await expectTruth(po);
  });

  it('takes the requisition\'s files when the PO has no PDF, with the requisition as COUPA_URL', async () => {
    const po = firstOfKind(site.sim, 'prFallback');
    const { outcome, recorded } = await expectTruth(po);
    assert.ok(recorded.steps.includes('requisition'));
    assert.ok(outcome.files.some((file) => file.origin === 'requisition'));
  });

  it('does not open the requisition when the PO has its PDF', async () => {
    const po = site.sim.truth.pos.find((candidate) => candidate.kind === 'normal' && candidate.requisitionId !== null);
    assert.ok(po !== undefined);
    const { recorded } = await expectTruth(po);
    assert.ok(!recorded.steps.includes('requisition'));
  });

  it('says PR_NOT_ACCESSIBLE when the requisition it needs is an error page', async () => {
    const { outcome } = await expectTruth(firstOfKind(site.sim, 'prForbidden'));
    assert.match(outcome.errorMessage, /requisition/i);
    assert.match(outcome.errorMessage, /not authorized|access denied/i);
  });

  it('says NO_ATTACHMENTS and makes no folder when neither page has any', async () => {
    const { outcome } = await expectTruth(firstOfKind(site.sim, 'noAttachments'));
    assert.equal(outcome.folder, '');
  });

  it('says PO_NOT_FOUND with Coupa\'s words, whichever error marker the page uses', async () => {
    const notFound = site.sim.truth.pos.filter((po) => po.kind === 'notFound');
    notFound.push({ ...firstOfKind(site.sim, 'notFound'), id: site.sim.truth.unknownPoId, poNumber: `PO${site.sim.truth.unknownPoId}`, expectedCoupaUrlPath: `/order_headers/${site.sim.truth.unknownPoId}` });
    for (const po of notFound) {
      const { outcome } = await expectTruth(po);
      assert.match(outcome.errorMessage, /oops|sorry|doesn't exist|desculpe/i);
      assert.equal(outcome.folder, '');
    }
  });

  it('says ACCESS_DENIED when Coupa says the user is not authorized', async () => {
    const { outcome } = await expectTruth(firstOfKind(site.sim, 'accessDenied'));
    assert.match(outcome.errorMessage, /not authorized|access denied/i);
  });

  it('does not mistake an ordinary notice for an error page', async () => {
    let withNotice: PoTruth | undefined;
    for (const po of site.sim.truth.pos.filter((candidate) => candidate.expectedStatus === 'COMPLETED')) {
      const html = await (await fetch(`${site.sim.url}/order_headers/${po.id}`)).text();
      if (html.includes('class="notice"')) {
        withNotice = po;
        break;
      }
    }
    assert.ok(withNotice !== undefined, 'the catalogue should hold a PO page with a notice');
    await expectTruth(withNotice);
  });

  it('downloads a file linked twice once', async () => {
    const po = firstOfKind(site.sim, 'linkedTwice');
    const { outcome } = await expectTruth(po);
    assert.equal(outcome.files.length, po.expectedFiles.length);
  });

  it('names Unicode, duplicate and unsafe file names safely and predictably', async () => {
    const po = firstOfKind(site.sim, 'trickyNames');
    const { outcome } = await expectTruth(po);
    const names = outcome.files.map((file) => file.name);
    assert.deepEqual(names.slice(0, 2), ['Invoice.pdf', 'Invoice (2).pdf']);
    for (const expected of ['Orçamento_nº5.pdf', '見積書.pdf', '_CON.pdf', 'a_b_.pdf', 'trailing', '100% sure #1.pdf', 'Quote _final_.pdf']) {
      assert.ok(names.includes(expected), `expected ${expected} among ${names.join(', ')}`);
    }
    const long = names.find((name) => name.startsWith('Contrato_de_prestacao'));
    assert.ok(long !== undefined && long.length === 150 && long.endsWith('.pdf'));
    const onDisk = await listFiles(join(site.outDir, outcome.folder));
    assert.deepEqual(onDisk, [...names].sort());
    for (const name of names) assert.ok((await stat(join(site.outDir, outcome.folder, name))).isFile());
  });
});
