import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { decompressRTF } from '@kenjiuno/decompressrtf';
import type { MailFormat } from '../../../src/mail/mail-model.ts';
import { MailReadError, readMail } from '../../../src/mail/read-mail.ts';
import { bodyFromCompressedRtf } from '../../../src/mail/rtf-body.ts';
import type { SimFile } from '../../../src/simulator/catalogue-model.ts';
import { RTF_DICTIONARY_PREFIX, compressRtf, rtfCrc } from '../../../src/simulator/compressed-rtf.ts';
import { mailOfFile, makeFileBytes } from '../../../src/simulator/file-content.ts';
import { encapsulateHtml } from '../../../src/simulator/html-rtf.ts';
import { mailTruthOf } from '../../../src/simulator/mail-truth.ts';

function file(name: string, attId: string, targetSizeBytes = 30_000): SimFile {
  return { kind: 'file', attId, name, intent: 'supplier', targetSizeBytes, pagePath: '/order_headers/100001' };
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

// Odd attachment ids keep a .msg's HTML in PR_HTML, even ones only inside compressed RTF.
const CASES: readonly { label: string; file: SimFile; format: MailFormat; bodySource: string }[] = [
  { label: '.msg with an HTML body', file: file('RE Approval.msg', '900011'), format: 'msg', bodySource: 'html' },
  { label: '.msg whose HTML exists only inside compressed RTF', file: file('FW Quote.msg', '900012'), format: 'msg', bodySource: 'rtf-html' },
  { label: '.eml', file: file('Order confirmation.eml', '900013'), format: 'eml', bodySource: 'html' },
];

describe('reading mails', () => {
  for (const { label, file: mailFile, format, bodySource } of CASES) {
    it(`reads a ${label}: headers, Unicode body, attachments with their bytes, the attached mail`, async () => {
      const spec = mailOfFile(1, mailFile);
      assert.ok(spec);
      const truth = mailTruthOf(spec);
      const mail = await readMail(makeFileBytes(1, mailFile), format);
      assert.equal(mail.format, format);
      assert.equal(mail.subject, truth.subject);
      assert.deepEqual(mail.from, { name: truth.senderName, address: truth.senderEmail });
      assert.deepEqual(mail.to, [{ name: 'Buyer Team', address: 'buyer@example.com' }]);
      assert.deepEqual(mail.cc, [{ name: 'Accounts Payable', address: 'ap@example.com' }]);
      assert.equal(mail.date?.toISOString(), spec.sentAt.toISOString());
      assert.equal(mail.bodySource, bodySource);
      assert.ok(mail.html?.includes(truth.unicodeLine), 'the HTML body keeps the Unicode line');
      assert.ok(mail.text?.includes(truth.unicodeLine), 'the plain body too');
      const files = mail.attachments.filter((attachment) => attachment.mailFormat === null);
      // An .eml keeps its inline parts beside the bodies, before the attached files: compare by name.
      const byName = (a: { name: string }, b: { name: string }): number => a.name.localeCompare(b.name);
      assert.deepEqual(
        files.map((attachment) => ({ name: attachment.name, sha256: sha256(attachment.bytes), inline: attachment.inline })).sort(byName),
        truth.files.map((expected) => ({ name: expected.name, sha256: expected.sha256, inline: expected.inline })).sort(byName),
      );
      assert.equal(files.find((attachment) => attachment.inline)?.contentId, `logo.${mailFile.attId}@supplier.example.com`);
      const attached = mail.attachments.filter((attachment) => attachment.mailFormat !== null);
      assert.deepEqual(attached.map((attachment) => [attachment.name, attachment.mailFormat]), truth.mails.map((expected) => [expected.name, format]));
      const inner = await readMail(attached[0]?.bytes ?? new Uint8Array(), format);
      assert.equal(inner.subject, truth.mails[0]?.mail.subject);
      assert.ok(inner.html?.includes(truth.mails[0]?.mail.unicodeLine ?? '?'));
    });
  }

  it('reports a damaged .msg in words, naming the file type and what to do', async () => {
    const whole = makeFileBytes(1, file('RE Approval.msg', '900011'));
    // Cut short; its header kept but its streams gone (it reads, but as a mail with nothing in it); text; nothing.
    const hollow = Buffer.concat([whole.subarray(0, 512), Buffer.alloc(4096, 0x5a)]);
    for (const bytes of [whole.subarray(0, 700), hollow, Buffer.from('not a mail at all, just text'), new Uint8Array(0)]) {
      await assert.rejects(readMail(bytes, 'msg'), (error: unknown) => {
        assert.ok(error instanceof MailReadError);
        assert.match(error.message, /^The file could not be read as an Outlook message \(\.msg\): .+\. The original file is kept as downloaded; open it in Outlook/);
        return true;
      });
    }
  });

  it('refuses an .eml that has none of a mail’s header lines', async () => {
    await assert.rejects(readMail(Buffer.from('\u0000\u0001binary junk'), 'eml'), /could not be read as a mail \(\.eml\)/);
  });
});

describe('Outlook compressed RTF', () => {
  it('starts from the 207-byte dictionary of the format', () => {
    assert.equal(RTF_DICTIONARY_PREFIX.length, 207);
  });

  it('compresses so that a standard decompressor gets the same bytes back, references included', () => {
    const rtf = Buffer.from(`{\\rtf1\\ansi ${'repeat me, repeat me, '.repeat(400)}\\par \\u26085?\\u26412? }`, 'latin1');
    const compressed = compressRtf(rtf);
    assert.ok(compressed.length < rtf.length / 4, 'repeats became references');
    assert.equal(Buffer.from(compressed).readUInt32LE(8), 0x75465a4c, 'LZFu');
    assert.deepEqual(Buffer.from(decompressRTF(Array.from(compressed))), rtf);
  });

  it('computes the format’s CRC (table CRC-32 from 0, not inverted)', () => {
    const table = Array.from({ length: 256 }, (_, n) => {
      let c = n;
      for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      return c >>> 0;
    });
    const bytes = Buffer.from('{\\rtf1 hello}', 'latin1');
    let crc = 0;
    for (const byte of bytes) crc = ((table[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8)) >>> 0;
    assert.equal(rtfCrc(bytes), crc);
  });

  it('unwraps HTML encapsulated in RTF with every character kept', () => {
    const html = '<html><body><p class="x">請求書 &amp; Ærøskøbing – 😀 {braces} \\slash</p></body></html>';
    const body = bodyFromCompressedRtf(compressRtf(Buffer.from(encapsulateHtml(html), 'latin1')));
    assert.equal(body?.kind, 'html');
    assert.ok(body?.content.includes('<p class="x">請求書 &amp; Ærøskøbing – 😀 {braces} \\slash</p>'));
  });

  it('gives nothing for genuine RTF, so the plain body is shown instead', () => {
    assert.equal(bodyFromCompressedRtf(compressRtf(Buffer.from('{\\rtf1\\ansi Just RTF \\b bold\\b0 text.}', 'latin1'))), null);
  });
});
