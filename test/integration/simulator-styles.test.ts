import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startSimulator, type PageStyle, type PoTruth, type Simulator } from '../../src/simulator/index.ts';
import { launchTestBrowser } from '../support/browser.ts';

/** What the page looked like at one moment, recorded by the init script below. */
interface Snapshot {
  headerFiles: number;
  headerSpinners: number;
  placeholders: number;
  mountChildren: number;
  footer: boolean;
  commentFiles: number;
}
interface PageEvent {
  name: 'dcl' | 'load' | 'footerParsed' | 'mounted' | 'headerFilled' | 'xhr';
  at: Snapshot;
  url?: string;
}

/**
 * Records, from before any page script runs, when the parser passed `#order_body` (the footer
 * appears), when the comments app mounted, when the header list got its files, and the XHRs sent.
 */
function recordPageEvents(): void {
  const events: { name: string; at: unknown; url?: string }[] = [];
  (window as unknown as { __events: typeof events }).__events = events;
  const count = (selector: string) => document.querySelectorAll(selector).length;
  const snapshot = () => ({
    headerFiles: count('#topForm div.attachments li.attachment.attachmentFile'),
    headerSpinners: count('#topForm div.attachments .spinner'),
    placeholders: count('li.s-placeholder'),
    mountChildren: document.getElementById('s-mountCommentsApp')?.childElementCount ?? -1,
    footer: document.querySelector('footer.primary_brdr') !== null,
    commentFiles: count('#s-mountCommentsApp li.attachment.attachmentFile a[href]'),
  });
  const once = new Set<string>();
  const record = (name: string, url?: string) => events.push({ name, at: snapshot(), ...(url === undefined ? {} : { url }) });
  const first = (name: string, happened: boolean) => {
    if (happened && !once.has(name)) {
      once.add(name);
      record(name);
    }
  };
  new MutationObserver(() => {
    first('footerParsed', document.querySelector('footer.primary_brdr') !== null);
    first('mounted', (document.getElementById('s-mountCommentsApp')?.childElementCount ?? 0) > 0);
    first('headerFilled', count('#topForm div.attachments li.attachment.attachmentFile') > 0);
  }).observe(document, { childList: true, subtree: true });
  document.addEventListener('DOMContentLoaded', () => record('dcl'));
  window.addEventListener('load', () => record('load'));
  const open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (this: XMLHttpRequest, method: string, url: string | URL, ...rest: unknown[]) {
    record('xhr', String(url));
    return (open as (...args: unknown[]) => void).call(this, method, url, ...rest);
  } as typeof XMLHttpRequest.prototype.open;
}

async function eventsOf(page: Page): Promise<PageEvent[]> {
  return page.evaluate(() => (window as unknown as { __events: PageEvent[] }).__events);
}

function indexOf(events: readonly PageEvent[], name: PageEvent['name']): number {
  const index = events.findIndex((event) => event.name === name);
  assert.notEqual(index, -1, `event ${name} in ${events.map((e) => e.name).join(', ')}`);
  return index;
}

/** Until nothing more is coming into the parts a reader reads. */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const mount = document.getElementById('s-mountCommentsApp');
    return document.readyState === 'complete' && document.querySelector('[data-late-target], li.s-placeholder, #s-mountCommentsApp .spinner') === null && mount !== null && mount.childElementCount > 0;
  });
}

async function fileHrefs(page: Page): Promise<string[]> {
  return (await page.locator('li.attachment.attachmentFile a[href*="/attachment/attachment_file/file/"]').evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href))).sort();
}

function poFiles(sim: Simulator, po: PoTruth): string[] {
  return po.attachments.filter((a) => a.origin === 'po' && a.kind === 'file').map((a) => (a.kind === 'file' ? sim.url + a.path : '')).sort();
}

