import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { isRoot, launchTestBrowser, testBrowserPath } from '../support/browser.ts';
import { descendantsOf, listProcesses, type ProcessInfo } from '../support/processes.ts';

/** The browsers this test process started (its direct children). */
function ourBrowsers(): ProcessInfo[] {
  return listProcesses().filter((info) => info.ppid === process.pid && info.cmdline.includes('--remote-debugging-pipe'));
}

const featuresOf = (commandLine: string): string[] =>
  commandLine.split(' ').filter((arg) => arg.startsWith('--disable-features=')).flatMap((arg) => arg.slice('--disable-features='.length).split(','));

/** The features a browser Playwright starts on its own turns off. */
async function playwrightsDisabledFeatures(): Promise<string[]> {
  const before = new Set(ourBrowsers().map((info) => info.pid));
  const plain = await chromium.launch({ executablePath: testBrowserPath, headless: true, args: isRoot() ? ['--no-sandbox'] : [] });
  try {
    const started = ourBrowsers().filter((info) => !before.has(info.pid));
    assert.equal(started.length, 1, 'found the browser Playwright started');
    return featuresOf(started[0]!.cmdline);
  } finally {
    await plain.close();
  }
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

  it("keeps Playwright's list of disabled features and adds ours: one --disable-features switch (Chromium keeps only the last)", async () => {
    const [ours, ...others] = ourBrowsers();
    assert.ok(ours !== undefined && others.length === 0, 'found the one browser this test started');
    const args = ours.cmdline.split(' ');
    assert.equal(args.filter((arg) => arg.startsWith('--disable-features=')).length, 1, `got ${args.filter((arg) => arg.startsWith('--disable-features=')).join(' ')}`);
    assert.equal(args.filter((arg) => arg.startsWith('--enable-features=')).length <= 1, true);
    const missing = (await playwrightsDisabledFeatures()).filter((feature) => !featuresOf(ours.cmdline).includes(feature));
    assert.deepEqual(missing, [], "Playwright's list changed: copy it into PLAYWRIGHT_DISABLED_FEATURES (src/browser/launch.ts)");
    assert.ok(featuresOf(ours.cmdline).includes('WebUIOmniboxPopup'));
  });

  it("starts no renderer for the address bar's popup page in a context (~50 MB per worker nobody uses)", async (t) => {
    // Control: a browser as Playwright starts it shows how soon the popup's renderer appears, so
    // the check below waits for something that would have happened, not a guessed time.
    const before = new Set(ourBrowsers().map((info) => info.pid));
    const plain = await chromium.launch({ executablePath: testBrowserPath, headless: true, args: isRoot() ? ['--no-sandbox'] : [] });
    let popupAfterMs: number | null = null;
    try {
      const [control] = ourBrowsers().filter((info) => !before.has(info.pid));
      assert.ok(control !== undefined, 'found the control browser');
      const started = performance.now();
      await (await (await plain.newContext()).newPage()).goto(`${baseUrl}/page`);
      while (performance.now() - started < 5_000) {
        if (descendantsOf([control.pid]).some((info) => info.cmdline.includes('--top-chrome-webui'))) {
          popupAfterMs = performance.now() - started;
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await plain.close();
    }
    if (popupAfterMs === null) {
      t.skip('this Chromium starts no popup renderer even when allowed to: nothing to prove here');
      return;
    }
    const context = await browser.newContext();
    try {
      const started = performance.now();
      await (await context.newPage()).goto(`${baseUrl}/page`);
      // Twice as long as the control needed, and the page's own renderer must be there.
      while (performance.now() - started < popupAfterMs * 2 + 200) await new Promise((resolve) => setTimeout(resolve, 50));
      const [ours] = ourBrowsers();
      assert.ok(ours !== undefined);
      const renderers = descendantsOf([ours.pid]).filter((info) => info.cmdline.includes('--type=renderer'));
      assert.ok(renderers.length > 0, "found the page's renderer");
      assert.deepEqual(renderers.filter((info) => info.cmdline.includes('--top-chrome-webui')).map((info) => info.pid), []);
    } finally {
      await context.close();
    }
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
