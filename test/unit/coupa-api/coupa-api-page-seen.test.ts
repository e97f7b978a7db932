import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApiAttachment } from '../../../src/coupa-api/api-attachment.ts';
import { scrubbed } from '../../../src/coupa-api/api-evidence.ts';
import { fileWebUrl, lookupErrorSeen, poReading, requisitionReading } from '../../../src/coupa-api/api-page-seen.ts';
import type { FoundPo } from '../../../src/coupa-api/po-resolver.ts';
import { nextStep, START, type PoFacts } from '../../../src/coupa/po-steps.ts';

const BASE = 'https://acme.coupahost.com';

function attachment(fields: Partial<ApiAttachment> & Pick<ApiAttachment, 'id' | 'kind'>): ApiAttachment {
  return {
    type: { file: 'AttachmentFile', url: 'AttachmentUrl', text: 'AttachmentText', other: 'AttachmentWidget' }[fields.kind],
    intent: 'Supplier', fileName: null, contentType: null, sizeBytes: null, fileUrl: null, url: null, text: null, createdAt: null,
    where: 'header', parentId: '100001', lineNum: null, ownPath: `/api/purchase_orders/100001/attachments/${fields.id}`,
    ...fields,
  };
}

const po: FoundPo = {
  kind: 'found', poId: '100001', poNumber: 'PO100001', matchedForm: 'as-written', query: 'PO100001',
  supplier: { id: '7', name: '  Acme Industrial Supply ' }, requisitionId: '700001', headerAttachments: null,
};

describe('the API answers as the PageSeen the PO steps decide from', () => {
  it('gives the PO its supplier and requisition page, every attachment as a page shows it, settled, with no pages of lines', () => {
    const reading = poReading(BASE, po, {
      header: [attachment({ id: '900001', kind: 'file', fileName: 'Quote Q-1.docx' }), attachment({ id: '900002', kind: 'url', url: 'https://portal.example.com' })],
      lines: [attachment({ id: '900003', kind: 'text', text: '  Deliver to dock 4 \n', where: 'line', parentId: '100001001' })],
      comments: [attachment({ id: '900001', kind: 'file', fileName: 'Quote Q-1.docx', where: 'comment', parentId: '10000101' })],
    });
    const { seen, files } = reading;
    assert.equal(seen.url, `${BASE}/order_headers/100001`);
    assert.equal(seen.settled, true);
    assert.deepEqual(seen.review, []);
    assert.ok(seen.view.kind === 'ready');
    assert.equal(seen.view.supplier, 'Acme Industrial Supply');
    assert.equal(seen.view.requisitionUrl, `${BASE}/requisition_headers/700001`);
    assert.deepEqual(seen.view.linePages, []);
    assert.deepEqual(seen.attachments.map((a) => [a.kind, a.url, a.label, a.text, a.place]), [
      ['file', `${BASE}/attachment/attachment_file/file/900001/Quote%20Q-1.docx`, 'Quote Q-1.docx', '', 'header'],
      ['url', 'https://portal.example.com/', 'https://portal.example.com', '', 'header'],
      ['text', '', 'Deliver to dock 4', 'Deliver to dock 4', 'line'],
      ['file', `${BASE}/attachment/attachment_file/file/900001/Quote%20Q-1.docx`, 'Quote Q-1.docx', '', 'comment'],
    ]);
    assert.deepEqual([...files.keys()], [fileWebUrl(BASE, { id: '900001', fileName: 'Quote Q-1.docx' })]);

    // The steps queue the file linked twice once, and (no PDF) go on to the requisition.
    const facts: PoFacts = { ...START, po: seen };
    const first = nextStep(facts, `${BASE}/order_headers/100001`);
    assert.ok(first.step === 'download');
    assert.equal(first.attachments.length, 3);
    const queued: PoFacts = { ...facts, queued: new Set(first.attachments.map(({ key }) => key)) };
    assert.deepEqual(nextStep(queued, `${BASE}/order_headers/100001`), { step: 'read-requisition', url: `${BASE}/requisition_headers/700001` });
  });

  it('asks a person to look at an attachment of a type it does not know, or one with nothing in it, never dropping it silently', () => {
    const { seen } = poReading(BASE, { ...po, requisitionId: null }, {
      header: [attachment({ id: '900009', kind: 'other', type: 'AttachmentHologram' }), attachment({ id: '900010', kind: 'text', text: ' ' })],
      lines: [],
      comments: [],
    });
    assert.deepEqual(seen.review, ['an attachment of a type this tool does not know: AttachmentHologram (id 900009)', 'a Text attachment with no text (id 900010)']);
    const end = nextStep({ ...START, po: seen }, `${BASE}/order_headers/100001`);
    assert.ok(end.step === 'end');
    assert.equal(end.verdict.status, 'NEEDS_REVIEW');
  });

  it('ends a PO the lookup did not find PO_NOT_FOUND, naming the numbers tried, and a refused one ACCESS_DENIED', () => {
    const url = `${BASE}/order_headers/100008`;
    const notFound = lookupErrorSeen(url, { kind: 'notFound', tried: ['PO100008', '100008'] });
    const refused = lookupErrorSeen(url, { kind: 'accessDenied', form: 'as-written', query: 'PO100009', message: 'You are not authorized' });
    assert.deepEqual(notFound.view, { kind: 'error', status: 'PO_NOT_FOUND', message: "Coupa's API has no PO numbered PO100008 or 100008" });
    assert.deepEqual(refused.view, { kind: 'error', status: 'ACCESS_DENIED', message: "Coupa's API refused PO PO100009 (HTTP 403): You are not authorized" });
    const end = nextStep({ ...START, po: refused }, url);
    assert.ok(end.step === 'end');
    assert.equal(end.verdict.status, 'ACCESS_DENIED');
  });

  it('makes a refused requisition an error page, so the PO ends PR_NOT_ACCESSIBLE as in the browser', () => {
    const { seen } = poReading(BASE, po, { header: [attachment({ id: '900001', kind: 'file', fileName: 'Quote.docx' })], lines: [], comments: [] });
    const requisition = requisitionReading(BASE, '700001', { kind: 'accessDenied', message: 'You are not authorized to view requisition 700001.' });
    assert.equal(requisition.seen.view.kind, 'error');
    const facts: PoFacts = { po: seen, requisition: requisition.seen, queued: new Set([`file ${fileWebUrl(BASE, { id: '900001', fileName: 'Quote.docx' })}`]), downloads: { saved: [], failures: [] } };
    const end = nextStep(facts, `${BASE}/order_headers/100001`);
    assert.ok(end.step === 'end');
    assert.equal(end.verdict.status, 'PR_NOT_ACCESSIBLE');
    assert.match(end.verdict.message, /requisition_headers\/700001: Coupa's API refused requisition 700001 \(HTTP 403\)/);
  });
});

describe('API answers kept as evidence', () => {
  it('removes signatures and tokens from URLs inside the answers, and leaves everything else as Coupa sent it', () => {
    const answer = [{ id: 900001, 'file-url': 'https://files.example.com/a.pdf?X-Amz-Signature=abc&X-Amz-Expires=60&version=2', name: 'a?b', url: 'https://portal.example.com/x?id=5' }];
    assert.deepEqual(scrubbed(answer), [{ id: 900001, 'file-url': 'https://files.example.com/a.pdf?version=2', name: 'a?b', url: 'https://portal.example.com/x?id=5' }]);
  });
});
