import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { DEFAULT_PO_PREFIX_RULE } from '../../../src/domain/po-number.ts';
import { readInputSheet } from '../../../src/io/input-sheet.ts';
import { tempDir, type TempDir } from '../../support/temp-dir.ts';

let dir = '';
let dirTemp: TempDir | undefined;

before(async () => {
  dirTemp = await tempDir('coupa-dl-xlsx-');
  dir = dirTemp.path;
});
after(async () => {
  await dirTemp?.remove();
});

async function writeWorkbook(name: string, fill: (workbook: ExcelJS.Workbook) => void): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  fill(workbook);
  const path = join(dir, name);
  await workbook.xlsx.writeFile(path);
  return path;
}

const read = (path: string) => readInputSheet(path, { prefixRule: DEFAULT_PO_PREFIX_RULE });

describe('readInputSheet on XLSX workbooks', () => {
  it('reads the PO_Data sheet when other sheets come first', async () => {
    const path = await writeWorkbook('named.xlsx', (workbook) => {
      workbook.addWorksheet('Notes').addRows([['PO_NUMBER'], ['PO999999']]);
      workbook.addWorksheet('PO_Data').addRows([['PO_NUMBER'], ['PO15262984']]);
    });
    const sheet = await read(path);
    assert.deepEqual(sheet.rows.map((row) => row.poNumber), ['PO15262984']);
  });

  it('falls back to the first sheet when there is no PO_Data sheet', async () => {
    const path = await writeWorkbook('first.xlsx', (workbook) => {
      workbook.addWorksheet('Orders').addRows([['PO_NUMBER'], ['PO111111']]);
      workbook.addWorksheet('Other').addRows([['PO_NUMBER'], ['PO222222']]);
    });
    assert.deepEqual((await read(path)).rows.map((row) => row.poNumber), ['PO111111']);
  });

  it('keeps numeric PO cells as plain digits, large ones included', async () => {
    const path = await writeWorkbook('numbers.xlsx', (workbook) => {
      workbook.addWorksheet('PO_Data').addRows([['PO_NUMBER', 'AMOUNT'], [15262984, 0.1 + 0.2], [123456789012345, 2.5], [1e21, -3]]);
    });
    const sheet = await read(path);
    assert.deepEqual(sheet.rows.map((row) => row.poNumber), ['15262984', '123456789012345', '1000000000000000000000']);
    assert.equal(sheet.rows[0]?.poId, '15262984');
    assert.deepEqual(sheet.rows.map((row) => row.cells['AMOUNT']), ['0.3', '2.5', '-3']);
  });

  it('uses formula results, joins rich text, reads hyperlinks, dates and booleans as text', async () => {
    const path = await writeWorkbook('kinds.xlsx', (workbook) => {
      const sheet = workbook.addWorksheet('PO_Data');
      sheet.addRow(['PO_NUMBER', 'SUPPLIER', 'LINK', 'DUE', 'FLAG']);
      sheet.addRow([
        { formula: '"PO"&"15262984"', result: 'PO15262984' },
        { richText: [{ text: 'Acme ', font: { bold: true } }, { text: 'Corp' }] },
        { text: 'portal', hyperlink: 'https://example.com' },
        new Date(Date.UTC(2024, 2, 5)),
        true,
      ]);
      sheet.addRow([{ formula: 'A2', result: 15262985 }, '', '', new Date(Date.UTC(2024, 2, 5, 13, 4, 5)), false]);
    });
    const [first, second] = (await read(path)).rows;
    assert.deepEqual(first?.cells, { PO_NUMBER: 'PO15262984', SUPPLIER: 'Acme Corp', LINK: 'portal', DUE: '2024-03-05', FLAG: 'TRUE' });
    assert.equal(first?.supplier, 'Acme Corp');
    assert.equal(second?.poId, '15262985');
    assert.equal(second?.cells['DUE'], '2024-03-05T13:04:05');
  });

  it('ignores empty rows at the end and keeps Excel row numbers across gaps', async () => {
    const path = await writeWorkbook('gaps.xlsx', (workbook) => {
      const sheet = workbook.addWorksheet('PO_Data');
      sheet.getCell('A1').value = 'PO_NUMBER';
      sheet.getCell('A2').value = 'PO111111';
      sheet.getCell('A5').value = 'PO222222';
      // A formatted but empty cell far below, as Excel leaves after deleting rows.
      sheet.getCell('A40').value = '';
      sheet.getCell('A41').numFmt = '0.00';
    });
    const sheet = await read(path);
    assert.deepEqual(sheet.rows.map((row) => [row.rowNumber, row.poNumber]), [[2, 'PO111111'], [5, 'PO222222']]);
  });

  it('reads an .xlsm workbook and a workbook saved with a .csv name', async () => {
    const fill = (workbook: ExcelJS.Workbook) => {
      workbook.addWorksheet('PO_Data').addRows([['PO_NUMBER'], ['PO111111']]);
    };
    assert.equal((await read(await writeWorkbook('macro.xlsm', fill))).rows[0]?.poId, '111111');
    assert.equal((await read(await writeWorkbook('renamed.csv', fill))).rows[0]?.poId, '111111');
  });
});
