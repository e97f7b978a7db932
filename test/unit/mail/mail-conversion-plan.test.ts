import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { describe, it } from 'node:test';
import { planMailConversions, type DownloadedFile, type EarlierConversion } from '../../../src/mail/conversion-plan.ts';
import { listConversions, replaceConversions } from '../../../src/state/conversion-table.ts';
import { migrateSchema } from '../../../src/state/state-schema.ts';

const mail = (path: string, sha256 = 'aaa'): DownloadedFile => ({ poId: '1', relativePath: path, sha256 });
const earlier = (path: string, status: EarlierConversion['status'], code: string | null = null, rootSha256 = 'aaa'): EarlierConversion => ({ poId: '1', rootPath: path, rootSha256, sourcePath: path, status, code, depth: 1 });

describe('which downloaded mails a run converts', () => {
  it('converts new mails, skips other files, and never converts the same mail twice', () => {
    const plan = planMailConversions([mail('S/PO1_COMPLETED/a.msg'), mail('S/PO1_COMPLETED/b.EML'), mail('S/PO1_COMPLETED/c.pdf'), mail('S/PO1_COMPLETED/d.msg')], [earlier('S/PO1_COMPLETED/d.msg', 'done')], { retryUnreadable: false });
    assert.deepEqual(plan.map((decision) => [decision.file.relativePath, decision.action, decision.why]), [
      ['S/PO1_COMPLETED/a.msg', 'convert', 'new'],
      ['S/PO1_COMPLETED/b.EML', 'convert', 'new'],
      ['S/PO1_COMPLETED/d.msg', 'keep', 'done'],
    ]);
  });

  it('converts again a mail whose bytes changed, and one that failed for a passing reason', () => {
    const plan = planMailConversions([mail('x/a.msg', 'new-bytes'), mail('x/b.msg')], [earlier('x/a.msg', 'done'), earlier('x/b.msg', 'failed', 'MAIL_RENDER_FAILED')], { retryUnreadable: false });
    assert.deepEqual(plan.map((decision) => [decision.action, decision.why]), [['convert', 'changed'], ['convert', 'retry']]);
  });

  it('leaves an unreadable mail alone unless asked to try again', () => {
    const files = [mail('x/broken.msg')];
    const stored = [earlier('x/broken.msg', 'failed', 'MAIL_UNREADABLE')];
    assert.deepEqual(planMailConversions(files, stored, { retryUnreadable: false }).map((decision) => decision.why), ['unreadable']);
    assert.deepEqual(planMailConversions(files, stored, { retryUnreadable: true }).map((decision) => decision.why), ['retry']);
  });

  it('reads a mail’s outcome from its own row, not from the rows of mails attached to it', () => {
    const attachedFailed: EarlierConversion = { ...earlier('x/a.msg', 'failed', 'MAIL_UNREADABLE'), sourcePath: 'x/a.msg attachments/inner.msg', depth: 2 };
    assert.deepEqual(planMailConversions([mail('x/a.msg')], [earlier('x/a.msg', 'done'), attachedFailed], { retryUnreadable: false }).map((decision) => decision.why), ['done']);
  });
});

describe('the conversions table', () => {
  it('replaces a downloaded mail’s rows together and reads them back', () => {
    const db = new DatabaseSync(':memory:');
    db.exec('PRAGMA foreign_keys = ON');
    migrateSchema(db, ':memory:');
    db.prepare("INSERT INTO pos (po_id, po_number, state, updated_at) VALUES (?, 'PO1', 'COMPLETED', '2026-12-06T00:00:00Z')").run('1');
    const root = { poId: '1', rootPath: 'S/PO1_COMPLETED/a.msg', rootSha256: 'aaa' };
    const context = { runId: 1, recordedAt: '2026-12-06T00:00:00Z' };
    replaceConversions(db, ':memory:', root, [{ sourcePath: root.rootPath, outputPath: null, kind: null, sizeBytes: null, sha256: null, status: 'failed', code: 'MAIL_RENDER_FAILED', reason: 'timed out', depth: 1 }], context);
    replaceConversions(
      db,
      ':memory:',
      root,
      [
        { sourcePath: root.rootPath, outputPath: 'S/PO1_COMPLETED/a.msg.pdf', kind: 'pdf', sizeBytes: 100, sha256: 'p', status: 'done', code: null, reason: null, depth: 1 },
        { sourcePath: root.rootPath, outputPath: 'S/PO1_COMPLETED/a.msg attachments/x.pdf', kind: 'attachment', sizeBytes: 5, sha256: 'x', status: 'done', code: null, reason: null, depth: 1 },
      ],
      context,
    );
    const rows = listConversions(db);
    assert.deepEqual(rows.map((row) => [row.status, row.kind, row.outputPath]), [['done', 'pdf', 'S/PO1_COMPLETED/a.msg.pdf'], ['done', 'attachment', 'S/PO1_COMPLETED/a.msg attachments/x.pdf']]);
    assert.deepEqual(planMailConversions([{ poId: '1', relativePath: root.rootPath, sha256: 'aaa' }], rows, { retryUnreadable: false }).map((decision) => decision.why), ['done']);
    db.exec("DELETE FROM pos WHERE po_id = '1'");
    assert.deepEqual(listConversions(db), [], 'a PO forgotten (--fresh) takes its conversions with it');
  });
});
