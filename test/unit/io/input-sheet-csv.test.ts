import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_PO_PREFIX_RULE } from '../../../src/domain/po-number.ts';
import { readInputSheet } from '../../../src/io/input-sheet.ts';
import { detectEncoding } from '../../../src/io/text-encoding.ts';
import { tempDir, type TempDir } from '../../support/temp-dir.ts';

let dir = '';
let dirTemp: TempDir | undefined;

before(async () => {
  dirTemp = await tempDir('coupa-dl-csv-');
  dir = dirTemp.path;
});
after(async () => {
  await dirTemp?.remove();
});

async function readBytes(name: string, bytes: Uint8Array) {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return readInputSheet(path, { prefixRule: DEFAULT_PO_PREFIX_RULE });
}

function utf16le(text: string, bom: boolean): Buffer {
  const body = Buffer.from(text, 'utf16le');
  return bom ? Buffer.concat([Buffer.from([0xff, 0xfe]), body]) : body;
}

function utf16be(text: string): Buffer {
  const body = Buffer.from(text, 'utf16le');
  for (let index = 0; index < body.length; index += 2) body.writeUInt16BE(body.readUInt16LE(index), index);
  return Buffer.concat([Buffer.from([0xfe, 0xff]), body]);
}

const SAMPLE = 'PO_NUMBER,SUPPLIER\r\nPO15262984,Fornecedor Açúcar\r\n';

describe('readInputSheet on CSV files', () => {
  it('reads UTF-8 with a BOM without the BOM leaking into the first header', async () => {
    const sheet = await readBytes('bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SAMPLE)]));
    assert.deepEqual(sheet.columns, ['PO_NUMBER', 'SUPPLIER']);
    assert.equal(sheet.rows[0]?.poId, '15262984');
    assert.equal(sheet.rows[0]?.supplier, 'Fornecedor Açúcar');
  });

  it('reads UTF-8 without a BOM', async () => {
    const sheet = await readBytes('plain.csv', Buffer.from(SAMPLE));
    assert.equal(sheet.rows[0]?.supplier, 'Fornecedor Açúcar');
  });

  it("reads Excel's tab-separated Unicode text (UTF-16 LE with a BOM)", async () => {
    const sheet = await readBytes('unicode.txt', utf16le('PO_NUMBER\tSUPPLIER\r\nPO15262984\tFornecedor Açúcar\r\n', true));
    assert.deepEqual(sheet.columns, ['PO_NUMBER', 'SUPPLIER']);
    assert.equal(sheet.rows[0]?.supplier, 'Fornecedor Açúcar');
  });

  it('recognises UTF-16 LE without a BOM by its NUL bytes', async () => {
    const bytes = utf16le(SAMPLE, false);
    assert.equal(detectEncoding(bytes), 'utf-16le');
    const sheet = await readBytes('nobom16.csv', bytes);
    assert.equal(sheet.rows[0]?.supplier, 'Fornecedor Açúcar');
  });

  it('reads UTF-16 BE with a BOM', async () => {
    const sheet = await readBytes('be.csv', utf16be(SAMPLE));
    assert.equal(sheet.rows[0]?.supplier, 'Fornecedor Açúcar');
  });

  it('falls back to Windows-1252 when the bytes are not valid UTF-8', async () => {
    const bytes = Buffer.from(SAMPLE, 'latin1');
    assert.equal(detectEncoding(bytes), 'windows-1252');
    const sheet = await readBytes('ansi.csv', bytes);
    assert.equal(sheet.rows[0]?.supplier, 'Fornecedor Açúcar');
  });

  it('detects a semicolon delimiter from the header line and keeps commas inside cells', async () => {
    const sheet = await readBytes('semi.csv', Buffer.from('PO_NUMBER;SUPPLIER;AMOUNT\nPO15262984;Acme, Inc.;1,50\n'));
    assert.deepEqual(sheet.columns, ['PO_NUMBER', 'SUPPLIER', 'AMOUNT']);
    assert.deepEqual(sheet.rows[0]?.cells, { PO_NUMBER: 'PO15262984', SUPPLIER: 'Acme, Inc.', AMOUNT: '1,50' });
  });

  it("honours Excel's sep= first line and does not count it as a row", async () => {
    const sheet = await readBytes('sep.csv', Buffer.from('sep=;\r\nPO_NUMBER;NOTE,X\r\nPO111111;a,b\r\n'));
    assert.deepEqual(sheet.columns, ['PO_NUMBER', 'NOTE,X']);
    assert.deepEqual(sheet.rows.map((row) => [row.rowNumber, row.cells['NOTE,X']]), [[2, 'a,b']]);
  });

  it('ignores delimiters inside quoted headers when detecting', async () => {
    const sheet = await readBytes('quoted-header.csv', Buffer.from('"a;b;c",PO_NUMBER\nx,PO15262984\n'));
    assert.deepEqual(sheet.columns, ['a;b;c', 'PO_NUMBER']);
  });

  it('reads quoted fields with embedded delimiters, doubled quotes and newlines as one Excel row', async () => {
    const text = 'PO_NUMBER,NOTE\r\nPO111111,"line one\r\nline two, with ""quotes"""\r\nPO222222,plain\r\n';
    const sheet = await readBytes('quoted.csv', Buffer.from(text));
    assert.equal(sheet.rows[0]?.cells['NOTE'], 'line one\r\nline two, with "quotes"');
    assert.deepEqual(sheet.rows.map((row) => row.rowNumber), [2, 3]);
  });

  it('tolerates a stray quote inside an unquoted cell', async () => {
    const sheet = await readBytes('stray.csv', Buffer.from('PO_NUMBER,ITEM\nPO111111,12" pipe\n'));
    assert.equal(sheet.rows[0]?.cells['ITEM'], '12" pipe');
  });

  it('skips blank lines without renumbering the rows after them', async () => {
    const sheet = await readBytes('blank.csv', Buffer.from('PO_NUMBER,SUPPLIER\n\nPO111111,A\n,\n  \nPO222222,B\n\n\n'));
    assert.deepEqual(sheet.rows.map((row) => [row.rowNumber, row.poNumber]), [[3, 'PO111111'], [6, 'PO222222']]);
    assert.deepEqual(sheet.problems, []);
  });
});
