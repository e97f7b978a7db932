import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_MIX, PO_KINDS, resolveMix } from '../../../src/simulator/catalogue-mix.ts';
import { buildCatalogue } from '../../../src/simulator/catalogue.ts';
import { buildTruth } from '../../../src/simulator/catalogue-truth.ts';
import { decideFaults, pageShapeFor, type FaultPlan, type FaultRequest } from '../../../src/simulator/fault-plan.ts';
import { fileFormatOf } from '../../../src/simulator/file-content.ts';
import { FileStore } from '../../../src/simulator/file-store.ts';
import { pageLinks } from '../../../src/simulator/line-table.ts';
import { listsDelayMs } from '../../../src/simulator/page-style.ts';
import { resolveOptions } from '../../../src/simulator/simulator-options.ts';
import { checkStorageRequest, signStorageUrl } from '../../../src/simulator/storage-url.ts';

function catalogueOf(pos: number, mix: Partial<Record<(typeof PO_KINDS)[number], number>> = {}, seed = 1) {
  return buildCatalogue({ seed, pos, mix: resolveMix(mix), fileSizeBytes: { min: 2048, max: 4096 } });
}

describe('simulator pages and truth', () => {
  it('gives a manyLines PO 200 lines with files on lines 1, 17, 60 and 199, one of them a PDF', () => {
    const catalogue = catalogueOf(14, { manyLines: 1 });
    const truth = buildTruth(catalogue, new FileStore(1, catalogue.files), { pageStyle: 'realistic', linesPerPage: 15, listsDelayMs: { min: 100, max: 800 } });
    const po = truth.pos.find((p) => p.kind === 'manyLines');
    assert.ok(po);
    assert.equal(po.lineCount, 200);
    assert.equal(po.pagesOfLines, 14);
    assert.deepEqual(po.attachments.filter((a) => a.origin === 'po').map((a) => [a.where, a.slot]), [['line', 1], ['line', 17], ['line', 60], ['line', 199]]);
    assert.equal(po.expectedFiles.filter((file) => fileFormatOf(file.name) === 'pdf').length, 1);
    assert.equal(po.expectedStatus, 'COMPLETED');
    assert.equal(po.opensRequisition, false, 'the PDF is on a line, so the requisition (with its lure PDF) stays closed');
  });

  it('leaves manyLines out of the default mix, so existing catalogues keep their kinds', () => {
    assert.equal(DEFAULT_MIX.manyLines, 0);
    assert.ok(!catalogueOf(200).pos.some((po) => po.kind === 'manyLines'));
  });

  it('counts comments, comment files and pages of lines for the starting preference', () => {
    const catalogue = catalogueOf(30);
    const store = new FileStore(1, catalogue.files);
    const at15 = buildTruth(catalogue, store, { pageStyle: 'realistic', linesPerPage: 15, listsDelayMs: { min: 100, max: 800 } });
    const at2 = buildTruth(catalogue, store, { pageStyle: 'paginated', linesPerPage: 2, listsDelayMs: { min: 100, max: 800 } });
    for (const [index, po] of at15.pos.entries()) {
      if (po.expectedStatus === 'PO_NOT_FOUND' || po.expectedStatus === 'ACCESS_DENIED') {
        assert.deepEqual([po.commentCount, po.lineCount], [0, 0]);
        continue;
      }
      const fileComments = new Set(po.attachments.filter((a) => a.origin === 'po' && a.where === 'comment').map((a) => a.slot)).size;
      assert.ok(po.commentCount >= fileComments + 1, `${po.id}: the comments with files and the decoy comment`);
      assert.equal(po.commentFileCount, po.attachments.filter((a) => a.origin === 'po' && a.where === 'comment' && a.kind === 'file').length);
      assert.equal(po.pagesOfLines, 1);
      assert.equal(at2.pos[index]?.pagesOfLines, Math.ceil(po.lineCount / 2));
    }
    const spread = at15.pos.filter((po) => po.kind === 'spread');
    assert.ok(spread.some((po) => po.attachments.some((a) => a.where === 'line' && a.slot === po.lineCount && a.slot > 2)), 'a spread PO keeps a file on its last line, past the first page of 2');
  });

  it('draws late-list delays per page from the seed, within the range, and none for inline styles', () => {
    const range = { min: 100, max: 800 };
    const delays = Array.from({ length: 50 }, (_, i) => listsDelayMs(1, 'xhrAfterLoad', `/order_headers/${String(100001 + i)}`, range));
    assert.ok(delays.every((d) => d !== null && d >= 100 && d <= 800));
    assert.deepEqual(delays, Array.from({ length: 50 }, (_, i) => listsDelayMs(1, 'xhrAfterLoad', `/order_headers/${String(100001 + i)}`, range)));
    assert.ok(new Set(delays).size > 10);
    assert.equal(listsDelayMs(1, 'realistic', '/order_headers/100001', range), null);
    assert.equal(listsDelayMs(1, 'paginated', '/order_headers/100001', range), null);
  });

  it('links the pages of lines will_paginate-style: previous, first, around the current, gaps, last, next', () => {
    const po = catalogueOf(14, { manyLines: 1 }).pos.find((p) => p.kind === 'manyLines');
    assert.ok(po);
    const first = pageLinks(po, 1, 15);
    assert.match(first, /<span class="previous_page disabled"/);
    assert.match(first, /<em class="current" aria-current="page">1<\/em>/);
    assert.match(first, /<span class="gap">…<\/span>/);
    assert.match(first, /<a class="next_page" rel="next" data-remote="true" href="\/order_headers\/search_order_line_table\?data_table_name=order_line&amp;id=\d+&amp;key=OrderHeadersController%3Aorder_line&amp;page=2">Next ›<\/a>/);
    assert.match(first, /data-remote="true" href="[^"]*page=14">14<\/a>/);
    assert.match(first, /aria-pressed="true" data-remote="true" href="[^"]*user%5Buser_attributes_hash%5D%5Bdata_table_per_page%5D=15">15<\/a>/);
    const last = pageLinks(po, 14, 15);
    assert.match(last, /<span class="next_page disabled"/);
    assert.match(last, /<a class="previous_page" rel="prev" data-remote="true" href="[^"]*page=13">/);
    const onePage = pageLinks(po, 1, 500);
    assert.doesNotMatch(onePage, /class="page_links"/);
    assert.doesNotMatch(onePage, /aria-pressed="true"/, 'no choice pressed when the saved preference is not one of 15, 45, 90');
  });
});

