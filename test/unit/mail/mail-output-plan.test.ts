import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { poPdfFileName, printViewUrl } from '../../../src/coupa/po-print.ts';
import type { MailAttachment } from '../../../src/mail/mail-model.ts';
import { attachmentFolderName, pdfFileName, planAttachments } from '../../../src/mail/output-plan.ts';

function attachment(name: string, sizeBytes: number, inline = false): MailAttachment {
  return { name, contentType: 'application/octet-stream', contentId: inline ? `${name}@x` : null, inline, bytes: new Uint8Array(sizeBytes), mailFormat: null };
}

describe('mail output names', () => {
  it('names the PDF after the whole mail file name with the suffix added', () => {
    assert.equal(pdfFileName('RE Approval.msg', '.pdf', []), 'RE Approval.msg.pdf');
    assert.equal(pdfFileName('Order confirmation.eml', '.converted.pdf', []), 'Order confirmation.eml.converted.pdf');
  });

  it('follows the (2) rule when the PDF name is taken, ignoring case, and never counts a leftover .partial as taken', () => {
    assert.equal(pdfFileName('RE Approval.msg', '.pdf', ['re approval.MSG.pdf']), 'RE Approval.msg (2).pdf');
    assert.equal(pdfFileName('RE Approval.msg', '.pdf', ['RE Approval.msg.pdf', 'RE Approval.msg (2).pdf']), 'RE Approval.msg (3).pdf');
    assert.equal(pdfFileName('RE Approval.msg', '.pdf', ['RE Approval.msg.pdf.partial']), 'RE Approval.msg.pdf');
  });

  it('puts a mail’s attachments in a folder named after the mail, with (2) at the end when taken', () => {
    assert.equal(attachmentFolderName('FW Quote.msg', ' attachments', []), 'FW Quote.msg attachments');
    assert.equal(attachmentFolderName('FW Quote.msg', ' attachments', ['FW Quote.msg attachments']), 'FW Quote.msg attachments (2)');
  });
});

describe('which attachments are saved', () => {
  it('skips inline images under the threshold and keeps those at or over it', () => {
    const plan = planAttachments([attachment('logo.png', 20_479, true), attachment('screenshot.png', 20_480, true)], 20_480);
    assert.deepEqual(plan.map((decision) => decision.action), ['skip', 'save']);
    assert.match(plan[0]?.action === 'skip' ? plan[0].reason : '', /inline image under 20\.0 KB/);
  });

  it('saves every attached file whatever its size, and a threshold of 0 saves inline images too', () => {
    assert.deepEqual(planAttachments([attachment('tiny.txt', 3), attachment('logo.png', 100, true)], 0).map((decision) => decision.action), ['save', 'save']);
    assert.deepEqual(planAttachments([attachment('tiny.txt', 3)], 1_000_000).map((decision) => decision.action), ['save']);
  });

  it('gives each saved attachment a safe name, unique within the mail’s folder', () => {
    const plan = planAttachments([attachment('Invoice.pdf', 10), attachment('invoice.PDF', 10), attachment('a:b?.pdf', 10), attachment('CON.txt', 10), attachment('', 10)], 0);
    assert.deepEqual(
      plan.map((decision) => (decision.action === 'save' ? decision.fileName : '')),
      ['Invoice.pdf', 'invoice (2).PDF', 'a_b_.pdf', '_CON.txt', 'attachment'],
    );
  });
});

describe('PO PDF names and print addresses', () => {
  it('names the PO PDF after the PO folder, never doubling the PO prefix, with the (2) rule on a clash', () => {
    assert.equal(poPdfFileName('PO15262984', []), 'PO15262984.pdf');
    assert.equal(poPdfFileName('PO15262984', ['po15262984.pdf']), 'PO15262984 (2).pdf');
  });

  it('prints from the page’s own link, else from the pattern, and follows no link out of Coupa', () => {
    const base = { baseUrl: 'https://acme.coupahost.com', poId: '123456' };
    const pattern = { printPathPattern: '/order_headers/print_view?id={id}&version=1' };
    assert.equal(printViewUrl({ ...base, printHref: '/order_headers/print_view?id=123456&version=2' }, pattern), 'https://acme.coupahost.com/order_headers/print_view?id=123456&version=2');
    assert.equal(printViewUrl({ ...base, printHref: null }, pattern), 'https://acme.coupahost.com/order_headers/print_view?id=123456&version=1');
    assert.equal(printViewUrl({ ...base, printHref: 'https://elsewhere.example.com/print?id=123456' }, pattern), 'https://acme.coupahost.com/order_headers/print_view?id=123456&version=1');
    assert.equal(printViewUrl({ ...base, printHref: null }, { printPathPattern: '' }), null);
  });
});
