import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { renderReportXlsx } from '../../src/io/report-xlsx.ts';
import { reportTable } from '../../src/io/report-table.ts';
import type { RunReport } from '../../src/io/run-report.ts';
import { completedRow, inputRow, runReport, savedFile } from '../fixtures/input/report-rows.ts';

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
    assert.deepEqual(values(sheet, 1), ['PO_NUMBER', 'FILE_NAME', 'SIZE_BYTES', 'SHA256', 'SOURCE_URL', 'PATH', 'KIND', 'ORIGIN']);
    assert.deepEqual(values(sheet, 2), [
      '15262984', 'a.pdf', 1234, 'ab'.repeat(32), 'https://acme.coupahost.com/attachment/attachment_file/file/1/a.pdf',
      'Acme/15262984_COMPLETED/a.pdf', 'file', 'po',
    ]);
    assert.equal(sheet?.rowCount, 3);
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