describe('simulator page options', () => {
  it('starts the account at 15 lines per page, at 2 for the paginated style, unless told', () => {
    assert.equal(resolveOptions({}).linesPerPage, 15);
    assert.equal(resolveOptions({}).pageStyle, 'realistic');
    assert.equal(resolveOptions({ pageStyle: 'paginated' }).linesPerPage, 2);
    assert.equal(resolveOptions({ pageStyle: 'paginated', linesPerPage: 45 }).linesPerPage, 45);
  });

  it('names every bad page option at once', () => {
    assert.throws(
      () => resolveOptions({ pageStyle: 'fancy' as 'server', linesPerPage: 0, fileHost: 's3' as 'storage', listsDelayMs: { min: 500, max: 100 } }),
      (error: Error) => ['`pageStyle`', '`linesPerPage`', '`fileHost`', '`listsDelayMs.max`'].every((name) => error.message.includes(name)),
    );
  });
});

describe('simulator page faults', () => {
  const file = (attempt: number): FaultRequest => ({ resource: 'file', key: 'file:900001', attempt, poId: '100042', attId: '900001' });
  const page = (kind: 'po' | 'requisition'): FaultRequest => ({ resource: 'page', key: `page:${kind}`, attempt: 1, poId: '100042', attId: null, page: kind });

  it('bounces a file to an HTML sign-in form N times, after the other counted faults', () => {
    const plan: FaultPlan = { byAttachment: { '900001': { serverErrorTimes: 1, htmlBounceTimes: 2 } } };
    assert.deepEqual(
      [1, 2, 3, 4].map((attempt) => decideFaults(plan, 1, file(attempt)).decision.type),
      ['serverError', 'htmlBounce', 'htmlBounce', 'none'],
    );
  });

  it('shapes the PO page and, for page-wide faults, its requisition page; narrows to one page by scope', () => {
    const plan: FaultPlan = { byPo: { '100042': { commentsAppFails: true, countsMore: true, newTheme: true, spinnerForever: true, httpStatus: 410 } } };
    const po = decideFaults(plan, 1, page('po')).shape;
    const requisition = decideFaults(plan, 1, page('requisition')).shape;
    assert.deepEqual([po?.commentsAppFails, po?.countsMore, po?.newTheme, po?.spinnerForever, po?.httpStatus], [true, true, true, true, 410]);
    assert.deepEqual([requisition?.commentsAppFails, requisition?.newTheme, requisition?.spinnerForever, requisition?.httpStatus], [false, false, true, 410]);
    const onlyRequisition: FaultPlan = { byPo: { '100042': { scope: 'requisitionPage', notThisPo: true } } };
    assert.equal(decideFaults(onlyRequisition, 1, page('po')).shape?.notThisPo, false);
    assert.equal(decideFaults(onlyRequisition, 1, page('requisition')).shape?.notThisPo, true);
    assert.equal(pageShapeFor(onlyRequisition, '100042', 'requisition').notThisPo, true);
    assert.equal(decideFaults(plan, 1, file(1)).shape, undefined, 'files have no page shape');
  });
});

