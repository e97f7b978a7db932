import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SavedFile } from '../../../src/domain/po-outcome.ts';
import { madeFilesOf } from '../../../src/job/conversion/made-files-report.ts';
import type { StoredConversion } from '../../../src/state/state-store.ts';

const folder = 'Acme/PO100001_COMPLETED';
const download = (name: string, sha256: string, origin: SavedFile['origin'] = 'po'): SavedFile => ({ poNumber: 'PO100001', name, relativePath: `${folder}/${name}`, sizeBytes: 10, sha256, sourceUrl: 'u', kind: 'file', origin });
const row = (root: SavedFile, fields: Partial<StoredConversion>): StoredConversion => ({
  poId: '100001', rootPath: root.relativePath, rootSha256: root.sha256, sourcePath: root.relativePath, outputPath: null, kind: null, sizeBytes: null, sha256: null, status: 'done', code: null, reason: null, depth: 1, ...fields,
});

describe('the made files the report lists, from the state', () => {
  const mail = download('RE Approval.msg', 'm1', 'requisition');
  const nested = `${folder}/RE Approval.msg attachments/Quote request.msg`;
  const broken = download('broken.eml', 'b1');
  const refetched = download('FW Quote.msg', 'new-bytes');
  const conversions = [
    row(mail, { outputPath: `${folder}/RE Approval.msg.pdf`, kind: 'pdf', sizeBytes: 70, sha256: 'p1' }),
    row(mail, { outputPath: nested, kind: 'attachment', sizeBytes: 30, sha256: 'n1' }),
    row(mail, { kind: 'attachment', sizeBytes: 139, status: 'skipped', reason: 'logo.png: an inline image under 20 KB (it shows in the PDF)' }),
    row(mail, { sourcePath: nested, outputPath: `${nested}.pdf`, kind: 'pdf', sizeBytes: 40, sha256: 'p2', depth: 2 }),
    row(broken, { status: 'failed', code: 'MAIL_UNREADABLE', reason: 'The file is not a mail.' }),
    // Converted before the mail was fetched again with other bytes: no longer true.
    row({ ...refetched, sha256: 'old-bytes' }, { outputPath: `${folder}/FW Quote.msg.pdf`, kind: 'pdf', sizeBytes: 5, sha256: 'p3' }),
  ];
  const made = madeFilesOf(
    { files: [mail, broken, refetched], poNumbers: new Map([['100001', 'PO100001']]), conversions, poPdfs: [{ poId: '100001', name: 'PO100001.pdf', relativePath: `${folder}/PO100001.pdf`, sizeBytes: 9, sha256: 'pp', sourceUrl: 'print' }] },
    (path) => path.replaceAll('/', '\\'),
  );

  it('links every PDF and extracted file to the mail it came from, with the report’s separators and the root’s origin', () => {
    assert.deepEqual(made.files.map((file) => [file.kind, file.name, file.madeFrom, file.origin]), [
      ['po-pdf', 'PO100001.pdf', '', 'po'],
      ['mail-pdf', 'RE Approval.msg.pdf', 'Acme\\PO100001_COMPLETED\\RE Approval.msg', 'requisition'],
      ['mail-attachment', 'Quote request.msg', 'Acme\\PO100001_COMPLETED\\RE Approval.msg', 'requisition'],
      ['mail-pdf', 'Quote request.msg.pdf', 'Acme\\PO100001_COMPLETED\\RE Approval.msg attachments\\Quote request.msg', 'requisition'],
    ]);
  });

  it('gives each mail its fate, with what a converted one left out and why a failed one failed', () => {
    assert.deepEqual(made.mails, [
      { relativePath: 'Acme\\PO100001_COMPLETED\\RE Approval.msg', conversion: 'converted', message: 'Not saved as files: logo.png: an inline image under 20 KB (it shows in the PDF).' },
      { relativePath: 'Acme\\PO100001_COMPLETED\\RE Approval.msg attachments\\Quote request.msg', conversion: 'converted', message: '' },
      { relativePath: 'Acme\\PO100001_COMPLETED\\broken.eml', conversion: 'failed', message: 'The file is not a mail. [MAIL_UNREADABLE]' },
    ]);
    assert.deepEqual(made.conversions, { done: 2, failed: 1, skipped: 0 });
  });
});
