import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LinePageLink, RawAttachment } from '../../../src/coupa/page-read.ts';
import type { PageView } from '../../../src/coupa/page-view.ts';
import { keyed, mergeAttachments, nextLinePage, nextStep, START, type PageSeen, type PoFacts } from '../../../src/coupa/po-steps.ts';
import { attachmentsFrom } from '../../../src/coupa/attachment-list.ts';

const PO_URL = 'https://acme.coupahost.com/order_headers/100001';
const REQ_URL = 'https://acme.coupahost.com/requisition_headers/700001';

function file(name: string, id = 1): RawAttachment {
  return { kind: 'file', url: `https://acme.coupahost.com/attachment/attachment_file/file/${id}/${name}`, label: name, text: '', widget: null };
}

function readyView(attachments: RawAttachment[], requisitionUrl: string | null = REQ_URL, review: string[] = [], linePages: LinePageLink[] = []): PageView {
  return { kind: 'ready', supplier: 'Acme', requisitionUrl, attachments, linePages, review };
}

function seen(view: PageView, url = PO_URL): PageSeen {
  return { view, url, attachments: view.kind === 'ready' ? view.attachments : [], settled: view.kind === 'error', linePagesSeen: [], review: view.kind === 'ready' ? view.review : [] };
}

/** Plays the steps the way process-po.ts does: each page first read provisionally, then settled as `settledView`. */
function play(po: { first: PageView; settled: PageView }, requisition: { first: PageView; settled: PageView } | null, failures = 0) {
  let facts: PoFacts = START;
  const steps: string[] = [];
  for (let guard = 0; guard < 30; guard += 1) {
    const next = nextStep(facts, PO_URL);
    steps.push(next.step === 'download' ? `download ${next.from} ${next.attachments.length}` : next.step === 'settle' ? `settle ${next.which}` : next.step);
    switch (next.step) {
      case 'read-po':
        facts = { ...facts, po: seen(po.first) };
        break;
      case 'read-requisition':
        assert.ok(requisition, 'the requisition is read only when there is one');
        facts = { ...facts, requisition: seen(requisition.first, REQ_URL) };
        break;
      case 'settle': {
        const page = next.which === 'po' ? po : requisition;
        const before = facts[next.which];
        assert.ok(page && before);
        const view = page.settled;
        const attachments = view.kind === 'ready' ? mergeAttachments(before.attachments, view.attachments, next.which) : before.attachments;
        facts = { ...facts, [next.which]: { ...before, view, attachments, settled: true, review: view.kind === 'ready' ? view.review : [] } };
        break;
      }
      case 'next-line-page':
        throw new Error('no line pages in these cases');
      case 'download':
        facts = { ...facts, queued: new Set([...facts.queued, ...next.attachments.map(({ key }) => key)]) };
        break;
      case 'finish-downloads': {
        const keys = [...facts.queued];
        const saved = keys.slice(failures).map((key) => ({ poNumber: 'PO1', name: key, relativePath: key, sizeBytes: 1, sha256: '', sourceUrl: '', kind: 'file' as const, origin: 'po' as const }));
        facts = { ...facts, downloads: { saved, failures: keys.slice(0, failures).map((name) => ({ name, reason: 'HTTP 500' })) } };
        break;
      }
      case 'end':
        return { steps, verdict: next.verdict };
    }
  }
  throw new Error(`no end after 30 steps: ${steps.join(', ')}`);
}

const same = (view: PageView) => ({ first: view, settled: view });

