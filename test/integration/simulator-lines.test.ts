import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startSimulator, type PoTruth, type Simulator } from '../../src/simulator/index.ts';
import { launchTestBrowser } from '../support/browser.ts';

describe('simulator lines table in a real browser', () => {
  let sim: Simulator;
  let browser: Browser;
  let many: PoTruth;

  const rowIds = (page: Page) => page.locator('tbody#order_line_tbody > tr.coupa_datatable_row').evaluateAll((rows) => rows.map((row) => row.id));
  /** Clicks a data-remote link and waits for the table's XHR answer to have replaced the rows. */
  const reload = async (page: Page, selector: string) => {
    const before = await page.locator('tbody#order_line_tbody').elementHandle();
    const answered = page.waitForResponse((response) => response.url().includes('/order_headers/search_order_line_table'));
    await page.locator(selector).click();
    const response = await answered;
    assert.equal(response.request().method(), 'POST');
    assert.match(response.headers()['content-type'] ?? '', /javascript/);
    await page.waitForFunction((old) => document.getElementById('order_line_tbody') !== old, before);
  };
  const signedIn = async (): Promise<BrowserContext> => browser.newContext({ storageState: sim.createStorageState() });

  before(async () => {
    sim = await startSimulator({ pos: 14, seed: 1, heavyPages: false, mix: { manyLines: 1 }, auth: { mode: 'sso' } });
    browser = await launchTestBrowser();
    const found = sim.truth.pos.find((p) => p.kind === 'manyLines');
    assert.ok(found);
    many = found;
  });
  after(async () => {
    await browser?.close();
    await sim?.close();
  });

  it('shows the first page of a 200-line PO, and every file is reached by following the next links', async () => {
    const context = await signedIn();
    try {
      const page = await context.newPage();
      await page.goto(`${sim.url}/order_headers/${many.id}`);
      assert.deepEqual((await rowIds(page)).length, 15);
      const found = new Set<string>();
      let pages = 0;
      for (;;) {
        pages += 1;
        for (const href of await page.locator('tbody#order_line_tbody li.attachment.attachmentFile a').evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href))) found.add(href);
        if ((await page.locator('span#order_line_page_links a.next_page').count()) === 0) break;
        await reload(page, 'span#order_line_page_links a.next_page');
      }
      assert.equal(pages, many.pagesOfLines);
      assert.deepEqual([...found].sort(), many.expectedFiles.map((file) => sim.url + file.path).sort());
      assert.equal(await page.locator('span#order_line_page_links em.current').textContent(), String(many.pagesOfLines));
      assert.deepEqual(await page.locator('div.line_num').allTextContents(), ['196', '197', '198', '199', '200']);
    } finally {
      await context.close();
    }
  });

  it('saves "Per page" on the user\'s account: later page views, in another session too, show that many until changed back', async () => {
    assert.equal(sim.linesPerPage(), 15);
    const first = await signedIn();
    try {
      const page = await first.newPage();
      await page.goto(`${sim.url}/order_headers/${many.id}`);
      await reload(page, 'a.s-rowsPerPage:text-is("90")');
      assert.equal((await rowIds(page)).length, 90);
      assert.equal(await page.locator('a.s-rowsPerPage[aria-pressed="true"]').textContent(), '90');
      assert.equal(sim.linesPerPage(), 90);
    } finally {
      await first.close();
    }
    const second = await signedIn();
    try {
      const page = await second.newPage();
      await page.goto(`${sim.url}/order_headers/${many.id}`);
      assert.equal((await rowIds(page)).length, 90, 'a new session of the same user');
      assert.equal(await page.locator('a.s-rowsPerPage[aria-pressed="true"]').textContent(), '90');
      await reload(page, 'a.s-rowsPerPage:text-is("15")');
      assert.equal((await rowIds(page)).length, 15);
      assert.equal(sim.linesPerPage(), 15);
    } finally {
      await second.close();
    }
  });

  it('shows the table spinner while the table reloads, and hides it once the rows are replaced', async () => {
    const context = await signedIn();
    try {
      const page = await context.newPage();
      await page.goto(`${sim.url}/order_headers/${many.id}`);
      const spinner = page.locator('#order_line_table .table_spinner');
      assert.equal(await spinner.isVisible(), false);
      // Watch the spinner's style from inside the page: the answer may come back within a frame.
      await page.evaluate(() => {
        const target = document.querySelector('#order_line_table .table_spinner') as HTMLElement;
        const seen: string[] = [];
        (window as unknown as { __spinner: string[] }).__spinner = seen;
        new MutationObserver(() => seen.push(target.style.display)).observe(target, { attributes: true, attributeFilter: ['style'] });
      });
      await page.locator('span#order_line_page_links a.next_page').click();
      await page.waitForFunction(() => document.querySelector('div.line_num')?.textContent === '16');
      assert.deepEqual(await page.evaluate(() => (window as unknown as { __spinner: string[] }).__spinner), ['inline-block', 'none']);
      assert.equal(await spinner.isVisible(), false);
    } finally {
      await context.close();
    }
  });

  it('answers the table XHR with JavaScript that replaces the body and the page links', async () => {
    const context = await signedIn();
    try {
      const response = await context.request.post(`${sim.url}/order_headers/search_order_line_table?data_table_name=order_line&id=${many.id}&key=OrderHeadersController%3Aorder_line&page=14`);
      assert.equal(response.status(), 200);
      const script = await response.text();
      assert.match(script, /document\.getElementById\("order_line_tbody"\)/);
      assert.match(script, /outerHTML=/);
      assert.match(script, /order_line_row_\d+/);
      assert.match(script, /document\.getElementById\("order_line_page_links"\)/);
      const unknown = await context.request.post(`${sim.url}/order_headers/search_order_line_table?id=${sim.truth.unknownPoId}&page=1`);
      assert.equal(unknown.status(), 404);
    } finally {
      await context.close();
    }
  });
});
