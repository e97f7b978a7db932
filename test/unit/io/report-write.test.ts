import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { CoupaDlError } from '../../../src/domain/errors.ts';
import { alternativeName, writeFileAtomic } from '../../../src/io/atomic-file.ts';
import { readInputSheet } from '../../../src/io/input-sheet.ts';
import { DEFAULT_PO_PREFIX_RULE } from '../../../src/domain/po-number.ts';
import { writeReports } from '../../../src/io/report.ts';
import { completedRow, inputRow, runReport } from '../../support/report-rows.ts';
import { tempDir, type TempDir } from '../../support/temp-dir.ts';

let root = '';
let rootTemp: TempDir | undefined;

before(async () => {
  rootTemp = await tempDir('coupa-dl-report-');
  root = rootTemp.path;
});
after(async () => {
  await rootTemp?.remove();
});

const report = runReport(['PO_NUMBER'], [completedRow(inputRow(2, { PO_NUMBER: 'PO111111' }), ['a.pdf'])]);

describe('writeReports', () => {
  it('writes results.csv and results.xlsx into the output folder, creating it, and leaves no temp files', async () => {
    const outDir = join(root, 'fresh', 'out');
    const paths = await writeReports(outDir, report);
    assert.deepEqual(paths, { csvPath: join(outDir, 'results.csv'), xlsxPath: join(outDir, 'results.xlsx') });
    assert.deepEqual((await readdir(outDir)).sort(), ['results.csv', 'results.xlsx']);
    assert.match(await readFile(paths.csvPath, 'utf8'), /\r\nPO111111,COMPLETED,/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(paths.xlsxPath);
    assert.equal(workbook.getWorksheet('Results')?.getCell('A2').value, 'PO111111');
  });

  it('replaces the reports of an earlier write', async () => {
    const outDir = join(root, 'again');
    await writeReports(outDir, report);
    const later = runReport(['PO_NUMBER'], [completedRow(inputRow(2, { PO_NUMBER: 'PO333333' }), [])]);
    const paths = await writeReports(outDir, later);
    assert.equal(paths.csvPath, join(outDir, 'results.csv'));
    assert.match(await readFile(paths.csvPath, 'utf8'), /PO333333/);
    assert.doesNotMatch(await readFile(paths.csvPath, 'utf8'), /PO111111/);
  });

  it('writes under the next free name when a report cannot be replaced, without failing', async () => {
    const outDir = join(root, 'locked');
    // Root ignores file permissions, so a folder squatting the name stands in for a file Excel holds open.
    await mkdir(join(outDir, 'results.csv'), { recursive: true });
    await mkdir(join(outDir, 'results (1).csv', 'inside'), { recursive: true });
    const paths = await writeReports(outDir, report);
    assert.equal(paths.csvPath, join(outDir, 'results (2).csv'));
    assert.equal(paths.xlsxPath, join(outDir, 'results.xlsx'));
    assert.match(await readFile(paths.csvPath, 'utf8'), /PO111111/);
    assert.deepEqual((await readdir(outDir)).filter((name) => name.endsWith('.tmp')), []);
  });

  it('writes reports that read back as an input sheet, keeping statuses and passthrough columns', async () => {
    const input = inputRow(2, { PO_NUMBER: 'PO111111', Owner: '-Ana' });
    const paths = await writeReports(join(root, 'roundtrip'), runReport(['PO_NUMBER', 'Owner'], [completedRow(input, ['a.pdf'])]));
    for (const path of [paths.csvPath, paths.xlsxPath]) {
      const sheet = await readInputSheet(path, { prefixRule: DEFAULT_PO_PREFIX_RULE });
      assert.equal(sheet.rows[0]?.poId, '111111', path);
      assert.equal(sheet.rows[0]?.inputStatus, 'COMPLETED', path);
      assert.deepEqual(sheet.columns.slice(-2), ['Owner', 'SAVED_PAGE'], path);
    }
  });
});

describe('writeFileAtomic', () => {
  it('never leaves the target half-written: the old content stays until the new file is complete', async () => {
    const target = join(root, 'atomic.txt');
    await writeFile(target, 'old');
    const written = await writeFileAtomic(target, Buffer.from('new'));
    assert.equal(written, target);
    assert.equal(await readFile(target, 'utf8'), 'new');
    assert.deepEqual((await readdir(root)).filter((name) => name.startsWith('.atomic')), []);
  });

  it('reports a missing folder as OUTPUT_NOT_WRITABLE and cleans up', async () => {
    const target = join(root, 'no-such-folder', 'results.csv');
    await assert.rejects(writeFileAtomic(target, Buffer.from('x')), (error) => {
      assert.ok(error instanceof CoupaDlError);
      assert.equal(error.code, 'OUTPUT_NOT_WRITABLE');
      assert.match(error.message, /no-such-folder/);
      return true;
    });
  });

  it('names alternatives the way Windows does', () => {
    assert.equal(alternativeName('/out/results.csv', 0), '/out/results.csv');
    assert.equal(alternativeName('/out/results.csv', 1), '/out/results (1).csv');
    assert.equal(alternativeName('/out/results.xlsx', 12), '/out/results (12).xlsx');
  });
});