describe('nextStep: what to do next with a PO', () => {
  it('ends an error page at once with its status, before any download', () => {
    const { steps, verdict } = play(same({ kind: 'error', status: 'ACCESS_DENIED', message: 'You are not authorized' }), null);
    assert.deepEqual(steps, ['read-po', 'end']);
    assert.equal(verdict.status, 'ACCESS_DENIED');
  });

  it('queues the first reading\'s files at once, settles the page, and skips the requisition when a PDF is there', () => {
    const { steps, verdict } = play(same(readyView([file('Invoice.pdf'), file('Quote.docx', 2)])), null);
    assert.deepEqual(steps, ['read-po', 'download po 2', 'settle po', 'finish-downloads', 'end']);
    assert.equal(verdict.status, 'COMPLETED');
    assert.equal(verdict.coupaUrl, PO_URL);
  });

  it('queues what only the settled page shows (comments rendered late), and then no longer needs the requisition', () => {
    const { steps, verdict } = play({ first: readyView([file('Quote.docx')]), settled: readyView([file('Quote.docx'), file('Signed PO.pdf', 7)]) }, null);
    assert.deepEqual(steps, ['read-po', 'download po 1', 'settle po', 'download po 1', 'finish-downloads', 'end']);
    assert.equal(verdict.status, 'COMPLETED');
    assert.equal(verdict.found, 2);
  });

  it('reads the requisition only after the PO page has settled without a PDF, and names it as the source', () => {
    const requisition = same(readyView([file('PR.pdf', 9)], null));
    const { steps, verdict } = play(same(readyView([file('Quote.docx')])), requisition);
    assert.deepEqual(steps, ['read-po', 'download po 1', 'settle po', 'read-requisition', 'download requisition 1', 'settle requisition', 'finish-downloads', 'end']);
    assert.equal(verdict.coupaUrl, REQ_URL);
    assert.equal(verdict.found, 2);
  });

  it('keeps the PO\'s own files and says PR_NOT_ACCESSIBLE when the requisition is an error page', () => {
    const { verdict } = play(same(readyView([])), same({ kind: 'error', status: 'ACCESS_DENIED', message: 'You are not authorized' }));
    assert.equal(verdict.status, 'PR_NOT_ACCESSIBLE');
    assert.match(verdict.message, /Requisition not accessible: .*700001: You are not authorized/);
  });

  it('ends NO_ATTACHMENTS only for a settled page that shows nothing, and PARTIAL when a file failed', () => {
    assert.equal(play(same(readyView([], null)), null).verdict.status, 'NO_ATTACHMENTS');
    assert.equal(play(same(readyView([file('a.pdf'), file('b.pdf', 2)])), null, 1).verdict.status, 'PARTIAL');
  });

  it('never ends COMPLETED nor NO_ATTACHMENTS when the settled page needs a look, and says why with the numbers', () => {
    const unsure = play({ first: readyView([file('a.pdf')]), settled: readyView([file('a.pdf')], REQ_URL, ['the page counts 7 comments but 5 were read']) }, null);
    assert.equal(unsure.verdict.status, 'NEEDS_REVIEW');
    assert.match(unsure.verdict.message, /counts 7 comments but 5 were read.*1 of 1 attachment found were downloaded/);
    const empty = play({ first: readyView([], null), settled: readyView([], null, ['when the page\'s time to settle ran out, it still showed a loading sign']) }, null);
    assert.equal(empty.verdict.status, 'NEEDS_REVIEW');
  });

  it('ends a page that settles into "not this PO" with its error status, not NO_ATTACHMENTS', () => {
    const { verdict } = play({ first: readyView([], null), settled: { kind: 'error', status: 'PO_NOT_FOUND', message: 'Coupa showed a page that is not PO 100001 (title "Home")' } }, null);
    assert.equal(verdict.status, 'PO_NOT_FOUND');
  });
});

describe('nextLinePage: every page of the lines table, whatever the links look like', () => {
  const link = (text: string, current = false): LinePageLink => ({ text, href: `https://acme.coupahost.com/order_headers/search_order_line_table?page=${text}`, current });

  it('goes through the page numbers in order, starting after the current page', () => {
    assert.equal(nextLinePage([link('1', true), link('2'), link('3')], [])?.text, '2');
    assert.equal(nextLinePage([link('1'), link('2', true), link('3')], ['2'])?.text, '1');
    assert.equal(nextLinePage([link('1'), link('2'), link('3', true)], ['2', '1', '3']), null);
  });

  it('takes page 1 as shown when no link is marked current', () => {
    assert.equal(nextLinePage([link('1'), link('2')], [])?.text, '2');
  });

  it('follows "next" links when there are no numbers, and stops when there is none', () => {
    assert.equal(nextLinePage([{ text: 'Next ›', href: 'x', current: false }], [])?.text, 'next 1');
    assert.equal(nextLinePage([{ text: 'Next ›', href: 'x', current: false }], ['next 1'])?.text, 'next 2');
    assert.equal(nextLinePage([{ text: '‹ Previous', href: 'x', current: false }], ['next 1']), null);
  });
});

describe('keyed and mergeAttachments: one key per attachment, the same when read again', () => {
  it('counts a file linked twice once, and keeps two equal notes apart', () => {
    const note: RawAttachment = { kind: 'text', url: '', label: 'See contract', text: 'See contract', widget: null };
    const keys = keyed(attachmentsFrom([file('a.pdf'), file('a.pdf'), note, note], 'po')).map(({ key }) => key);
    assert.equal(keys.length, 3);
  });

  it('adds up two readings of one page without counting anything twice', () => {
    const note: RawAttachment = { kind: 'text', url: '', label: 'n', text: 'n', widget: null };
    const merged = mergeAttachments([file('a.pdf'), note], [file('a.pdf'), note, note, file('b.pdf', 2)], 'po');
    assert.deepEqual(merged.map((attachment) => attachment.label), ['a.pdf', 'n', 'n', 'b.pdf']);
  });
});
