import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renderReportCsv } from '../../../src/io/report-csv.ts';
import { reportTable } from '../../../src/io/report-table.ts';
import { guardFormula } from '../../../src/io/formula-guard.ts';
import { completedRow, inputRow, runReport } from '../../support/report-rows.ts';

function csvText(report: Parameters<typeof reportTable>[0]): string {
  return renderReportCsv(reportTable(report)).toString('utf8');
}

const STANDARD = 'PO_NUMBER,STATUS,SUPPLIER,ATTACHMENTS_FOUND,ATTACHMENTS_DOWNLOADED,AttachmentName,LAST_PROCESSED,ERROR_MESSAGE,DOWNLOAD_FOLDER,COUPA_URL';

describe('results.csv', () => {
  it('starts with a UTF-8 BOM and the standard columns in the exact order, with CRLF line ends', () => {
    const bytes = renderReportCsv(reportTable(runReport(['PO_NUMBER'], [])));
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    assert.equal(bytes.subarray(3).toString('utf8'), `${STANDARD},SAVED_PAGE\r\n`);
  });

  it('writes one row per input row in input order, names joined with ;', () => {
    const rows = [
      completedRow(inputRow(2, { PO_NUMBER: 'PO111111' }), ['a.pdf', 'b.pdf']),
      completedRow(inputRow(3, { PO_NUMBER: 'PO222222' }), []),
    ];
    const lines = csvText(runReport(['PO_NUMBER'], rows)).split('\r\n');
    assert.equal(lines[1], 'PO111111,COMPLETED,Acme,2,2,a.pdf;b.pdf,2025-01-02 03:04:05,,Acme/PO111111_COMPLETED,https://acme.coupahost.com/order_headers/111111,');
    assert.match(lines[2] ?? '', /^PO222222,COMPLETED,Acme,0,0,,/);
    assert.equal(lines[3], '');
    assert.equal(lines.length, 4);
  });

  it('copies the other input columns after the standard ones, without repeating standard ones, and adds SAVED_PAGE last', () => {
    const input = inputRow(2, { 'Po Number': 'PO111111', Region: 'EU', status: 'done', Attachment_Name: 'old', Owner: 'Ana' });
    const report = runReport(['Region', 'Po Number', 'status', 'Attachment_Name', 'Owner'], [completedRow(input, [])]);
    const [header, row] = csvText(report).slice(1).split('\r\n');
    assert.equal(header, `${STANDARD},Region,Owner,SAVED_PAGE`);
    assert.match(row ?? '', /,EU,Ana,$/);
  });

  it('quotes cells with commas, quotes and newlines', () => {
    const row = { ...completedRow(inputRow(2, { PO_NUMBER: 'PO111111' }), ['a,b.pdf']), errorMessage: 'He said "no"\nthen left', supplier: 'Acme; Ltd' };
    const line = csvText(runReport(['PO_NUMBER'], [row])).split('\r\n').slice(1).join('\r\n');
    assert.match(line, /^PO111111,COMPLETED,Acme; Ltd,1,1,"a,b\.pdf",2025-01-02 03:04:05,"He said ""no""\nthen left",/);
  });

  it('leaves counts blank when they are not known', () => {
    const row = { ...completedRow(inputRow(2, { PO_NUMBER: 'PO111111' }), []), status: 'PENDING' as const, attachmentsFound: null, attachmentsDownloaded: null };
    assert.match(csvText(runReport(['PO_NUMBER'], [row])), /\r\nPO111111,PENDING,Acme,,,,/);
  });

  it('makes formula-looking text from Coupa or the sheet inert with a leading quote', () => {
    const input = inputRow(2, { PO_NUMBER: 'PO111111', Note: '@SUM(A1)' });
    const row = { ...completedRow(input, ['=cmd|calc.pdf']), supplier: '+Acme', errorMessage: '-1+2' };
    const line = csvText(runReport(['PO_NUMBER', 'Note'], [row])).split('\r\n')[1] ?? '';
    assert.match(line, /^PO111111,COMPLETED,'\+Acme,1,1,'=cmd\|calc\.pdf,[^,]*,'-1\+2,.*,'@SUM\(A1\),$/);
  });
});

describe('guardFormula', () => {
  it('prefixes text starting with = + - @ TAB or CR, and leaves plain numbers and other text alone', () => {
    assert.deepEqual(['=1+1', '+x', '-x', '@x', '\t=x', '\rx'].map(guardFormula), ["'=1+1", "'+x", "'-x", "'@x", "'\t=x", "'\rx"]);
    assert.deepEqual(['-3', '+1.5', '-2,5', 'Acme', 'a=b', ''].map(guardFormula), ['-3', '+1.5', '-2,5', 'Acme', 'a=b', '']);
  });
});
