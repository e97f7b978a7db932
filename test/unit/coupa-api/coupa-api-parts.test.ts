import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAttachment, parseAttachments } from '../../../src/coupa-api/api-attachment.ts';
import { bearerChallenge, parseRetryAfterMs } from '../../../src/coupa-api/api-errors.ts';
import { apiPath } from '../../../src/coupa-api/api-paging.ts';
import { errorText } from '../../../src/coupa-api/api-transport.ts';
import { isApiAnswer } from '../../../src/coupa-api/file-download.ts';
import { numberForms } from '../../../src/coupa-api/po-resolver.ts';
import { CoupaDlError } from '../../../src/domain/errors.ts';

describe('API client parts', () => {
  it('tries a PO number as written, then without its PO/PM prefix (any case, one separator)', () => {
    assert.deepEqual(numberForms('PO15262984', ['PO', 'PM']), [
      { form: 'as-written', value: 'PO15262984' },
      { form: 'without-prefix', value: '15262984' },
    ]);
    assert.deepEqual(numberForms(' pm-0158122 ', ['PO', 'PM']).map((f) => f.value), ['pm-0158122', '0158122']);
    assert.deepEqual(numberForms('15262984', ['PO', 'PM']).map((f) => f.form), ['as-written']);
    assert.deepEqual(numberForms('POX12', ['PO', 'POX']).map((f) => f.value), ['POX12', '12'], 'the longest prefix wins');
    assert.deepEqual(numberForms('PO', ['PO']).map((f) => f.value), ['PO'], 'nothing left after the prefix');
  });

  it('takes a JSON, XML or HTML answer for an API answer unless the file itself is of that type', () => {
    const pdf = { contentType: 'application/pdf', fileName: 'Quote.pdf' };
    assert.equal(isApiAnswer('application/json; charset=utf-8', pdf), true);
    assert.equal(isApiAnswer('application/xml', pdf), true);
    assert.equal(isApiAnswer('text/html; charset=utf-8', pdf), true);
    assert.equal(isApiAnswer('application/pdf', pdf), false);
    assert.equal(isApiAnswer('application/octet-stream', pdf), false);
    assert.equal(isApiAnswer(null, pdf), false);
    assert.equal(isApiAnswer('application/json', { contentType: 'application/json', fileName: 'export.json' }), false);
    assert.equal(isApiAnswer('text/xml', { contentType: null, fileName: 'invoice.xml' }), false);
    assert.equal(isApiAnswer('image/svg+xml', { contentType: null, fileName: 'logo.svg' }), false);
  });

  it('types an attachment record: kind from type, size from the string file-file-size, its own endpoint', () => {
    const attachment = parseAttachment(
      { id: 900001, type: 'AttachmentFile', intent: 'Supplier', 'file-file-name': 'Quote.pdf', 'file-content-type': 'application/pdf', 'file-file-size': '2048', 'file-url': 'https://x/y' },
      { where: 'line', parentId: '100001007', lineNum: '7' },
    );
    assert.equal(attachment.kind, 'file');
    assert.equal(attachment.sizeBytes, 2048);
    assert.equal(attachment.ownPath, '/api/purchase_order_lines/100001007/attachments/900001');
    assert.equal(attachment.lineNum, '7');
    assert.equal(parseAttachment({ id: 2, type: 'AttachmentUrl', url: 'https://e' }, { where: 'header', parentId: '1' }).kind, 'url');
    assert.equal(parseAttachment({ id: 3, type: 'SomethingNew' }, { where: 'comment', parentId: '5' }).ownPath, '/api/comments/5/attachments/3');
    assert.equal(parseAttachment({ id: 3, type: 'AttachmentFile', 'file-file-size': 'n/a' }, { where: 'header', parentId: '1' }).sizeBytes, null);
    assert.throws(() => parseAttachment({ type: 'AttachmentFile' }, { where: 'header', parentId: '1' }), (error: unknown) => error instanceof CoupaDlError && error.code === 'UNEXPECTED');
    assert.equal(parseAttachments(undefined, { where: 'header', parentId: '1' }), null, 'not in the answer');
    assert.deepEqual(parseAttachments(null, { where: 'header', parentId: '1' }), []);
  });

  it('reads Retry-After as seconds or an HTTP date, and the parts of a Bearer challenge', () => {
    assert.equal(parseRetryAfterMs('2'), 2000);
    assert.equal(parseRetryAfterMs('0.5'), 500);
    assert.equal(parseRetryAfterMs('Wed, 21 Oct 2015 07:28:05 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')), 5000);
    assert.equal(parseRetryAfterMs(null), undefined);
    assert.equal(parseRetryAfterMs('soon'), undefined);
    assert.deepEqual(bearerChallenge('Bearer realm="Coupa", error="insufficient_scope", scope="core.requisition.read"'), { realm: 'Coupa', error: 'insufficient_scope', scope: 'core.requisition.read' });
    assert.deepEqual(bearerChallenge(null), {});
  });

  it('finds the message in Coupa\'s JSON and XML error bodies', () => {
    assert.equal(errorText('{"errors":{"account":["Segment 1 can\'t be blank"]}}'), "Segment 1 can't be blank");
    assert.equal(errorText('<?xml version="1.0"?><errors><error>No results match your search criteria.</error></errors>'), 'No results match your search criteria.');
    assert.equal(errorText('<html>oops</html>'), null);
  });

  it('builds queries with fields as JSON, or return_object when no fields are given', () => {
    assert.equal(apiPath('/api/purchase_orders', { 'po-number': 'PO 1' }), '/api/purchase_orders?po-number=PO+1');
    const path = apiPath('/api/x', { offset: '50' }, { fields: ['id', { supplier: ['name'] }], returnObject: 'shallow' });
    assert.equal(new URL(path, 'http://h').searchParams.get('fields'), '["id",{"supplier":["name"]}]');
    assert.equal(new URL(path, 'http://h').searchParams.get('return_object'), null);
    assert.equal(apiPath('/api/x', {}, { returnObject: 'limited' }), '/api/x?return_object=limited');
  });
});