describe('simulator storage URLs', () => {
  const secret = 'test-secret';
  const now = Date.UTC(2025, 2, 1, 10, 0, 0);
  const signed = new URL(signStorageUrl('http://127.0.0.1:9', secret, { attId: '900001', name: 'Quote "final" 100%.pdf' }, now, 300));

  it('signs a path shaped like an S3 presigned GET and accepts it while it is valid', () => {
    assert.match(signed.pathname, /^\/paperclip-sim\/900001\/Quote%20%22final%22%20100%25\.pdf$/);
    assert.equal(signed.searchParams.get('X-Amz-Expires'), '300');
    assert.equal(signed.searchParams.get('X-Amz-Date'), '20250301T100000Z');
    const check = checkStorageRequest(signed, secret, now + 299_000);
    assert.ok(check.ok);
    assert.deepEqual(check.file, { attId: '900001', name: 'Quote "final" 100%.pdf' });
  });

  it('rejects a wrong signature, another file under the same signature, a missing one and an expired URL', () => {
    const wrong = new URL(signed);
    wrong.searchParams.set('X-Amz-Signature', '0'.repeat(64));
    assert.deepEqual(pick(checkStorageRequest(wrong, secret, now)), [403, 'SignatureDoesNotMatch']);
    const otherFile = new URL(signed);
    otherFile.pathname = '/paperclip-sim/900002/Quote%20%22final%22%20100%25.pdf';
    assert.deepEqual(pick(checkStorageRequest(otherFile, secret, now)), [403, 'SignatureDoesNotMatch']);
    const unsigned = new URL(signed);
    unsigned.search = '';
    assert.deepEqual(pick(checkStorageRequest(unsigned, secret, now)), [403, 'AccessDenied']);
    assert.deepEqual(pick(checkStorageRequest(signed, secret, now + 301_000)), [403, 'AccessDenied']);
    assert.deepEqual(pick(checkStorageRequest(signed, 'another-secret', now)), [403, 'SignatureDoesNotMatch']);
  });
});

function pick(check: ReturnType<typeof checkStorageRequest>): [number, string] | 'ok' {
  return check.ok ? 'ok' : [check.status, check.code];
}
