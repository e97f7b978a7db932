import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CoupaDlError } from '../../../src/domain/errors.ts';
import { DEFAULT_PO_PREFIX_RULE } from '../../../src/domain/po-number.ts';
import { readInputSheet } from '../../../src/io/input-sheet.ts';
import { tempDir, type TempDir } from '../../support/temp-dir.ts';

let dir = '';
let dirTemp: TempDir | undefined;

before(async () => {
  dirTemp = await tempDir('coupa-dl-mistakes-');
  dir = dirTemp.path;
});
after(async () => {
  await dirTemp?.remove();
});

async function read(name: string, bytes: string | Uint8Array) {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return readInputSheet(path, { prefixRule: DEFAULT_PO_PREFIX_RULE });
}

function unreadable(pattern: RegExp) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof CoupaDlError, String(error));
    assert.equal(error.code, 'INPUT_UNREADABLE');
    assert.match(error.message, pattern);
    assert.ok(error.hint, 'says what to do');
    return true;
  };
}

describe('a CSV the tool must not guess at', () => {
  it('names the line of a quote that is never closed', async () => {
    await assert.rejects(read('quote.csv', 'PO_NUMBER,NOTE\nPO100001,fine\nPO100002,"never closed\nPO100003,x\n'), unreadable(/^Line 3 of quote\.csv opens a quote/));
  });

  it('counts a sep= line when it names the line of the open quote', async () => {
    await assert.rejects(read('sep.csv', 'sep=;\nPO_NUMBER;NOTE\n"PO100001;x\n'), unreadable(/^Line 3 of sep\.csv/));
  });

  it('keeps a stray quote inside a cell as text', async () => {
    const sheet = await read('inch.csv', 'PO_NUMBER,NOTE\nPO100001,12" pipe\n');
    assert.equal(sheet.rows.length, 1);
  });

  it('refuses rows split by another delimiter than the header, naming the lines', async () => {
    await assert.rejects(read('mixed.csv', 'PO_NUMBER;NOTE\nPO100001;a\nPO100002,b\nPO100003\tc\n'), unreadable(/mixes delimiters: its header is split by `;` but lines 3, 4 by `,` or TAB/));
  });

  it('reads a one-column sheet whose rows hold no delimiter at all', async () => {
    const sheet = await read('one.csv', 'PO_NUMBER\nPO100001\nPO100002\n');
    assert.equal(sheet.rows.length, 2);
  });

  it('reads commas inside quoted cells of a semicolon sheet', async () => {
    const sheet = await read('quoted.csv', 'PO_NUMBER;NOTE\nPO100001;"a, b"\n"PO100002";x\n');
    assert.equal(sheet.rows.length, 2);
  });

  it('refuses binary data renamed .csv', async () => {
    const bytes = Uint8Array.from({ length: 4000 }, (_, index) => (index * 7919 + 13) % 256);
    await assert.rejects(read('photo.csv', bytes), unreadable(/does not look like a text file: it holds binary data/));
  });

  it('refuses a text file with NUL bytes in it', async () => {
    await assert.rejects(read('nul.csv', 'PO_NUMBER\nPO100001\u0000\u0000\u0000\nPO100002\n'), unreadable(/binary data/));
  });
});

describe('a workbook the tool cannot open', () => {
  it('says a password-protected workbook (an OLE file) must be saved without its password', async () => {
    const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]);
    await assert.rejects(read('locked.xlsx', ole), unreadable(/password-protected/));
  });

  it('says a damaged workbook (a cut zip) may be saved again', async () => {
    const cut = Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(200, 7)]);
    await assert.rejects(read('cut.xlsx', cut), unreadable(/Could not read cut\.xlsx as an Excel workbook/));
  });
});
