import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { downloadName, fileNameFromContentDisposition, lastUrlSegment } from '../../../src/coupa/download-name.ts';

describe('fileNameFromContentDisposition', () => {
  it('prefers the RFC 5987 UTF-8 name over the ASCII fallback', () => {
    const header = `attachment; filename="Or_amento.pdf"; filename*=UTF-8''Or%C3%A7amento%20n%C2%BA5.pdf`;
    assert.equal(fileNameFromContentDisposition(header), 'Orçamento nº5.pdf');
  });

  it('reads a quoted name with escaped quotes', () => {
    assert.equal(fileNameFromContentDisposition('attachment; filename="Quote \\"final\\".pdf"'), 'Quote "final".pdf');
  });

  it('reads a bare token name', () => {
    assert.equal(fileNameFromContentDisposition('attachment; filename=report.pdf'), 'report.pdf');
  });

  it('decodes ISO-8859-1 extended names', () => {
    assert.equal(fileNameFromContentDisposition("attachment; filename*=iso-8859-1'en'caf%E9.txt"), 'café.txt');
  });

  it('falls back to filename= when the extended value is malformed', () => {
    assert.equal(fileNameFromContentDisposition(`attachment; filename*=UTF-8''%E0%A4%A; filename="plain.pdf"`), 'plain.pdf');
  });

  it('returns null when there is no name', () => {
    assert.equal(fileNameFromContentDisposition('attachment'), null);
    assert.equal(fileNameFromContentDisposition('inline; filename=""'), null);
  });
});

describe('downloadName', () => {
  const url = 'https://acme.coupahost.com/attachment/attachment_file/file/900001/Q1%20plan.pdf';

  it('takes the server\'s name first', () => {
    assert.equal(downloadName({ contentDisposition: 'attachment; filename="server.pdf"', label: 'page.pdf', url }), 'server.pdf');
  });

  it('takes the link\'s title or text when the server gives no name', () => {
    assert.equal(downloadName({ contentDisposition: undefined, label: ' page.pdf ', url }), 'page.pdf');
  });

  it('takes the URL\'s last segment, decoded, as a last resort', () => {
    assert.equal(downloadName({ label: '', url }), 'Q1 plan.pdf');
    assert.equal(lastUrlSegment('https://x.test/a/b/?q=1'), 'b');
  });
});
