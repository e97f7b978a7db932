import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startReplay, type Replay } from '../../src/simulator/index.ts';
import { tempDir, type TempDir } from '../support/temp-dir.ts';

const ORIGIN = 'https://acme.coupahost.com';

/** A rendered page as `coupa-dl capture` saves it: absolute links to the customer's instance. */
function capturedPage(id: string, marker: string): string {
  return `<!DOCTYPE html><html data-controller="order_headers" data-action="show" data-id="${id}"><head><title>Purchase Order #PO${id}</title></head><body>
<a href="${ORIGIN}/user/home" id="logo_link">Home</a><h1 id="pageHeader">Purchase Order #PO${id} ${marker}</h1>
<div class="attachments"><ul class="attachments-list"><li class="attachment attachmentFile"><a href="${ORIGIN}/attachment/attachment_file/file/1000001/Quote%20A.pdf" title="Quote A.pdf" target="_blank">Quote A.pdf</a></li></ul></div>
<img src="//acme.coupahost.com/public_attachments/logo.png"></body></html>`;
}

async function capture(folder: string, poNumber: string, id: string, files: Record<string, string>, meta: Record<string, unknown> = {}): Promise<void> {
  const dir = path.join(folder, poNumber);
  await mkdir(dir, { recursive: true });
  const full = { poNumber, poId: id, url: `${ORIGIN}/order_headers/${id}`, capturedAt: '2025-03-01T10:00:00Z', title: `Purchase Order #PO${id}`, ...meta };
  await writeFile(path.join(dir, 'meta.json'), JSON.stringify(full));
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
}

describe('simulator replay of captured pages', () => {
  let folder: string;
  let folderTemp: TempDir | undefined;
  let replay: Replay;

  before(async () => {
    folderTemp = await tempDir('coupa-replay-');
    folder = folderTemp.path;
    await capture(folder, 'PO123456', '123456', { 'page.html': capturedPage('123456', 'rendered'), 'server.html': capturedPage('123456', 'as sent') });
    await capture(folder, 'PM777777', '777777', { 'page.html': capturedPage('777777', 'rendered') });
    replay = await startReplay({ folder });
  });
  after(async () => {
    await replay?.close();
    await folderTemp?.remove();
  });

  it('serves each captured PO at /order_headers/<poId>, its links to the captured instance pointing at the replay', async () => {
    assert.deepEqual(replay.pos.map((po) => po.meta.poNumber), ['PM777777', 'PO123456']);
    const response = await fetch(`${replay.url}/order_headers/123456`);
    assert.equal(response.status, 200);
    const html = await response.text();
    assert.match(html, /Purchase Order #PO123456 rendered/);
    assert.ok(html.includes(`href="${replay.url}/attachment/attachment_file/file/1000001/Quote%20A.pdf"`));
    assert.ok(html.includes(`src="${replay.url}/public_attachments/logo.png"`));
    assert.ok(!html.includes('acme.coupahost.com'));
  });

  it('answers file links with the same placeholder bytes every time, as an attachment with its name', async () => {
    const fetchFile = async () => fetch(`${replay.url}/attachment/attachment_file/file/1000001/Quote%20A.pdf`);
    const first = await fetchFile();
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('content-type'), 'application/pdf');
    assert.match(first.headers.get('content-disposition') ?? '', /^attachment; filename="Quote A.pdf"; filename\*=UTF-8''Quote%20A\.pdf$/);
    const bytes = Buffer.from(await first.arrayBuffer());
    assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.ok(bytes.equals(Buffer.from(await (await fetchFile()).arrayBuffer())));
  });

  it('needs no sign-in, answers the home page signed in, and 404s everything else', async () => {
    const home = await fetch(`${replay.url}/user/home`);
    assert.equal(home.status, 200);
    const homeHtml = await home.text();
    assert.match(homeHtml, /<a href="\/order_headers\/123456">PO123456<\/a>/);
    const signIn = await fetch(`${replay.url}/sessions/new?return_to=%2Forder_headers%2F123456`, { redirect: 'manual' });
    assert.equal(signIn.status, 302);
    for (const missing of ['/order_headers/999999', '/requisition_headers/123456', '/order_headers', '/attachments/1']) {
      assert.equal((await fetch(replay.url + missing)).status, 404, missing);
    }
  });

  it('serves the HTML the server sent when asked, and the rendered page where no server.html was captured', async () => {
    const server = await startReplay({ folder, source: 'server' });
    try {
      assert.match(await (await fetch(`${server.url}/order_headers/123456`)).text(), /#PO123456 as sent/);
      assert.match(await (await fetch(`${server.url}/order_headers/777777`)).text(), /#PO777777 rendered/);
    } finally {
      await server.close();
    }
  });

  it('rewrites the links of a copy whose meta.json has no url (taken after the tab moved on) by the origin its links show', async () => {
    const copies = await tempDir('coupa-replay-copies-');
    try {
      await capture(copies.path, 'PO555555', '555555', { 'page.html': capturedPage('555555', 'copy') }, { url: '', title: '' });
      const served = await startReplay({ folder: copies.path });
      try {
        const html = await (await fetch(`${served.url}/order_headers/555555`)).text();
        assert.ok(html.includes(`href="${served.url}/attachment/attachment_file/file/1000001/Quote%20A.pdf"`));
      } finally {
        await served.close();
      }
    } finally {
      await copies.remove();
    }
  });

  it('names every problem of a broken capture folder at once', async () => {
    const broken = await tempDir('coupa-replay-broken-');
    try {
      await capture(broken.path, 'PO1', 'abc', { 'page.html': '<html></html>' });
      await capture(broken.path, 'PO2', '222222', {});
      await capture(broken.path, 'PO3', '333333', { 'page.html': '<html></html>' }, { url: 42 });
      await assert.rejects(startReplay({ folder: broken.path }), (error: Error) => {
        assert.match(error.message, /PO1.*`poId`.*`abc`/);
        assert.match(error.message, /PO2 has no page\.html/);
        assert.match(error.message, /PO3.*lacks `url`/);
        return true;
      });
      await assert.rejects(startReplay({ folder: path.join(broken.path, 'nowhere') }), /Cannot read the capture folder/);
    } finally {
      await broken.remove();
    }
  });
});
