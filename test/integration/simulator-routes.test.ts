import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startSimulator, type PoTruth, type Simulator } from '../../src/simulator/index.ts';

describe('simulator routes', () => {
  let sim: Simulator;
  const po = (kind: PoTruth['kind']): PoTruth => {
    const found = sim.truth.pos.find((p) => p.kind === kind);
    assert.ok(found, kind);
    return found;
  };
  const page = async (path: string) => {
    const response = await fetch(sim.url + path);
    return { status: response.status, html: await response.text() };
  };

  before(async () => {
    sim = await startSimulator({ pos: 20 });
  });
  after(async () => {
    await sim.close();
  });

  it('serves a PO page with the reference structure, absolute file links and the requisition link', async () => {
    const normal = po('prFallback');
    const { status, html } = await page(`/order_headers/${normal.id}`);
    assert.equal(status, 200);
    assert.match(html, new RegExp(`<html lang="en" data-controller="order_headers" data-action="show" data-id="${normal.id}">`));
    assert.match(html, new RegExp(`<title>Purchase Order #PO${normal.id}</title>`));
    assert.match(html, /<h1 id="pageHeader">/);
    assert.match(html, /<div class="form_element supplier_name_wrapper wrapper_vertical"><span class="group_label label_readonly">Name<\/span><span title="[^"]*" class="supplier-name s-coupaSimpleTooltip">/);
    assert.match(html, new RegExp(`<a id="order_header_requisition_header" href="/requisition_headers/${normal.requisitionId ?? ''}" aria-label="Requisition number ${normal.requisitionId ?? ''}">`));
    assert.match(html, /<a role="menuitem" href="\/requisition_headers">/);
    // The comment that links the decoy is rendered by the comments app in the browser; its props are in the page.
    assert.ok(html.includes(`"linksRequisition":"${sim.truth.decoyRequisitionId}"`));
    const first = po('normal').expectedFiles[0];
    assert.ok(first);
    const normalHtml = (await page(`/order_headers/${po('normal').id}`)).html;
    assert.ok(normalHtml.includes(`<li class="attachment attachmentFile" aria-label="Attachments File"`));
    assert.ok(normalHtml.includes(`href="${sim.url}${first.path}"`));
    assert.ok(html.length > 150_000, 'heavy page');
  });

  it('shows None in an empty attachments field and the requisition attachments on its page', async () => {
    const fallback = po('prFallback');
    const poHtml = (await page(`/order_headers/${fallback.id}`)).html;
    assert.match(poHtml, /<span class="group_label label_readonly" id="attachments_ul_\d+">Attachments<\/span><div class="attachments attachified"><ul class="attachments-list"><li class="show none">None<\/li><\/ul><\/div>/);
    const reqHtml = (await page(`/requisition_headers/${fallback.requisitionId ?? ''}`)).html;
    for (const file of fallback.expectedFiles) assert.ok(reqHtml.includes(`href="${sim.url}${file.path}"`));
  });

  it('renders old-theme files as click-only spans and URL and Text attachments with their own classes', async () => {
    const oldHtml = (await page(`/order_headers/${po('oldTheme').id}`)).html;
    assert.match(oldHtml, /<span class="attachment-file" aria-label="[^"]+ file attachment" title="[^"]+" role="button"/);
    assert.doesNotMatch(oldHtml, /href="[^"]*\/attachment\/attachment_file/);
    const mixedHtml = (await page(`/order_headers/${po('urlAndText').id}`)).html;
    assert.match(mixedHtml, /<li class="attachment attachmentUrl"[^>]*><a href="https:\/\//);
    assert.match(mixedHtml, /<li class="attachment attachmentText"/);
  });

  it('answers error pages with HTTP 200 and the reference markers', async () => {
    const notFound = await page(`/order_headers/${po('notFound').id}`);
    assert.equal(notFound.status, 200);
    assert.match(notFound.html, /Oops! We couldn't find what you wanted/);
    assert.match((await page(`/order_headers/${sim.truth.unknownPoId}`)).html, /flash_error/);
    assert.match((await page(`/order_headers/${po('accessDenied').id}`)).html, /You are not authorized|Access denied/);
    assert.match((await page(`/requisition_headers/${po('prForbidden').requisitionId ?? ''}`)).html, /You are not authorized|Access denied/);
  });

  it('uses the Portuguese marker on some not-found POs of a larger catalogue', async () => {
    const big = await startSimulator({ pos: 200, heavyPages: false });
    try {
      const ids = big.truth.pos.filter((p) => p.kind === 'notFound').map((p) => p.id);
      const pages = await Promise.all(ids.map(async (id) => (await fetch(`${big.url}/order_headers/${id}`)).text()));
      assert.ok(pages.some((html) => html.includes('Desculpe, não encontramos o que você procurava')));
      assert.ok(pages.some((html) => html.includes("doesn't exist")));
    } finally {
      await big.close();
    }
  });

  it('serves files with length, type, RFC 5987 disposition and the bytes of the truth', async () => {
    const tricky = po('trickyNames');
    for (const file of tricky.expectedFiles) {
      const response = await fetch(sim.url + file.path);
      assert.equal(response.status, 200);
      const bytes = Buffer.from(await response.arrayBuffer());
      assert.equal(response.headers.get('content-length'), String(file.sizeBytes));
      assert.equal(createHash('sha256').update(bytes).digest('hex'), file.sha256);
      const disposition = response.headers.get('content-disposition') ?? '';
      const encoded = /filename\*=UTF-8''(.+)$/.exec(disposition)?.[1] ?? '';
      assert.equal(decodeURIComponent(encoded), file.name);
      assert.ok(disposition.startsWith('attachment; filename="'));
    }
    const pdf = await fetch(sim.url + (po('normal').expectedFiles[0]?.path ?? ''));
    assert.equal(pdf.headers.get('content-type'), 'application/pdf');
    await pdf.arrayBuffer();
  });

  it('serves the home page, the order list with quick search rows, and 404 for unknown files', async () => {
    assert.equal((await page('/user/home')).status, 200);
    assert.equal((await page('/')).status, 200);
    const list = await page(`/order_headers?sf_order_header=${po('normal').id}`);
    assert.match(list.html, /id="sf_order_header"/);
    assert.match(list.html, new RegExp(`<tr id="order_header_row_${po('normal').id}"><td><a href="/order_headers/${po('normal').id}">`));
    assert.equal((await page('/attachment/attachment_file/file/1/x.pdf')).status, 404);
  });

  it('serves its icon to anyone, cacheable, so a browser asks once and not after every page', async () => {
    const signedOut = await startSimulator({ pos: 1, auth: { mode: 'sso' } });
    try {
      const response = await fetch(`${signedOut.url}/favicon.ico`, { redirect: 'manual' });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'image/png');
      assert.match(response.headers.get('cache-control') ?? '', /max-age=\d{4,}/);
      assert.deepEqual([...new Uint8Array(await response.arrayBuffer()).slice(1, 4)], [0x50, 0x4e, 0x47]);
    } finally {
      await signedOut.close();
    }
  });

  it('redirects the plain /attachments/<id> route back to the page', async () => {
    const file = po('normal').expectedFiles[0];
    const response = await fetch(`${sim.url}/attachments/${file?.attId ?? ''}`, { redirect: 'manual' });
    assert.equal(response.status, 302);
    assert.equal(response.headers.get('location'), `/order_headers/${po('normal').id}`);
  });

  it('renders late lists as a spinner with the list in an inert template', async () => {
    const { html } = await page(`/order_headers/${po('late').id}`);
    assert.match(html, /<div class="attachments attachified" data-late-target="header"><span class="spinner"/);
    assert.match(html, /<template data-late-source="header"><ul class="attachments-list">/);
    assert.ok(html.includes(`fetch('/order_headers/${po('late').id}/late_attachments'`), 'the script asks the server for the lists');
  });

  it('answers a late PO\'s list request after its delay, as server time, and no other PO\'s', async () => {
    const late = po('late');
    const busyBefore = sim.stats().busyTimeMs;
    const started = performance.now();
    const response = await fetch(`${sim.url}/order_headers/${late.id}/late_attachments`);
    const took = performance.now() - started;
    assert.equal(response.status, 204);
    assert.ok(late.lateMs !== null && took >= late.lateMs - 5, `answered after ${took} ms, lateMs ${String(late.lateMs)}`);
    assert.ok(sim.stats().busyTimeMs - busyBefore >= (late.lateMs ?? 0) - 5, 'the wait counts as the server busy');
    assert.equal((await fetch(`${sim.url}/order_headers/${po('normal').id}/late_attachments`)).status, 404);
  });

  it('counts page views, file requests and bytes', async () => {
    const before = sim.stats();
    const file = po('normal').expectedFiles[0];
    await page(`/order_headers/${po('normal').id}`);
    await (await fetch(sim.url + (file?.path ?? ''))).arrayBuffer();
    const now = sim.stats();
    assert.equal(now.pageViews, before.pageViews + 1);
    assert.equal(now.fileRequests, before.fileRequests + 1);
    assert.equal(now.bytesSent, before.bytesSent + (file?.sizeBytes ?? 0));
  });

  it('serves mails as real .msg and .eml files whose truth says what their conversion holds', async () => {
    const files = sim.truth.pos.flatMap((truth) => truth.expectedFiles);
    for (const [extension, contentType] of [['.msg', 'application/vnd.ms-outlook'], ['.eml', 'message/rfc822']] as const) {
      const file = files.find((candidate) => candidate.name.endsWith(extension));
      assert.ok(file, `the catalogue has a ${extension}`);
      const response = await fetch(sim.url + file.path);
      assert.equal(response.headers.get('content-type'), contentType);
      assert.equal(createHash('sha256').update(new Uint8Array(await response.arrayBuffer())).digest('hex'), file.sha256);
      assert.match(file.mail?.unicodeLine ?? '', /請求書/);
      assert.deepEqual(file.mail?.files.map((part) => part.inline), [false, true]);
      assert.equal(file.mail?.mails.length, 1);
    }
    assert.ok(files.filter((file) => !/\.(msg|eml)$/.test(file.name)).every((file) => file.mail === null));
  });

  it('links the print view from the PO page\'s floating bar and serves it, signed in, with the PO number and the supplier', async () => {
    const truth = po('normal');
    assert.ok((await page(`/order_headers/${truth.id}`)).html.includes(`<a class="s-printButton rollover button " href="/order_headers/print_view?id=${truth.id}&#38;version=1"><span>Supplier Print View</span></a>`));
    const view = await page(`/order_headers/print_view?id=${truth.id}&version=1`);
    assert.equal(view.status, 200);
    assert.ok(view.html.includes(`Purchase Order #PO${truth.id}`));
    assert.equal((await page(`/order_headers/print_view?id=${sim.truth.unknownPoId}&version=1`)).status, 404);
    const signedOut = await startSimulator({ pos: 1, auth: { mode: 'password' } });
    try {
      const response = await fetch(`${signedOut.url}/order_headers/print_view?id=100001&version=1`, { redirect: 'manual' });
      assert.equal(response.status, 302);
      assert.match(response.headers.get('location') ?? '', /^\/sessions\/new\?return_to=/);
    } finally {
      await signedOut.close();
    }
  });
});
