import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_FILE_NAME_CHARS, safeFileName, splitExtension, uniqueFileName } from '../../../src/domain/file-name.ts';

describe('safeFileName', () => {
  it('keeps ordinary and Unicode names as they are, in NFC', () => {
    assert.equal(safeFileName('Invoice 2024.pdf'), 'Invoice 2024.pdf');
    assert.equal(safeFileName('Orçamento_São_Paulo.pdf'), 'Orçamento_São_Paulo.pdf');
    assert.equal(safeFileName('cafe\u0301.pdf'), 'caf\u00e9.pdf');
    assert.equal(safeFileName('見積書.xlsx'), '見積書.xlsx');
  });

  it('replaces separators, Windows-forbidden and control characters', () => {
    assert.equal(safeFileName('a/b\\c:d*e?f"g<h>i|j.pdf'), 'a_b_c_d_e_f_g_h_i_j.pdf');
    assert.equal(safeFileName('tab\there\u0000.txt'), 'tab_here_.txt');
  });

  it('never yields a parent-folder reference or a hidden dot name', () => {
    assert.equal(safeFileName('..'), 'attachment');
    assert.equal(safeFileName('../../etc/passwd'), '_._etc_passwd');
    assert.equal(safeFileName('report..final.pdf'), 'report.final.pdf');
    assert.equal(safeFileName('.htaccess'), 'htaccess');
  });

  it('prefixes Windows device names in any case, with or without extension', () => {
    assert.equal(safeFileName('CON'), '_CON');
    assert.equal(safeFileName('nul.txt'), '_nul.txt');
    assert.equal(safeFileName('Com1.tar.gz'), '_Com1.tar.gz');
    assert.equal(safeFileName('LPT9.pdf'), '_LPT9.pdf');
    assert.equal(safeFileName('CONSOLE.pdf'), 'CONSOLE.pdf');
  });

  it('drops trailing dots and spaces, which Windows silently removes', () => {
    assert.equal(safeFileName('notes. . '), 'notes');
    assert.equal(safeFileName('  padded.pdf  '), 'padded.pdf');
  });

  it('uses the fallback when nothing is left', () => {
    assert.equal(safeFileName(''), 'attachment');
    assert.equal(safeFileName('   '), 'attachment');
    assert.equal(safeFileName('?', 'file-7'), 'file-7');
  });

  it('cuts long names to 150 characters and keeps the extension', () => {
    const name = safeFileName(`${'x'.repeat(400)}.pdf`);
    assert.equal(Array.from(name).length, MAX_FILE_NAME_CHARS);
    assert.ok(name.endsWith('x.pdf'));
  });

  it('keeps long multi-byte names within what Linux file systems accept', () => {
    const name = safeFileName(`${'見'.repeat(200)}.pdf`);
    assert.ok(Buffer.byteLength(name) <= 255);
    assert.ok(name.endsWith('見.pdf'));
  });
});

describe('uniqueFileName', () => {
  it('returns the name when the folder does not have it', () => {
    assert.equal(uniqueFileName('a.pdf', ['b.pdf']), 'a.pdf');
  });

  it('numbers duplicates before the extension, comparing case-insensitively', () => {
    assert.equal(uniqueFileName('Scan.PDF', ['scan.pdf']), 'Scan (2).PDF');
    assert.equal(uniqueFileName('scan.pdf', ['scan.pdf', 'SCAN (2).pdf']), 'scan (3).pdf');
    assert.equal(uniqueFileName('README', ['readme']), 'README (2)');
  });

  it('stays within the length limit when numbering a long name', () => {
    const long = safeFileName(`${'y'.repeat(300)}.docx`);
    const next = uniqueFileName(long, [long]);
    assert.equal(Array.from(next).length, MAX_FILE_NAME_CHARS);
    assert.ok(next.endsWith(' (2).docx'));
  });
});

describe('splitExtension', () => {
  it('splits the last extension only', () => {
    assert.deepEqual(splitExtension('archive.tar.gz'), { stem: 'archive.tar', extension: '.gz' });
    assert.deepEqual(splitExtension('no extension here'), { stem: 'no extension here', extension: '' });
    assert.deepEqual(splitExtension('.pdf'), { stem: '.pdf', extension: '' });
  });
});
