import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CoupaDlError } from '../../../src/domain/errors.ts';
import { DEFAULT_PO_PREFIX_RULE } from '../../../src/domain/po-number.ts';
import { readInputSheet } from '../../../src/io/input-sheet.ts';
import { formatRowProblems } from '../../../src/io/row-problems.ts';
import { tempDir, type TempDir } from '../../support/temp-dir.ts';

let dir = '';
let dirTemp: TempDir | undefined;

before(async () => {
  dirTemp = await tempDir('coupa-dl-sheet-');
  dir = dirTemp.path;
});
after(async () => {
  await dirTemp?.remove();
});

async function readCsv(name: string, text: string) {
  const path = join(dir, name);
  await writeFile(path, text);
  return readInputSheet(path, { prefixRule: DEFAULT_PO_PREFIX_RULE });
}

async function rejection(promise: Promise<unknown>): Promise<CoupaDlError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof CoupaDlError, `expected a CoupaDlError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the read to fail');
}

describe('readInputSheet columns and rows', () => {
  it('finds PO_NUMBER, STATUS and SUPPLIER ignoring case, spaces and underscores', async () => {
    for (const [po, status, supplier] of [['po number', 'Status', 'supplier'], ['Po_Number', ' STATUS ', 'Sup plier'], ['PONumber', 'status', 'SUPPLIER']]) {
      const sheet = await readCsv('variants.csv', `${po},${status},${supplier}\nPO111111,completed,Acme\n`);
      assert.equal(sheet.rows[0]?.poId, '111111', po);
      assert.equal(sheet.rows[0]?.inputStatus, 'COMPLETED', status);
      assert.equal(sheet.rows[0]?.supplier, 'Acme', supplier);
    }
  });

  it('leaves STATUS and SUPPLIER empty and folder levels null when those columns are absent', async () => {
    const sheet = await readCsv('bare.csv', 'PO_NUMBER\nPO111111\n');
    assert.deepEqual(sheet.rows[0], {
      rowNumber: 2, poNumber: 'PO111111', poId: '111111', problem: null,
      inputStatus: '', supplier: '', folderLevels: null, cells: { PO_NUMBER: 'PO111111' },
    });
  });

  it('takes folder levels from the columns after the <|> column, trimmed and in order', async () => {
    const sheet = await readCsv('tree.csv', 'PO_NUMBER,NOTE,<|>,Region,Plant\nPO111111,x,, Europe ,\nPO222222,y,,Asia,Pune\n');
    assert.deepEqual(sheet.rows.map((row) => row.folderLevels), [['Europe', ''], ['Asia', 'Pune']]);
    assert.deepEqual(sheet.columns, ['PO_NUMBER', 'NOTE', '<|>', 'Region', 'Plant']);
  });

  it('keeps every cell by its header, naming blank and repeated headers so none is lost', async () => {
    const sheet = await readCsv('names.csv', 'PO_NUMBER,Note,,Note\nPO111111,a,b,c,d\n');
    assert.deepEqual(sheet.columns, ['PO_NUMBER', 'Note', 'COLUMN_C', 'Note_2', 'COLUMN_E']);
    assert.deepEqual(sheet.rows[0]?.cells, { PO_NUMBER: 'PO111111', Note: 'a', COLUMN_C: 'b', Note_2: 'c', COLUMN_E: 'd' });
  });

  it('drops trailing blank header columns that hold no data', async () => {
    const sheet = await readCsv('trailing.csv', 'PO_NUMBER,,\nPO111111,,\n');
    assert.deepEqual(sheet.columns, ['PO_NUMBER']);
  });

  it('reports every invalid row together with its row number and keeps the row', async () => {
    const sheet = await readCsv('bad.csv', 'PO_NUMBER,SUPPLIER\nPO12,A\nPO111111,B\n,C\nhello,D\n');
    assert.deepEqual(sheet.rows.map((row) => [row.rowNumber, row.poId]), [[2, null], [3, '111111'], [4, null], [5, null]]);
    assert.deepEqual(sheet.problems.map((problem) => [problem.rowNumber, problem.poNumber]), [[2, 'PO12'], [4, ''], [5, 'hello']]);
    assert.equal(sheet.rows[0]?.problem, sheet.problems[0]?.message);
    assert.match(sheet.problems[0]?.message ?? '', /got `PO12`/);
  });

  it('keeps duplicate PO rows, each with its own row number', async () => {
    const sheet = await readCsv('dupes.csv', 'PO_NUMBER\nPO111111\npo111111\n111111\n');
    assert.deepEqual(sheet.rows.map((row) => [row.rowNumber, row.poId]), [[2, '111111'], [3, '111111'], [4, '111111']]);
    assert.deepEqual(sheet.problems, []);
  });

  it('returns no rows for a sheet with only a header', async () => {
    const sheet = await readCsv('header-only.csv', 'PO_NUMBER\n');
    assert.deepEqual(sheet.rows, []);
  });
});

describe('readInputSheet failures', () => {
  it('lists the headers it found when there is no PO_NUMBER column', async () => {
    const error = await rejection(readCsv('nopo.csv', 'Order,Vendor\nPO111111,Acme\n'));
    assert.equal(error.code, 'INPUT_INVALID');
    assert.equal(error.message, 'Expected a PO_NUMBER column in nopo.csv, found the headers `Order`, `Vendor` (row 1).');
    assert.match(error.hint ?? '', /PO_NUMBER/);
  });

  it('says when the first row looks like data rather than headers', async () => {
    const error = await rejection(readCsv('noheader.csv', 'PO111111\nPO222222\n'));
    assert.match(error.hint ?? '', /Row 1 looks like data/);
  });

  it('rejects an empty file as invalid', async () => {
    const error = await rejection(readCsv('empty.csv', '\n\n'));
    assert.equal(error.code, 'INPUT_INVALID');
    assert.match(error.message, /empty/);
  });

  it('says which file is missing', async () => {
    const path = join(dir, 'missing.csv');
    const error = await rejection(readInputSheet(path, { prefixRule: DEFAULT_PO_PREFIX_RULE }));
    assert.equal(error.code, 'INPUT_UNREADABLE');
    assert.equal(error.message, `No input file at ${path}.`);
  });

  it('explains that a folder is not a file', async () => {
    const path = join(dir, 'folder.csv');
    await mkdir(path);
    const error = await rejection(readInputSheet(path, { prefixRule: DEFAULT_PO_PREFIX_RULE }));
    assert.equal(error.code, 'INPUT_UNREADABLE');
    assert.match(error.message, /is a folder/);
  });

  it('asks to save an old .xls file as .xlsx or CSV', async () => {
    const error = await rejection(readCsv('old.xls', 'whatever'));
    assert.equal(error.code, 'INPUT_UNREADABLE');
    assert.match(error.hint ?? '', /Excel Workbook \(\.xlsx\)/);
  });

  it('recognises old Excel bytes behind a .csv name', async () => {
    const path = join(dir, 'ole.csv');
    await writeFile(path, Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]));
    const error = await rejection(readInputSheet(path, { prefixRule: DEFAULT_PO_PREFIX_RULE }));
    assert.match(error.message, /old-format \(\.xls\) or password-protected/);
  });

  it('rejects an unsupported extension by name', async () => {
    const error = await rejection(readCsv('orders.pdf', '%PDF-1.4'));
    assert.equal(error.message, 'Expected a .csv, .txt, .xlsx or .xlsm file, got `orders.pdf`.');
  });

  it('rejects an .xlsx that is not a workbook and one that is damaged', async () => {
    const text = await rejection(readCsv('text.xlsx', 'PO_NUMBER\nPO111111\n'));
    assert.equal(text.code, 'INPUT_UNREADABLE');
    assert.match(text.message, /to be an Excel workbook/);
    const path = join(dir, 'broken.xlsx');
    await writeFile(path, Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(64, 7)]));
    const broken = await rejection(readInputSheet(path, { prefixRule: DEFAULT_PO_PREFIX_RULE }));
    assert.equal(broken.code, 'INPUT_UNREADABLE');
    assert.match(broken.message, /^Could not read broken\.xlsx as an Excel workbook/);
  });
});

describe('formatRowProblems', () => {
  it('lists each problem on its own line with the row number', () => {
    const text = formatRowProblems([
      { rowNumber: 2, poNumber: 'PO12', message: 'Too short.' },
      { rowNumber: 7, poNumber: '', message: 'Empty.' },
    ]);
    assert.equal(text, '2 rows have problems:\n  Row 2: Too short.\n  Row 7: Empty.');
  });

  it('shows the first 20 and says how many more there are', () => {
    const problems = Array.from({ length: 23 }, (_, index) => ({ rowNumber: index + 2, poNumber: 'x', message: 'Bad.' }));
    const lines = formatRowProblems(problems).split('\n');
    assert.equal(lines[0], '23 rows have problems:');
    assert.equal(lines.length, 22);
    assert.equal(lines[20], '  Row 21: Bad.');
    assert.equal(lines[21], '  … and 3 more');
  });

  it('is empty when there are no problems', () => {
    assert.equal(formatRowProblems([]), '');
  });
});
