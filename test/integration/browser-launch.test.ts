import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchTestBrowser } from '../support/browser.ts';
import { listProcesses } from '../support/processes.ts';

/** The arguments of the browsers this test process started (its direct children). */
function ourBrowserCommandLines(): string[][] {
  return listProcesses()
    .filter((info) => info.ppid === process.pid && info.cmdline.includes('--remote-debugging-pipe'))
    .map((info) => info.cmdline.split(' '));
}

describe('the browser as we launch it', () => {
  let server: Server;
  let baseUrl: string;
  let browser: Browser;

  before(async () => {
    server = createServer((request, response) => {
      response.setHeader('content-type', 'text/html');
      response.end(`<p>${request.url}</p><script>addEventListener('pageshow', (event) => { window.fromCache = event.persisted; });</script>`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchTestBrowser();
  });

  after(async () => {
    await browser.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("keeps Playwright's list of disabled features: one --disable-features switch, not ours instead of it", () => {
    const [args, ...others] = ourBrowserCommandLines();
    assert.ok(args !== undefined && others.length === 0, 'found the one browser this test started');
    const lists = args.filter((arg) => arg.startsWith('--disable-features='));
    assert.equal(lists.length, 1, `Chromium keeps only the last --disable-features; got ${lists.join(' ')}`);
    assert.equal(args.filter((arg) => arg.startsWith('--enable-features=')).length <= 1, true);
  });

  it('keeps no page it left in the back-forward cache (a worker tab would hold every PO page in memory)', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${baseUrl}/first`);
    await page.goto(`${baseUrl}/second`);
    await page.goBack();
    assert.equal(page.url(), `${baseUrl}/first`);
    assert.equal(await page.evaluate(() => (window as unknown as { fromCache?: boolean }).fromCache), false, 'the page was loaded again, not restored');
  });
});
