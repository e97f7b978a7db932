import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { downloadMessage, downloadStatus, isPdfName } from '../../../src/coupa/po-result.ts';
import { errorPageMessage, errorPageStatus } from '../../../src/coupa/error-page.ts';
import { internetShortcut, noteFileFor } from '../../../src/coupa/note-files.ts';
import { poPdfFailureVerdict } from '../../../src/coupa/po-pdf-verdict.ts';

const tally = { found: 3, downloaded: 3, failures: [], requisitionError: null };

describe('downloadStatus', () => {
  it('is COMPLETED only when every attachment is on disk', () => {
    assert.equal(downloadStatus(tally), 'COMPLETED');
  });

  it('is PARTIAL when some files failed and FAILED when none arrived', () => {
    const failures = [{ name: 'a.pdf', reason: 'HTTP 503, after 3 attempts' }];
    assert.equal(downloadStatus({ ...tally, downloaded: 2, failures }), 'PARTIAL');
    assert.equal(downloadStatus({ ...tally, found: 1, downloaded: 0, failures }), 'FAILED');
  });

  it('is NO_ATTACHMENTS when nothing was found', () => {
    assert.equal(downloadStatus({ ...tally, found: 0, downloaded: 0 }), 'NO_ATTACHMENTS');
  });

  it('is PR_NOT_ACCESSIBLE when the requisition was needed but out of reach, even with the PO\'s own files', () => {
    assert.equal(downloadStatus({ ...tally, found: 0, downloaded: 0, requisitionError: 'Access denied' }), 'PR_NOT_ACCESSIBLE');
    assert.equal(downloadStatus({ ...tally, found: 1, downloaded: 1, requisitionError: 'Access denied' }), 'PR_NOT_ACCESSIBLE');
  });
});

describe('downloadMessage', () => {
  it('names each failed file and why', () => {
    const failures = [{ name: 'a.pdf', reason: 'HTTP 503, after 3 attempts' }, { name: 'b.docx', reason: 'timed out' }];
    assert.equal(
      downloadMessage({ ...tally, downloaded: 1, failures }),
      'Could not download 2 of 3 attachments: a.pdf (HTTP 503, after 3 attempts); b.docx (timed out)',
    );
  });

  it('is empty when all went well', () => {
    assert.equal(downloadMessage(tally), '');
  });
});

describe('error pages', () => {
  it('tells access denied from not found, in English and Portuguese', () => {
    assert.equal(errorPageStatus('You are not authorized to view this page'), 'ACCESS_DENIED');
    assert.equal(errorPageStatus('Access denied'), 'ACCESS_DENIED');
    assert.equal(errorPageStatus("Oops! We couldn't find what you wanted"), 'PO_NOT_FOUND');
    assert.equal(errorPageStatus('Desculpe, não encontramos o que você procurava'), 'PO_NOT_FOUND');
  });

  it('keeps the marker text on one short line', () => {
    assert.equal(errorPageMessage('  Oops!\n  We couldn\'t   find it '), "Oops! We couldn't find it");
    assert.ok(errorPageMessage('x'.repeat(500)).length <= 200);
  });
});

describe('note files', () => {
  it('saves a URL attachment as an Internet Shortcut', () => {
    const note = noteFileFor({ kind: 'url', origin: 'po', url: 'https://docs.example.net/specs/1', label: 'Specs', text: '', widget: null });
    assert.equal(note.wantedName, 'Specs.url');
    assert.equal(note.body.toString(), '[InternetShortcut]\r\nURL=https://docs.example.net/specs/1\r\n');
    assert.equal(internetShortcut('https://x.test/'), '[InternetShortcut]\r\nURL=https://x.test/\r\n');
  });

  it('saves a Text attachment as a .txt named after its first words', () => {
    const text = 'Deliver to dock 4 and ask for Maria at reception. Bring the signed delivery note along.';
    const note = noteFileFor({ kind: 'text', origin: 'po', url: '', label: text, text, widget: null });
    assert.equal(note.wantedName, 'Deliver to dock 4 and ask for Maria at reception. Bring the.txt');
    assert.equal(note.body.toString(), `${text}\r\n`);
  });
});

describe('isPdfName', () => {
  it('recognises PDFs by extension in any case', () => {
    assert.ok(isPdfName('Quote.PDF'));
    assert.ok(!isPdfName('Quote.pdf.docx'));
  });
});

describe('URL shortcut names', () => {
  it('names a link shown as its bare address after its host and last segment', () => {
    const url = 'https://sharepoint.example.org/sites/procurement/Shared%20Documents/900123';
    const note = noteFileFor({ kind: 'url', origin: 'po', url, label: url, text: '', widget: null });
    assert.equal(note.wantedName, 'sharepoint.example.org - 900123.url');
  });
});

describe('a PO whose PDF was asked for and could not be saved', () => {
  const failure = 'The PO could not be saved as PDF: the print view answered HTTP 500.';
  it('is no longer COMPLETED: PARTIAL, so the next run fetches it again, with the reason', () => {
    assert.deepEqual(poPdfFailureVerdict('COMPLETED', '', failure), { status: 'PARTIAL', message: failure });
    assert.deepEqual(poPdfFailureVerdict('PR_NOT_ACCESSIBLE', 'Requisition not accessible: x', failure), { status: 'PARTIAL', message: `Requisition not accessible: x. ${failure}` });
  });

  it('stays NO_ATTACHMENTS, the PDF being no attachment, and keeps a worse status', () => {
    assert.equal(poPdfFailureVerdict('NO_ATTACHMENTS', '', failure).status, 'NO_ATTACHMENTS');
    assert.equal(poPdfFailureVerdict('FAILED', 'Could not download 2 of 2 attachments', failure).status, 'FAILED');
    assert.equal(poPdfFailureVerdict('NEEDS_REVIEW', 'The page needs a look.', failure).message, `The page needs a look. ${failure}`);
  });
});
