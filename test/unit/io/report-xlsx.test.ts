import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { renderReportXlsx } from '../../../src/io/report-xlsx.ts';
import { reportTable } from '../../../src/io/report-table.ts';
import type { MadeFiles } from '../../../src/io/made-files.ts';
import type { RunReport } from '../../../src/io/run-report.ts';
import { completedRow, inputRow, runReport, savedFile } from '../../support/report-rows.ts';

async function workbookOf(report: RunReport): Promise<ExcelJS.Workbook> {
  const bytes = await renderReportXlsx(report, reportTable(report));
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Uint8Array.from(bytes).buffer);
  return workbook;
}

function values(sheet: ExcelJS.Worksheet | undefined, rowNumber: number): unknown[] {
  const row = sheet?.getRow(rowNumber);
  const cells: unknown[] = [];
  for (let column = 1; column <= (row?.cellCount ?? 0); column += 1) cells.push(row?.getCell(column).value ?? null);
  return cells;
}

const report = runReport(
  ['PO_NUMBER', 'Owner'],
  [
    completedRow(inputRow(2, { PO_NUMBER: '15262984', Owner: 'Ana' }), ['a.pdf', 'b.pdf']),
    { ...completedRow(inputRow(3, { PO_NUMBER: 'PO222222', Owner: '=HYPERLINK("x")' }), []), status: 'PENDING', attachmentsFound: null, attachmentsDownloaded: null },
  ],
  [savedFile('15262984', 'a.pdf', 1234), savedFile('15262984', 'b.pdf', 10)],
);

