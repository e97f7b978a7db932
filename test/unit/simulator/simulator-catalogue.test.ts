import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_MIX, PO_KINDS, assignKinds, resolveMix } from '../../../src/simulator/catalogue-mix.ts';
import { buildCatalogue } from '../../../src/simulator/catalogue.ts';
import { buildTruth, truthFor, type CatalogueTruth } from '../../../src/simulator/catalogue-truth.ts';
import { fileFormatOf } from '../../../src/simulator/file-content.ts';
import { FileStore } from '../../../src/simulator/file-store.ts';

function truthOf(pos: number, seed = 1, mix = DEFAULT_MIX): CatalogueTruth {
  const catalogue = buildCatalogue({ seed, pos, mix, fileSizeBytes: { min: 2048, max: 4096 } });
  return buildTruth(catalogue, new FileStore(seed, catalogue.files));
}

describe('simulator catalogue', () => {
  it('is the same for the same seed, down to the file digests', () => {
    assert.equal(JSON.stringify(truthOf(40, 7)), JSON.stringify(truthOf(40, 7)));
  });

  it('differs for another seed', () => {
    assert.notEqual(JSON.stringify(truthOf(40, 7)), JSON.stringify(truthOf(40, 8)));
  });

  it('holds every PO kind of the default mix at least once in a 200-PO catalogue and in a 20-PO one', () => {
    const weighted = PO_KINDS.filter((kind) => DEFAULT_MIX[kind] > 0);
    for (const size of [200, 20]) {
      const kinds = new Set(truthOf(size).pos.map((po) => po.kind));
      assert.deepEqual([...kinds].sort(), [...weighted].sort(), `catalogue of ${String(size)}`);
    }
  });

  it('numbers POs from 100001 and gives some a PM prefix', () => {
    const truth = truthOf(20);
    assert.equal(truth.pos[0]?.id, '100001');
    assert.equal(truth.firstPoId, '100001');
    assert.equal(truth.lastPoId, '100020');
    assert.ok(truth.pos.some((po) => po.poNumber.startsWith('PM')));
    assert.ok(truth.pos.every((po) => po.poNumber.endsWith(po.id)));
  });

  it('leaves out kinds whose weight is 0, and draws only the weighted ones', () => {
    const kinds = assignKinds(50, resolveMix({ ...Object.fromEntries(PO_KINDS.map((kind) => [kind, 0])), normal: 1, late: 1 }), 1);
    assert.deepEqual([...new Set(kinds)].sort(), ['late', 'normal']);
  });

  it('rejects negative and all-zero weights with a message naming them', () => {
    assert.throws(() => resolveMix({ normal: -1 }), /`mix.normal`/);
    assert.throws(() => resolveMix(Object.fromEntries(PO_KINDS.map((kind) => [kind, 0]))), /at least one/);
  });

  it('has a supplier with folder-unsafe characters and an empty supplier', () => {
    const suppliers = truthOf(20).pos.map((po) => po.supplier);
    assert.ok(suppliers.includes('A&B / Co: "Ltd"'));
    assert.ok(suppliers.includes(''));
  });

  it('expects COMPLETED with the PO page as source when the PO has a PDF, even if its requisition has files', () => {
    for (const po of truthOf(200).pos.filter((p) => ['normal', 'spread', 'oldTheme', 'urlAndText', 'late', 'trickyNames', 'linkedTwice'].includes(p.kind))) {
      assert.equal(po.expectedStatus, 'COMPLETED', po.id);
      assert.equal(po.opensRequisition, false, po.id);
      assert.equal(po.expectedCoupaUrlPath, `/order_headers/${po.id}`);
      assert.ok(po.expectedFiles.every((file) => file.origin === 'po'));
      assert.ok(po.expectedFiles.some((file) => fileFormatOf(file.name) === 'pdf'));
    }
  });

  it('expects the requisition files (and the PO own ones) for PR fallback, with the requisition as source', () => {
    const fallbacks = truthOf(200).pos.filter((po) => po.kind === 'prFallback');
    assert.ok(fallbacks.length > 1);
    for (const po of fallbacks) {
      assert.equal(po.expectedStatus, 'COMPLETED');
      assert.equal(po.expectedCoupaUrlPath, `/requisition_headers/${po.requisitionId ?? ''}`);
      assert.ok(po.expectedFiles.some((file) => file.origin === 'requisition' && fileFormatOf(file.name) === 'pdf'));
      const own = po.attachments.filter((a) => a.origin === 'po' && a.kind === 'file').length;
      assert.equal(po.expectedFiles.filter((file) => file.origin === 'po').length, own);
    }
  });

  it('expects PR_NOT_ACCESSIBLE, NO_ATTACHMENTS, PO_NOT_FOUND and ACCESS_DENIED for their kinds', () => {
    const truth = truthOf(200);
    const statusOf = { prForbidden: 'PR_NOT_ACCESSIBLE', noAttachments: 'NO_ATTACHMENTS', notFound: 'PO_NOT_FOUND', accessDenied: 'ACCESS_DENIED' } as const;
    for (const [kind, status] of Object.entries(statusOf)) {
      const pos = truth.pos.filter((po) => po.kind === kind);
      assert.ok(pos.length > 0, kind);
      for (const po of pos) assert.equal(po.expectedStatus, status, `${po.id} (${kind})`);
    }
    for (const po of truth.pos.filter((p) => p.kind === 'noAttachments' || p.kind === 'notFound')) assert.deepEqual(po.expectedFiles, []);
  });

  it('counts a file linked twice once', () => {
    const po = truthOf(20).pos.find((p) => p.kind === 'linkedTwice');
    assert.ok(po);
    const shared = po.attachments.filter((a) => a.kind === 'file' && a.origin === 'po').map((a) => a.attId);
    assert.ok(shared.length > new Set(shared).size, 'one attId appears twice');
    assert.equal(po.expectedFiles.length, new Set(shared).size);
    assert.ok(po.attachments.some((a) => a.where === 'header') && po.attachments.some((a) => a.where === 'comment'));
  });

  it('gives the tricky-names PO duplicates with different bytes, Unicode and Windows-unsafe names', () => {
    const po = truthOf(20).pos.find((p) => p.kind === 'trickyNames');
    assert.ok(po);
    const names = po.expectedFiles.map((file) => file.name);
    for (const name of ['Orçamento_nº5.pdf', '見積書.pdf', 'CON.pdf', 'a:b?.pdf', 'trailing. ']) assert.ok(names.includes(name), name);
    assert.ok(names.some((name) => name.length > 200));
    const invoices = po.expectedFiles.filter((file) => file.name === 'Invoice.pdf');
    assert.equal(invoices.length, 2);
    assert.notEqual(invoices[0]?.sha256, invoices[1]?.sha256);
  });

  it('marks old-theme files as click widgets, and URL and Text attachments with their url and text', () => {
    const truth = truthOf(20);
    const old = truth.pos.find((p) => p.kind === 'oldTheme');
    assert.ok(old?.attachments.every((a) => a.kind !== 'file' || a.widget === 'click'));
    const mixed = truth.pos.find((p) => p.kind === 'urlAndText');
    const url = mixed?.attachments.find((a) => a.kind === 'url');
    const text = mixed?.attachments.find((a) => a.kind === 'text');
    assert.ok(url?.kind === 'url' && url.url.startsWith('https://'));
    assert.ok(text?.kind === 'text' && text.text.length > 0);
    assert.equal(mixed?.expectedAttachmentsFound, 3);
  });

  it('finds a PO truth by id or by PO number with either prefix', () => {
    const truth = truthOf(20);
    assert.equal(truthFor(truth, '100005')?.id, '100005');
    assert.equal(truthFor(truth, 'PO100005')?.id, '100005');
    assert.equal(truthFor(truth, 'pm100005')?.id, '100005');
    assert.equal(truthFor(truth, 100005)?.id, '100005');
    assert.equal(truthFor(truth, truth.unknownPoId), undefined);
  });
});
