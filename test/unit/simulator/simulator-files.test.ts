import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import CFB from 'cfb';
import ExcelJS from 'exceljs';
import { unzipSync, strFromU8 } from 'fflate';
import type { SimFile } from '../../../src/simulator/catalogue-model.ts';
import { asciiFallback, attachmentPath, contentDisposition, encodeRfc5987 } from '../../../src/simulator/content-disposition.ts';
import { contentTypeOf, makeFileBytes } from '../../../src/simulator/file-content.ts';
import { nextChunkDelayMs } from '../../../src/simulator/file-response.ts';

function file(name: string, targetSizeBytes = 5000, attId = '900001'): SimFile {
  return { kind: 'file', attId, name, intent: 'supplier', targetSizeBytes, pagePath: '/order_headers/100001' };
}

describe('simulator files', () => {
  it('makes a PDF that starts with %PDF-, ends with %%EOF and has exactly the asked size', () => {
    for (const size of [3000, 20_000]) {
      const bytes = makeFileBytes(1, file('Quote.pdf', size));
      const text = Buffer.from(bytes).toString('latin1');
      assert.ok(text.startsWith('%PDF-'));
      assert.equal(text.trimEnd().slice(-5), '%%EOF');
      assert.equal(bytes.length, size);
    }
  });

  it('points the PDF cross-reference table at the real object offsets', () => {
    const text = Buffer.from(makeFileBytes(1, file('Quote.pdf', 8000))).toString('latin1');
    const startxref = Number(/startxref\n(\d+)/.exec(text)?.[1]);
    assert.ok(text.slice(startxref).startsWith('xref'));
    const offsets = [...text.slice(startxref).matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]));
    offsets.forEach((offset, index) => assert.ok(text.slice(offset).startsWith(`${String(index + 1)} 0 obj`)));
  });

  it('makes the same bytes for the same attachment and different bytes for another id with the same name', () => {
    const a = makeFileBytes(1, file('Invoice.pdf', 4000, '900001'));
    assert.deepEqual(makeFileBytes(1, file('Invoice.pdf', 4000, '900001')), a);
    assert.notDeepEqual(makeFileBytes(1, file('Invoice.pdf', 4000, '900002')), a);
    assert.notDeepEqual(makeFileBytes(2, file('Invoice.pdf', 4000, '900001')), a);
  });

  it('makes a DOCX that is a valid zip with the Word parts, padded to the asked size', () => {
    const bytes = makeFileBytes(1, file('Spec.docx', 9000));
    const entries = unzipSync(bytes);
    assert.deepEqual(Object.keys(entries).sort(), ['[Content_Types].xml', '_rels/.rels', 'word/document.xml']);
    assert.match(strFromU8(entries['word/document.xml'] ?? new Uint8Array()), /Spec\.docx/);
    assert.equal(bytes.length, 9000);
  });

  it('makes an XLSX that ExcelJS opens, with the file name in A1', async () => {
    const bytes = makeFileBytes(1, file('Prices.xlsx', 6000));
    assert.ok(Object.keys(unzipSync(bytes)).includes('xl/worksheets/sheet1.xml'));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
    assert.equal(workbook.worksheets[0]?.getCell('A1').value, 'Prices.xlsx');
  });

  it('makes an Outlook .msg compound file with subject and body streams', () => {
    const bytes = makeFileBytes(1, file('RE Approval.msg', 8000));
    const container = CFB.read(bytes, { type: 'buffer' });
    const subject = CFB.find(container, '__substg1.0_0037001F');
    assert.ok(subject?.content);
    assert.match(Buffer.from(subject.content as Uint8Array).toString('utf16le'), /RE Approval .* 請求書/);
    assert.ok(CFB.find(container, '__substg1.0_1000001F'));
    assert.ok(CFB.find(container, '__properties_version1.0'));
  });

  it('makes the same .msg and .eml bytes on every call, and different ones for another attachment', () => {
    for (const name of ['RE Approval.msg', 'Order confirmation.eml']) {
      const bytes = makeFileBytes(1, file(name, 8000, '900002'));
      assert.deepEqual(makeFileBytes(1, file(name, 8000, '900002')), bytes);
      assert.notDeepEqual(makeFileBytes(1, file(name, 8000, '900004')), bytes);
    }
  });

  it('gives each format its content type and unknown extensions application/octet-stream', () => {
    assert.equal(contentTypeOf('a.pdf'), 'application/pdf');
    assert.equal(contentTypeOf('a.XLSX'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    assert.equal(contentTypeOf('trailing. '), 'application/octet-stream');
    assert.equal(makeFileBytes(1, file('trailing. ', 1234)).length, 1234);
  });

  it('encodes Content-Disposition with an ASCII fallback and the exact UTF-8 name', () => {
    assert.equal(contentDisposition('Orçamento_nº5.pdf'), `attachment; filename="Or_amento_n_5.pdf"; filename*=UTF-8''Or%C3%A7amento_n%C2%BA5.pdf`);
    assert.equal(asciiFallback('Quote "final".pdf'), 'Quote \\"final\\".pdf');
    assert.equal(encodeRfc5987("it's (1)*.pdf"), 'it%27s%20%281%29%2A.pdf');
    assert.equal(decodeURIComponent(encodeRfc5987('見積書.pdf')), '見積書.pdf');
  });

  it('puts the URL-encoded name in the attachment path', () => {
    assert.equal(attachmentPath('900001', '100% sure #1.pdf'), '/attachment/attachment_file/file/900001/100%25%20sure%20%231.pdf');
  });

  it('paces a bandwidth cap from the first byte, so a late timer shortens the next wait instead of slowing the rate', () => {
    // 10,000 bytes/s: the chunk at byte 1,000 is due 100 ms after the start.
    assert.equal(nextChunkDelayMs(0, 1000, 10_000, 0), 100);
    assert.equal(nextChunkDelayMs(0, 1000, 10_000, 40), 60);
    // The timer for the byte-1,000 chunk fired 30 ms late: the byte-2,000 chunk is still due at 200 ms.
    assert.equal(nextChunkDelayMs(0, 2000, 10_000, 130), 70);
    // Already behind: send at once, never a negative wait.
    assert.equal(nextChunkDelayMs(0, 2000, 10_000, 260), 0);
  });
});