describe('results.xlsx', () => {
  it('has the sheets Results, Files and Summary in that order', async () => {
    const workbook = await workbookOf(report);
    assert.deepEqual(workbook.worksheets.map((sheet) => sheet.name), ['Results', 'Files', 'Summary']);
  });

  it('writes the Results grid cell by cell, counts as numbers, PO numbers as text, empty text as a blank cell', async () => {
    const sheet = (await workbookOf(report)).getWorksheet('Results');
    assert.deepEqual(values(sheet, 1), [
      'PO_NUMBER', 'STATUS', 'SUPPLIER', 'ATTACHMENTS_FOUND', 'ATTACHMENTS_DOWNLOADED', 'AttachmentName',
      'LAST_PROCESSED', 'ERROR_MESSAGE', 'DOWNLOAD_FOLDER', 'COUPA_URL', 'Owner', 'SAVED_PAGE',
    ]);
    assert.deepEqual(values(sheet, 2), [
      '15262984', 'COMPLETED', 'Acme', 2, 2, 'a.pdf;b.pdf', '2025-01-02 03:04:05', null, 'Acme/15262984_COMPLETED',
      'https://acme.coupahost.com/order_headers/15262984', 'Ana',
    ]);
    assert.equal(sheet?.getCell('A2').type, ExcelJS.ValueType.String);
    assert.equal(sheet?.getCell('D3').value, null);
    assert.equal(sheet?.rowCount, 3);
  });

  it('stores formula-looking text as a plain string, never as a formula', async () => {
    const cell = (await workbookOf(report)).getWorksheet('Results')?.getCell('K3');
    assert.equal(cell?.type, ExcelJS.ValueType.String);
    assert.equal(cell?.value, '=HYPERLINK("x")');
  });

  it('makes the header bold, frozen and filterable, with columns sized to their content', async () => {
    const sheet = (await workbookOf(report)).getWorksheet('Results');
    assert.equal(sheet?.getCell('A1').font?.bold, true);
    assert.deepEqual(sheet?.views.map((view) => [view.state, 'ySplit' in view ? view.ySplit : undefined]), [['frozen', 1]]);
    assert.ok(sheet?.autoFilter, 'autofilter set');
    assert.equal(sheet?.getColumn(10).width, 51);
    assert.equal(sheet?.getColumn(11).width, 17);
  });

  it('lists every saved file on the Files sheet', async () => {
    const sheet = (await workbookOf(report)).getWorksheet('Files');
    assert.deepEqual(values(sheet, 1), ['PO_NUMBER', 'FILE_NAME', 'SIZE_BYTES', 'SHA256', 'SOURCE_URL', 'PATH', 'KIND', 'ORIGIN', 'MADE_FROM', 'CONVERSION', 'CONVERSION_MESSAGE']);
    assert.deepEqual(values(sheet, 2), [
      '15262984', 'a.pdf', 1234, 'ab'.repeat(32), 'https://acme.coupahost.com/attachment/attachment_file/file/1/a.pdf',
      'Acme/15262984_COMPLETED/a.pdf', 'file', 'po',
    ]);
    assert.equal(sheet?.rowCount, 3);
  });

  it('lists what was made from a mail right after it, linked to the mail with its SHA-256, the PO PDF first among its PO’s rows, and each mail’s fate', async () => {
    const folder = 'Acme/15262984_COMPLETED';
    const mail = { ...savedFile('15262984', 'RE Approval.msg', 900), sha256: '11'.repeat(32) };
    const broken = { ...savedFile('15262984', 'broken.msg', 12), sha256: '22'.repeat(32) };
    const made: MadeFiles = {
      files: [
        { poNumber: '15262984', name: 'PO15262984.pdf', relativePath: `${folder}/PO15262984.pdf`, sizeBytes: 50, sha256: '33'.repeat(32), sourceUrl: 'https://acme.coupahost.com/order_headers/print_view?id=15262984&version=1', kind: 'po-pdf', origin: 'po', madeFrom: '', rootPath: '' },
        { poNumber: '15262984', name: 'RE Approval.msg.pdf', relativePath: `${folder}/RE Approval.msg.pdf`, sizeBytes: 70, sha256: '44'.repeat(32), sourceUrl: '', kind: 'mail-pdf', origin: 'po', madeFrom: mail.relativePath, rootPath: mail.relativePath },
        { poNumber: '15262984', name: 'offer.pdf', relativePath: `${folder}/RE Approval.msg attachments/offer.pdf`, sizeBytes: 80, sha256: '55'.repeat(32), sourceUrl: '', kind: 'mail-attachment', origin: 'po', madeFrom: mail.relativePath, rootPath: mail.relativePath },
        { poNumber: '999999', name: 'PO999999.pdf', relativePath: 'Acme/PO999999_NO_ATTACHMENTS/PO999999.pdf', sizeBytes: 60, sha256: '66'.repeat(32), sourceUrl: 'u', kind: 'po-pdf', origin: 'po', madeFrom: '', rootPath: '' },
      ],
      mails: [
        { relativePath: mail.relativePath, conversion: 'converted', message: 'logo.png: an inline image under 20 KB (it shows in the PDF)' },
        { relativePath: broken.relativePath, conversion: 'failed', message: 'The file is not an Outlook message. [MAIL_UNREADABLE]' },
      ],
      conversions: { done: 1, failed: 1, skipped: 0 },
    };
    const workbook = await workbookOf({ ...runReport(['PO_NUMBER'], [], [mail, broken]), made });
    const sheet = workbook.getWorksheet('Files');
    const rows = Array.from({ length: (sheet?.rowCount ?? 1) - 1 }, (_, index) => values(sheet, index + 2));
    assert.deepEqual(rows.map((row) => [row[1], row[6], row[8] ?? null, row[9] ?? null]), [
      ['PO15262984.pdf', 'po-pdf', null, null],
      ['RE Approval.msg', 'file', null, 'converted'],
      ['RE Approval.msg.pdf', 'mail-pdf', mail.relativePath, null],
      ['offer.pdf', 'mail-attachment', mail.relativePath, null],
      ['broken.msg', 'file', null, 'failed'],
      ['PO999999.pdf', 'po-pdf', null, null],
    ]);
    assert.deepEqual(rows[3]?.slice(2, 6), [80, '55'.repeat(32), null, `${folder}/RE Approval.msg attachments/offer.pdf`]);
    assert.equal(rows[4]?.[10], 'The file is not an Outlook message. [MAIL_UNREADABLE]');
    const summary = workbook.getWorksheet('Summary');
    const labelled = new Map(Array.from({ length: summary?.rowCount ?? 0 }, (_, index) => values(summary, index + 1)).map((row) => [row[0], row[1]]));
    assert.deepEqual(['Mails converted to PDF', 'Mail conversions failed', 'Mail conversions skipped', 'Files taken out of mails', 'PO PDFs saved'].map((label) => labelled.get(label)), [1, 1, 0, 1, 2]);
    assert.equal(labelled.get('Files saved'), 2, 'the files saved are the downloads');
  });

  it('summarises the run: times, input, URL, counts per status in status order, totals', async () => {
    const sheet = (await workbookOf(report)).getWorksheet('Summary');
    const rows = Array.from({ length: sheet?.rowCount ?? 0 }, (_, index) => values(sheet, index + 1));
    assert.deepEqual(rows, [
      ['Started', '2025-01-02 03:00:00'],
      ['Finished', '2025-01-02 03:10:00'],
      ['Input', 'C:\\Users\\me\\pos.xlsx'],
      ['Coupa URL', 'https://acme.coupahost.com'],
      ['Interrupted', 'Yes'],
      [],
      ['STATUS', 'POs'],
      ['COMPLETED', 2],
      ['PENDING', 1],
      [],
      ['Rows', 2],
      ['Files saved', 2],
      ['Bytes saved', 1244],
    ]);
  });
});
