import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { startSimulator, type PoTruth, type Simulator } from '../../src/simulator/index.ts';
import { launchTestBrowser } from '../support/browser.ts';

describe('simulator in a real browser', () => {
  let sim: Simulator;
  let browser: Browser;
  const po = (kind: PoTruth['kind']): PoTruth => {
    const found = sim.truth.pos.find((p) => p.kind === kind);
    assert.ok(found, kind);
    return found;
  };

  before(async () => {
    sim = await startSimulator({ pos: 12, auth: { mode: 'sso' } });
    browser = await launchTestBrowser();
  });
  after(async () => {
    await browser?.close();
    await sim?.close();
  });

  it('signs in through the SSO chain by clicking the IdP button and shows the PO attachments', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const target = po('linkedTwice');
      await page.goto(`${sim.url}/order_headers/${target.id}`, { waitUntil: 'domcontentloaded' });
      assert.equal(new URL(page.url()).origin, sim.idpUrl);
      await page.click('#idp_sign_in');
      await page.waitForURL(`${sim.url}/order_headers/${target.id}`, { waitUntil: 'domcontentloaded' });
      assert.equal(await page.locator('h1#pageHeader').count(), 1);
      assert.equal(await page.locator('section#supplier div.supplier_name_wrapper > span.supplier-name').textContent(), target.supplier);
      const hrefs = await page.locator('li.attachment.attachmentFile a[href*="/attachment/attachment_file/file/"]').evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href));
      const expected = target.attachments.filter((a) => a.origin === 'po' && a.kind === 'file').map((a) => (a.kind === 'file' ? sim.url + a.path : ''));
      assert.deepEqual(hrefs.sort(), expected.sort());
      assert.equal(await page.locator('section#comments li.comment ul.attachments__list li.attachment.attachmentFile').count(), 2);
      assert.equal(await page.locator('a#order_header_requisition_header').getAttribute('aria-label'), `Requisition number ${target.requisitionId ?? ''}`);
    } finally {
      await context.close();
    }
  });

  it('shows a late list only after script inserts it', async () => {
    const context = await browser.newContext({ storageState: sim.createStorageState() });
    try {
      const page = await context.newPage();
      const target = po('late');
      await page.goto(`${sim.url}/order_headers/${target.id}`, { waitUntil: 'domcontentloaded' });
      assert.equal(await page.locator('li.attachment.attachmentFile').count(), 0);
      await page.locator('div.attachments > ul.attachments-list li.attachment.attachmentFile').first().waitFor();
      assert.equal(await page.locator('li.attachment.attachmentFile').count(), target.expectedFiles.length);
    } finally {
      await context.close();
    }
  });

  it('starts a download from an old-theme click widget, whose plain click the floating bar intercepts', async () => {
    const context = await browser.newContext({ storageState: sim.createStorageState(), acceptDownloads: true });
    try {
      const page = await context.newPage();
      const target = po('oldTheme');
      const file = target.expectedFiles[0];
      assert.ok(file);
      await page.goto(`${sim.url}/order_headers/${target.id}`, { waitUntil: 'domcontentloaded' });
      const widget = page.locator(`span.attachment-file[title="${file.name}"]`);
      assert.equal(await widget.getAttribute('aria-label'), `${file.name} file attachment`);
      await assert.rejects(widget.click({ trial: true, timeout: 300 }), /intercepts pointer events|Timeout/);
      const [download] = await Promise.all([page.waitForEvent('download'), widget.dispatchEvent('click')]);
      assert.equal(download.suggestedFilename(), file.name);
      const saved = await download.path();
      assert.equal(createHash('sha256').update(await readFile(saved)).digest('hex'), file.sha256);
    } finally {
      await context.close();
    }
  });
});
