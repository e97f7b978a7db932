import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startSimulator, type PoTruth, type ResourceFaults, type Simulator } from '../../src/simulator/index.ts';
import { launchTestBrowser } from '../support/browser.ts';

describe('simulator page faults', () => {
  let sim: Simulator;
  let browser: Browser;
  let cookie: string;
  const kind = (wanted: PoTruth['kind']): PoTruth => {
    const found = sim.truth.pos.find((p) => p.kind === wanted);
    assert.ok(found, wanted);
    return found;
  };
  const get = async (path: string) => {
    const response = await fetch(sim.url + path, { headers: { cookie }, redirect: 'manual' });
    return { status: response.status, type: response.headers.get('content-type') ?? '', html: await response.text() };
  };
  const withFaults = (po: PoTruth, faults: ResourceFaults) => sim.setFaults({ byPo: { [po.id]: faults } });
  /** Opens a PO page and waits until the comments app has had its turn (mounted, or failed). */
  const openPo = async (po: PoTruth, run: (page: Page, firstError: Promise<Error>) => Promise<void>) => {
    const context = await browser.newContext({ storageState: sim.createStorageState() });
    try {
      const page = await context.newPage();
      const firstError = new Promise<Error>((resolve) => page.once('pageerror', resolve));
      await page.goto(`${sim.url}/order_headers/${po.id}`, { waitUntil: 'load' });
      await run(page, firstError);
    } finally {
      await context.close();
    }
  };

  before(async () => {
    sim = await startSimulator({ pos: 20, seed: 1, heavyPages: false, auth: { mode: 'sso' } });
    browser = await launchTestBrowser();
    cookie = sim.createStorageState().cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  });
  after(async () => {
    await browser?.close();
    await sim?.close();
  });

  it('htmlBounce: answers a file URL with 200 text/html holding an auto-submitting SAML form, N times, then the file', async () => {
    const file = kind('normal').expectedFiles[0];
    assert.ok(file);
    sim.setFaults({ byAttachment: { [file.attId]: { htmlBounceTimes: 2 } } });
    for (let attempt = 1; attempt <= 2; attempt += 1) {
      const bounce = await get(file.path);
      assert.equal(bounce.status, 200);
      assert.match(bounce.type, /^text\/html/);
      assert.match(bounce.html, /<body onload="document\.forms\[0\]\.submit\(\)">/);
      assert.match(bounce.html, new RegExp(`<form id="saml_request_form" method="post" action="${sim.idpUrl}/idp/saml_request">`));
      assert.match(bounce.html, /name="SAMLRequest" value="[A-Za-z0-9+/=]+"/);
      assert.ok(bounce.html.includes(`name="RelayState" value="${file.path.replace(/&/g, '&#38;')}"`));
    }
    const served = await fetch(sim.url + file.path, { headers: { cookie } });
    assert.equal(served.headers.get('content-type'), 'application/pdf');
    assert.equal((await served.arrayBuffer()).byteLength, file.sizeBytes);
  });

  it('commentsAppFails: the bundle throws and the comments mount stays empty', async () => {
    const po = kind('spread');
    withFaults(po, { commentsAppFails: true });
    await openPo(po, async (page, firstError) => {
      const error = await firstError;
      assert.match(error.message, /CommentsApp/);
      assert.equal(await page.locator('#s-mountCommentsApp').evaluate((mount) => mount.childElementCount), 0);
      assert.equal(await page.locator('span.comments_count').textContent(), ` (${String(po.commentCount)})`, 'the nav still counts the comments');
    });
  });

  it('countsMore: the nav count and "View Attachments (n)" show more than the app renders', async () => {
    const po = kind('spread');
    withFaults(po, { countsMore: true });
    await openPo(po, async (page) => {
      await page.locator('ul.comments_list > li.comment').first().waitFor();
      const rendered = await page.locator('ul.comments_list > li.comment').count();
      const renderedFiles = await page.locator('#s-mountCommentsApp li.attachment.attachmentFile').count();
      assert.equal(rendered, po.commentCount);
      assert.equal(renderedFiles, po.commentFileCount);
      assert.equal(await page.locator('span.comments_count').textContent(), ` (${String(rendered + 2)})`);
      assert.equal(await page.locator('span.s-numComments').textContent(), String(rendered + 2));
      assert.equal(await page.locator('button.s-viewFileAttachment').textContent(), `View Attachments (${String(renderedFiles + 2)})`);
    });
  });

  it('unknownAttachmentItem: an li.attachment of an unknown kind, with no file link, in the header list', async () => {
    const po = kind('normal');
    withFaults(po, { unknownAttachmentItem: true });
    const { html } = await get(`/order_headers/${po.id}`);
    const item = /<li class="attachment attachmentSharepoint"[^>]*>(.*?)<\/li>/.exec(html);
    assert.ok(item);
    assert.doesNotMatch(item[1] ?? '', /<a /);
    assert.match(html, /<ul class="attachments-list">(?:<li class="attachment attachmentFile"[^]*?<\/li>)+<li class="attachment attachmentSharepoint"/);
  });

  it('spinnerForever: a visible spinner stays in the header attachments field after the page has loaded and the app has mounted', async () => {
    const po = kind('normal');
    withFaults(po, { spinnerForever: true });
    await openPo(po, async (page) => {
      await page.locator('ul.comments_list > li.comment').first().waitFor();
      const spinner = page.locator('#topForm div.attachments .spinner[aria-busy="true"]');
      assert.equal(await spinner.count(), 1);
      assert.equal(await spinner.isVisible(), true);
      assert.equal(await page.locator('#topForm div.attachments li.attachment.attachmentFile').count(), po.attachments.filter((a) => a.where === 'header').length);
    });
  });

  it('newTheme: the page names the PO in its title and heading, but has no attachments field and no attachment items', async () => {
    const po = kind('spread');
    withFaults(po, { newTheme: true });
    const { status, html } = await get(`/order_headers/${po.id}`);
    assert.equal(status, 200);
    assert.match(html, new RegExp(`<title>Purchase Order #PO${po.id}</title>`));
    assert.match(html, new RegExp(`<h1 class="po-hero__title">Purchase Order #PO${po.id}</h1>`));
    assert.doesNotMatch(html, /class="attachments|<li class="attachment|\/attachment\/attachment_file\/file\/[^"]*" (?:title|target)/);
    assert.equal(html.match(/class="doc-card"/g)?.length, po.attachments.filter((a) => a.origin === 'po').length);
  });

  it('notThisPo: HTTP 200 with a fully loaded page that is not the PO', async () => {
    const po = kind('normal');
    withFaults(po, { notThisPo: true });
    const { status, html } = await get(`/order_headers/${po.id}`);
    assert.equal(status, 200);
    assert.match(html, /<title>Home \| Coupa<\/title>/);
    assert.match(html, /<h1 id="pageHeader">Welcome back<\/h1>/);
    assert.doesNotMatch(html, new RegExp(`<title>[^<]*${po.id}|<h1[^>]*>[^<]*${po.id}`));
    assert.doesNotMatch(html, /class="attachments/);
  });

  it('httpStatus: 404, 410 and 403 with a Coupa-styled page that names no cause in words', async () => {
    const po = kind('normal');
    for (const status of [404, 410, 403] as const) {
      withFaults(po, { httpStatus: status });
      const answer = await get(`/order_headers/${po.id}`);
      assert.equal(answer.status, status);
      assert.match(answer.html, /<nav aria-label="Main Menu"/);
      assert.match(answer.html, new RegExp(`<h1 id="pageHeader">Error ${String(status)}</h1>`));
      assert.doesNotMatch(answer.html, /Oops|not authorized|Access denied/i);
    }
  });

  it('flashError: an ordinary page whose flash container shows a localized error, typographic apostrophes included', async () => {
    const po = kind('normal');
    withFaults(po, { flashError: { kind: 'notFound' } });
    const french = await get(`/order_headers/${po.id}`);
    assert.equal(french.status, 200);
    assert.match(french.html, /<div class="sticky" id="flash_container"><div class="esErrorFlashMessages" role="alert">.*Nous n’avons pas trouvé ce que vous cherchiez\./);
    assert.match(french.html, /<html lang="fr"/);
    withFaults(po, { flashError: { kind: 'accessDenied', language: 'de' } });
    assert.match((await get(`/order_headers/${po.id}`)).html, /esErrorFlashMessages.*Sie sind nicht berechtigt, diese Seite anzuzeigen\./);
  });

  it('narrows page faults to the requisition page by scope', async () => {
    const po = sim.truth.pos.find((p) => p.kind === 'prFallback' && p.requisitionId !== null);
    assert.ok(po);
    withFaults(po, { scope: 'requisitionPage', httpStatus: 404 });
    assert.equal((await get(`/order_headers/${po.id}`)).status, 200);
    assert.equal((await get(`/requisition_headers/${po.requisitionId ?? ''}`)).status, 404);
  });

  it('answers some error-kind POs with 404 or 403 and the flash container, and others with a localized flash on a 200 page', async () => {
    sim.setFaults({});
    const big = await startSimulator({ pos: 400, seed: 2, heavyPages: false });
    try {
      const answers = async (wanted: PoTruth['kind']) =>
        Promise.all(
          big.truth.pos
            .filter((p) => p.kind === wanted)
            .map(async (p) => {
              const response = await fetch(`${big.url}/order_headers/${p.id}`);
              return { status: response.status, html: await response.text() };
            }),
        );
      const notFound = await answers('notFound');
      assert.ok(notFound.some((a) => a.status === 404 && a.html.includes('esErrorFlashMessages') && a.html.includes('couldn’t find')));
      assert.ok(notFound.some((a) => a.status === 200 && a.html.includes('Wir konnten nicht finden')));
      assert.ok(notFound.some((a) => a.status === 200 && a.html.includes('doesn\'t exist')), 'the classic variants stay');
      const denied = await answers('accessDenied');
      assert.ok(denied.some((a) => a.status === 403 && a.html.includes('esErrorFlashMessages')));
      assert.ok(denied.some((a) => a.status === 200 && a.html.includes('Você não tem permissão')));
    } finally {
      await big.close();
    }
  });
});
