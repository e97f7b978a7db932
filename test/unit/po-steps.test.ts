import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RawAttachment } from '../../src/coupa/page-read.ts';
import { keyed, nextStep, START, type PageSeen, type PoFacts } from '../../src/coupa/po-steps.ts';
import { attachmentsFrom } from '../../src/coupa/attachment-list.ts';

const PO_URL = 'https://acme.coupahost.com/order_headers/100001';
const REQ_URL = 'https://acme.coupahost.com/requisition_headers/700001';

function file(name: string, url = `https://acme.coupahost.com/attachment/attachment_file/file/1/${name}`): RawAttachment {
  return { kind: 'file', url, label: name, text: '', widget: null };
}

function ready(attachments: RawAttachment[], requisitionUrl: string | null = REQ_URL, concluded = true): PageSeen {
  return { view: { kind: 'ready', supplier: 'Acme', requisitionUrl, attachments }, url: PO_URL, concluded };
}

/** Plays the steps the way process-po.ts does, with pages and downloads given up front. */
function play(po: PageSeen, requisition: PageSeen | null, failures = 0): { steps: string[]; end: ReturnType<typeof nextStep> } {
  let facts: PoFacts = START;
  const steps: string[] = [];
  for (let guard = 0; guard < 20; guard += 1) {
    const next = nextStep(facts, PO_URL);
    steps.push(next.step === 'download' ? `download ${next.from} ${next.attachments.length}` : next.step);
    switch (next.step) {
      case 'read-po':
        facts = { ...facts, po: { ...po, concluded: false } };
        break;
      case 'conclude-po':
        facts = { ...facts, po };
        break;
      case 'read-requisition':
        assert.ok(requisition, 'the requisition is read only when there is one');
        facts = { ...facts, requisition };
        break;
      case 'conclude-requisition':
        break;
      case 'download':
        facts = { ...facts, queued: new Set([...facts.queued, ...next.attachments.map(({ key }) => key)]) };
        break;
      case 'finish-downloads': {
        const saved = [...facts.queued].slice(failures).map((key) => ({ poNumber: 'PO1', name: key, relativePath: key, sizeBytes: 1, sha256: '', sourceUrl: '', kind: 'file' as const, origin: 'po' as const }));
        facts = { ...facts, downloads: { saved, failures: [...facts.queued].slice(0, failures).map((name) => ({ name, reason: 'HTTP 500' })) } };
        break;
      }
      case 'end':
        return { steps, end: next };
    }
  }
  throw new Error(`no end after 20 steps: ${steps.join(', ')}`);
}

describe('nextStep: what to do next with a PO', () => {
  it('ends an error page at once with its status, before any download', () => {
    const { steps, end } = play({ view: { kind: 'error', text: 'You are not authorized to view this page.' }, url: PO_URL, concluded: true }, null);
    assert.deepEqual(steps, ['read-po', 'end']);
    assert.equal(end.step === 'end' && end.verdict.status, 'ACCESS_DENIED');
  });

  it('queues the PO page\'s files as soon as it is read, concludes it, and skips the requisition when a PDF is there', () => {
    const { steps, end } = play(ready([file('Invoice.pdf'), file('Quote.docx')]), null);
    assert.deepEqual(steps, ['read-po', 'download po 2', 'conclude-po', 'finish-downloads', 'end']);
    assert.ok(end.step === 'end');
    assert.equal(end.verdict.status, 'COMPLETED');
    assert.equal(end.verdict.coupaUrl, PO_URL);
  });

  it('reads the requisition only after the PO page is concluded, when the PO has no PDF, and names it as the source', () => {
    const requisition: PageSeen = { view: { kind: 'ready', supplier: '', requisitionUrl: null, attachments: [file('PR.pdf', 'https://acme.coupahost.com/attachment/attachment_file/file/9/PR.pdf')] }, url: REQ_URL, concluded: true };
    const { steps, end } = play(ready([file('Quote.docx')]), requisition);
    assert.deepEqual(steps, ['read-po', 'download po 1', 'conclude-po', 'read-requisition', 'download requisition 1', 'finish-downloads', 'end']);
    assert.ok(end.step === 'end');
    assert.equal(end.verdict.coupaUrl, REQ_URL);
    assert.equal(end.verdict.found, 2);
  });

  it('keeps the PO\'s own files and says PR_NOT_ACCESSIBLE when the requisition is an error page', () => {
    const requisition: PageSeen = { view: { kind: 'error', text: 'You are not authorized' }, url: REQ_URL, concluded: true };
    const { end } = play(ready([]), requisition);
    assert.ok(end.step === 'end');
    assert.equal(end.verdict.status, 'PR_NOT_ACCESSIBLE');
    assert.match(end.verdict.message, /Requisition not accessible: .*700001: You are not authorized/);
  });

  it('ends NO_ATTACHMENTS when neither page shows anything, and PARTIAL when a file failed', () => {
    assert.ok(play(ready([], null), null).end.step === 'end');
    const none = play(ready([], null), null).end;
    assert.equal(none.step === 'end' && none.verdict.status, 'NO_ATTACHMENTS');
    const partial = play(ready([file('a.pdf'), file('b.pdf', 'https://acme.coupahost.com/attachment/attachment_file/file/2/b.pdf')]), null, 1).end;
    assert.equal(partial.step === 'end' && partial.verdict.status, 'PARTIAL');
  });

  it('queues only what is new when a page is read again', () => {
    const first = ready([file('Invoice.pdf')], null, false);
    const facts: PoFacts = { ...START, po: first, queued: new Set(keyed(attachmentsFrom(first.view.kind === 'ready' ? first.view.attachments : [], 'po')).map(({ key }) => key)) };
    assert.equal(nextStep(facts, PO_URL).step, 'conclude-po');
    const again = { ...facts, po: ready([file('Invoice.pdf'), file('Late.pdf', 'https://acme.coupahost.com/attachment/attachment_file/file/3/Late.pdf')], null, false) };
    const next = nextStep(again, PO_URL);
    assert.ok(next.step === 'download');
    assert.deepEqual(next.attachments.map(({ attachment }) => attachment.label), ['Late.pdf']);
  });
});

describe('keyed: one key per attachment, the same when read again', () => {
  it('counts a file linked twice once, and keeps two equal notes apart', () => {
    const note: RawAttachment = { kind: 'text', url: '', label: 'See contract', text: 'See contract', widget: null };
    const keys = keyed(attachmentsFrom([file('a.pdf'), file('a.pdf'), note, note], 'po')).map(({ key }) => key);
    assert.equal(keys.length, 3);
    assert.equal(new Set(keys).size, 3);
  });
});
