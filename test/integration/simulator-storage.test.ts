import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { startSimulator, type ExpectedFile, type Simulator } from '../../src/simulator/index.ts';
import { launchTestBrowser } from '../support/browser.ts';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('simulator storage host', () => {
  let sim: Simulator;
  let browser: Browser;
  let cookie: string;
  let file: ExpectedFile;

  /** Asks Coupa for the file (signed in) and returns where it redirects. */
  const signedLocation = async (target: ExpectedFile = file): Promise<URL> => {
    const response = await fetch(sim.url + target.path, { redirect: 'manual', headers: { cookie } });
    assert.equal(response.status, 302);
    return new URL(response.headers.get('location') ?? '');
  };

  before(async () => {
    sim = await startSimulator({ pos: 14, seed: 3, heavyPages: false, fileHost: 'storage', auth: { mode: 'sso' } });
    browser = await launchTestBrowser();
    const state = sim.createStorageState();
    cookie = state.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const tricky = sim.truth.pos.find((p) => p.kind === 'trickyNames')?.expectedFiles.find((f) => f.name.includes('"'));
    assert.ok(tricky);
    file = tricky;
  });
  after(async () => {
    await browser?.close();
    await sim?.close();
  });

  it('redirects a Coupa file URL to a signed URL on another origin, which serves the truth\'s bytes without cookies', async () => {
    assert.ok(sim.storageUrl !== null && sim.storageUrl !== sim.url);
    const location = await signedLocation();
    assert.equal(location.origin, sim.storageUrl);
    assert.match(location.pathname, new RegExp(`^/paperclip-sim/${file.attId}/`));
    assert.ok(location.searchParams.get('X-Amz-Signature') && location.searchParams.get('X-Amz-Expires'));
    const response = await fetch(location);
    assert.equal(response.status, 200);
    const bytes = new Uint8Array(await response.arrayBuffer());
    assert.equal(sha256(bytes), file.sha256);
    assert.equal(decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? ''), file.name);
  });

  it('answers a wrong, missing or borrowed signature with 403 and an S3-like XML error', async () => {
    const location = await signedLocation();
    const wrong = new URL(location);
    wrong.searchParams.set('X-Amz-Signature', 'f'.repeat(64));
    const denied = await fetch(wrong);
    assert.equal(denied.status, 403);
    assert.match(denied.headers.get('content-type') ?? '', /xml/);
    assert.match(await denied.text(), /<Error><Code>SignatureDoesNotMatch<\/Code>/);
    const unsigned = new URL(location);
    unsigned.search = '';
    const missing = await fetch(unsigned);
    assert.equal(missing.status, 403);
    assert.match(await missing.text(), /<Code>AccessDenied<\/Code>/);
    const other = sim.truth.pos.find((p) => p.kind === 'normal')?.expectedFiles[0];
    assert.ok(other);
    const borrowed = new URL(location);
    borrowed.pathname = `/paperclip-sim/${other.attId}/${encodeURIComponent(other.name)}`;
    assert.equal((await fetch(borrowed)).status, 403);
  });

  it('still signs in at Coupa first: a signed-out request for the file goes to sign-in, not to storage', async () => {
    const response = await fetch(sim.url + file.path, { redirect: 'manual' });
    assert.equal(response.status, 302);
    assert.match(response.headers.get('location') ?? '', /^\/sessions\/new\?return_to=/);
  });

  it('carries a file fault to the download the redirect was made for, and serves the next one whole', async () => {
    sim.setFaults({ byAttachment: { [file.attId]: { truncateTimes: 1 } } });
    try {
      const cut = await fetch(await signedLocation());
      await assert.rejects(cut.arrayBuffer());
      const whole = await fetch(await signedLocation());
      assert.equal(sha256(new Uint8Array(await whole.arrayBuffer())), file.sha256);
    } finally {
      sim.setFaults({});
    }
  });

  it('downloads in a real browser through the cross-origin redirect', async () => {
    const context = await browser.newContext({ storageState: sim.createStorageState(), acceptDownloads: true });
    try {
      const page = await context.newPage();
      // A Unicode name (Chromium would write a quote as `_`).
      const unicode = sim.truth.pos.find((p) => p.kind === 'trickyNames')?.expectedFiles.find((f) => f.name === 'Orçamento_nº5.pdf');
      assert.ok(unicode);
      const [download] = await Promise.all([page.waitForEvent('download'), page.goto(sim.url + unicode.path).catch(() => undefined)]);
      assert.equal(download.suggestedFilename(), unicode.name);
      assert.equal(new URL(download.url()).origin, sim.storageUrl);
      assert.equal(sha256(await readFile(await download.path())), unicode.sha256);
      const viaRequest = await context.request.get(sim.url + file.path);
      assert.equal(sha256(await viaRequest.body()), file.sha256);
    } finally {
      await context.close();
    }
  });
});