describe('simulator page styles in a real browser', () => {
  let browser: Browser;
  const sims = new Map<PageStyle, Simulator>();
  const simFor = async (style: PageStyle): Promise<Simulator> => {
    let sim = sims.get(style);
    if (sim === undefined) {
      sim = await startSimulator({ pos: 14, seed: 1, pageStyle: style, heavyPages: style === 'realistic' });
      sims.set(style, sim);
    }
    return sim;
  };
  const kindOf = (sim: Simulator, kind: PoTruth['kind']): PoTruth => {
    const found = sim.truth.pos.find((p) => p.kind === kind);
    assert.ok(found, kind);
    return found;
  };
  const open = async (sim: Simulator, po: PoTruth): Promise<{ page: Page; close: () => Promise<void> }> => {
    const context = await browser.newContext();
    await context.addInitScript(recordPageEvents);
    const page = await context.newPage();
    await page.goto(`${sim.url}/order_headers/${po.id}`, { waitUntil: 'load' });
    return { page, close: () => context.close() };
  };

  before(async () => {
    browser = await launchTestBrowser();
  });
  after(async () => {
    await browser?.close();
    for (const sim of sims.values()) await sim.close();
  });

  it('realistic: the page has the real structure, and the bundle mounts the comments only after #order_body was parsed', async () => {
    const sim = await simFor('realistic');
    const po = kindOf(sim, 'linkedTwice');
    const html = await (await fetch(`${sim.url}/order_headers/${po.id}`)).text();
    assert.match(html, new RegExp(`<html lang="en" data-controller="order_headers" data-action="show" data-id="${po.id}">`));
    assert.match(html, new RegExp(`<title>Purchase Order #PO${po.id}</title>`));
    assert.match(html, /<section id="comments"><script src="\/assets\/comments-[0-9a-f]{64}\.js"><\/script><div id="s-mountCommentsApp"><\/div>/);
    const bundleAt = html.search(/<script src="\/assets\/CommentsApp_wp_bundle-[0-9a-f]{64}\.js"><\/script>/);
    const footerAt = html.indexOf('<footer');
    assert.ok(html.indexOf('<section id="comments"') < footerAt && footerAt < bundleAt, 'comments section, then the end of the page body, then the bundle');
    assert.ok(bundleAt - footerAt > 100_000, 'the heavy filler sits between #order_body and the bundle');

    const { page, close } = await open(sim, po);
    try {
      await settled(page);
      const events = await eventsOf(page);
      const footer = events[indexOf(events, 'footerParsed')];
      const mounted = events[indexOf(events, 'mounted')];
      assert.equal(footer?.at.mountChildren, 0, 'the mount was still empty when the parser left #order_body');
      assert.equal(mounted?.at.footer, true, 'the app mounted after the parser had passed #order_body');
      assert.ok(indexOf(events, 'footerParsed') < indexOf(events, 'mounted'));

      assert.equal(await page.locator('h1#pageHeader').textContent(), `Purchase Order #PO${po.id} Issued`);
      assert.equal(await page.locator('nav#page_sections span.comments_count').textContent(), ` (${String(po.commentCount)})`);
      assert.equal(await page.locator('span.s-numComments').textContent(), String(po.commentCount));
      assert.equal(await page.locator('button.s-viewFileAttachment').textContent(), `View Attachments (${String(po.commentFileCount)})`);
      assert.equal(await page.locator('ul.comments_list.s-commentList > li.comment.s-comment').count(), po.commentCount);
      const commentLink = page.locator('li.comment div.form_element.commentAttachments > div[role=status] > ul.attachments__list.s-attachmentList > li.attachment.attachmentFile.s-attachmentFile > a[target=_blank]').first();
      assert.equal(await commentLink.getAttribute('title'), await commentLink.textContent());
      assert.equal(await page.locator(`li.comment a[href="/requisition_headers/${sim.truth.decoyRequisitionId}"]`).count(), 1, 'the decoy comment');
      assert.deepEqual(await fileHrefs(page), poFiles(sim, po));
      assert.equal(await page.locator('#flash_container').isVisible(), false, 'an empty flash container is hidden');
      assert.equal(await page.locator('a[role=menuitem][href="/requisition_headers"]').count(), 1);
      assert.equal(await page.locator('div.page_buttons_right.orderHeaderShowFloatingSection a.s-printButton').getAttribute('href'), `/order_headers/print_view?id=${po.id}&version=1`);
      assert.equal(await page.locator('#order_line_table_section table#order_line_table_tag tbody#order_line_tbody tr.coupa_datatable_row div.line-wrapper').count(), po.lineCount);
      assert.equal(await page.locator('span#order_line_page_links a.s-rowsPerPage[aria-pressed="true"]').textContent(), '15');
      const spinners = page.locator('img.spinner, img.loading-spinner');
      assert.ok((await spinners.count()) >= 3, 'the real page keeps hidden spinners');
      for (const spinner of await spinners.all()) assert.equal(await spinner.isVisible(), false);
    } finally {
      await close();
    }
  });

  it('server: sends the comments app already rendered, the same markup the bundle renders, and no bundle', async () => {
    const server = await simFor('server');
    const realistic = await simFor('realistic');
    const po = kindOf(server, 'spread');
    const html = await (await fetch(`${server.url}/order_headers/${po.id}`)).text();
    assert.doesNotMatch(html, /CommentsApp_wp_bundle/);
    assert.match(html, /<div id="s-mountCommentsApp"><section class="expandable-section s-expandableSection commentsSection s-commentsSection">/);
    const mountOf = async (sim: Simulator) => {
      const { page, close } = await open(sim, po);
      try {
        await settled(page);
        return (await page.locator('#s-mountCommentsApp').innerHTML()).split(sim.url).join('<origin>');
      } finally {
        await close();
      }
    };
    assert.equal(await mountOf(server), await mountOf(realistic));
  });

  it('lateScript: a visible spinner in the header field at DOMContentLoaded, the lists inserted by script after it', async () => {
    const sim = await simFor('lateScript');
    const po = kindOf(sim, 'spread');
    assert.ok(po.listsDelayMs !== null && po.listsDelayMs >= 100 && po.listsDelayMs <= 800);
    const { page, close } = await open(sim, po);
    try {
      await settled(page);
      const events = await eventsOf(page);
      const dcl = events[indexOf(events, 'dcl')];
      assert.deepEqual([dcl?.at.headerFiles, dcl?.at.headerSpinners], [0, 1]);
      assert.ok(indexOf(events, 'dcl') < indexOf(events, 'headerFilled'));
      assert.deepEqual(await fileHrefs(page), poFiles(sim, po));
    } finally {
      await close();
    }
  });

  it('xhrAfterLoad: header, line and comment lists arrive by an XHR sent after load, spinners until then', async () => {
    const sim = await simFor('xhrAfterLoad');
    const po = kindOf(sim, 'spread');
    const html = await (await fetch(`${sim.url}/order_headers/${po.id}`)).text();
    assert.doesNotMatch(html, /\/attachment\/attachment_file\/file\//, 'no list in the HTML');
    const { page, close } = await open(sim, po);
    try {
      await settled(page);
      const events = await eventsOf(page);
      const load = indexOf(events, 'load');
      const xhr = events.findIndex((event) => event.name === 'xhr' && (event.url ?? '').endsWith(`/order_headers/${po.id}/attachment_lists`));
      assert.equal(events[load]?.at.headerFiles, 0);
      assert.equal(events[load]?.at.headerSpinners, 1);
      assert.ok(load < xhr && xhr < indexOf(events, 'headerFilled'), events.map((e) => e.name).join(', '));
      assert.equal(events[load]?.at.commentFiles, 0, 'comment attachments wait for the XHR too');
      assert.deepEqual(await fileHrefs(page), poFiles(sim, po));
      assert.equal(await page.locator('#s-mountCommentsApp li.attachment.attachmentFile').count(), po.commentFileCount);
    } finally {
      await close();
    }
  });

  it('placeholder: skeleton items at load, replaced by the real items afterwards', async () => {
    const sim = await simFor('placeholder');
    const po = kindOf(sim, 'spread');
    const { page, close } = await open(sim, po);
    try {
      await settled(page);
      const events = await eventsOf(page);
      const load = events[indexOf(events, 'load')];
      assert.ok((load?.at.placeholders ?? 0) > 0);
      assert.equal(load?.at.headerFiles, 0);
      assert.ok(indexOf(events, 'load') < indexOf(events, 'headerFilled'));
      assert.equal(await page.locator('li.s-placeholder, [aria-busy="true"]:visible').count(), 0);
      assert.deepEqual(await fileHrefs(page), poFiles(sim, po));
    } finally {
      await close();
    }
  });

  it('requisition pages bring their header list the way the style does', async () => {
    for (const style of ['lateScript', 'xhrAfterLoad', 'placeholder'] as const) {
      const sim = await simFor(style);
      const po = kindOf(sim, 'prFallback');
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        const response = await page.goto(`${sim.url}/requisition_headers/${po.requisitionId ?? ''}`, { waitUntil: 'domcontentloaded' });
        assert.match((await response?.text()) ?? '', /<div class="attachments attachified" data-late-target="header">/, style);
        await page.waitForFunction(() => document.readyState === 'complete' && document.querySelector('[data-late-target], li.s-placeholder') === null);
        const expected = po.attachments.filter((a) => a.origin === 'requisition' && a.kind === 'file').map((a) => (a.kind === 'file' ? sim.url + a.path : '')).sort();
        assert.deepEqual(await fileHrefs(page), expected, style);
      } finally {
        await context.close();
      }
    }
  });

  it('paginated: two lines per page, page links up to the truth\'s pages of lines', async () => {
    const sim = await simFor('paginated');
    assert.equal(sim.linesPerPage(), 2);
    const po = sim.truth.pos.find((p) => p.lineCount > 4);
    assert.ok(po);
    assert.equal(po.pagesOfLines, Math.ceil(po.lineCount / 2));
    const { page, close } = await open(sim, po);
    try {
      assert.equal(await page.locator('tr.coupa_datatable_row').count(), 2);
      const numbers = await page.locator('span#order_line_page_links .page_links a, span#order_line_page_links .page_links em.current').allTextContents();
      assert.equal(Math.max(...numbers.map(Number).filter(Number.isFinite)), po.pagesOfLines);
      assert.equal(await page.locator('span#order_line_page_links a.next_page[data-remote="true"]').count(), 1);
    } finally {
      await close();
    }
  });
});
