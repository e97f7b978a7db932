import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { SavedFile } from '../../src/domain/po-outcome.ts';
import { MailConversions } from '../../src/job/conversion/mail-conversions.ts';
import { DEFAULT_MAIL_PDF_SETTINGS } from '../../src/mail/index.ts';
import type { SimFile } from '../../src/simulator/catalogue-model.ts';
import { makeFileBytes } from '../../src/simulator/file-content.ts';
import { StateStore } from '../../src/state/state-store.ts';
import { launchTestBrowser } from '../support/browser.ts';
import { tempDir, type TempDir } from '../support/temp-dir.ts';

const folder = 'Acme/PO100001_COMPLETED';

function mailFile(name: string, attId: string): SimFile {
  return { kind: 'file', attId, name, intent: 'supplier', targetSizeBytes: 30_000, pagePath: '/order_headers/100001' };
}

/** The queue of a run's conversions, against a real state file, real mails on disk and a real browser. */
describe('MailConversions', () => {
  let out: string;
  let outTemp: TempDir | undefined;
  let store: StateStore;
  const files: SavedFile[] = [];
  const warnings: string[] = [];
  const log = { info: () => {}, warn: (message: string) => warnings.push(message) };

  before(async () => {
    outTemp = await tempDir('coupa-dl-conversions-');
    out = outTemp.path;
    await mkdir(join(out, folder), { recursive: true });
    for (const [name, attId] of [['RE Approval.msg', '900011'], ['Order confirmation.eml', '900013'], ['FW Quote.msg', '900012']] as const) {
      await writeFile(join(out, folder, name), makeFileBytes(1, mailFile(name, attId)));
      files.push({ poNumber: 'PO100001', name, relativePath: `${folder}/${name}`, sizeBytes: 1, sha256: `sha-${attId}`, sourceUrl: 'u', kind: 'file', origin: 'po' });
    }
    store = StateStore.open(join(out, '.coupa-dl', 'state.sqlite'));
    store.ensurePos([{ poNumber: 'PO100001', poId: '100001', folderLevels: null }]);
  });
  after(async () => {
    store?.close();
    await outTemp?.remove();
  });

  it('starts a new browser for the next mail when the one printing went away, so one crash costs one mail at most', async () => {
    const browsers: Browser[] = [];
    const conversions = new MailConversions({
      outDir: out,
      settings: DEFAULT_MAIL_PDF_SETTINGS,
      launchBrowser: async () => {
        const browser = await launchTestBrowser();
        browsers.push(browser);
        return browser;
      },
      store,
      log,
      signal: new AbortController().signal,
      retryUnreadable: false,
      paused: true,
    });
    try {
      assert.equal(conversions.add('100001', files.slice(0, 1)), 1);
      conversions.start();
      assert.deepEqual(await conversions.finish(), { done: 2, failed: 0, skipped: 0 }, 'the mail and the mail attached to it');
      // The browser goes away between two mails (a crash, a kill from outside).
      await browsers[0]?.close();
      conversions.add('100001', files.slice(1, 2));
      assert.deepEqual(await conversions.finish(), { done: 4, failed: 0, skipped: 0 });
      assert.equal(browsers.length, 2);
      assert.ok(existsSync(join(out, folder, 'Order confirmation.eml.pdf')));
      assert.equal(conversions.add('100001', files.slice(0, 2)), 0, 'nothing converted twice');
    } finally {
      await conversions.close();
    }
  });

  it('records nothing for a mail a stop cut short, so the next run converts it', async () => {
    const stop = new AbortController();
    const conversions = new MailConversions({
      outDir: out,
      settings: DEFAULT_MAIL_PDF_SETTINGS,
      // The stop comes while the browser starts, so the print is cut short.
      launchBrowser: async () => {
        const browser = await launchTestBrowser();
        stop.abort();
        return browser;
      },
      store,
      log,
      signal: stop.signal,
      retryUnreadable: false,
    });
    try {
      assert.equal(conversions.add('100001', files.slice(2)), 1);
      assert.deepEqual(await conversions.finish(), { done: 0, failed: 0, skipped: 0 });
      assert.ok(!store.listConversions('100001').some((row) => row.rootPath === files[2]?.relativePath));
      assert.ok(!existsSync(join(out, folder, 'FW Quote.msg.pdf')) && !existsSync(join(out, folder, 'FW Quote.msg.pdf.partial')));
    } finally {
      await conversions.close();
    }
    const again = new MailConversions({ outDir: out, settings: DEFAULT_MAIL_PDF_SETTINGS, launchBrowser: launchTestBrowser, store, log, signal: new AbortController().signal, retryUnreadable: false });
    try {
      assert.equal(again.add('100001', files), 1, 'only the mail cut short');
      assert.equal((await again.finish()).done, 2);
    } finally {
      await again.close();
    }
  });

  it('records every mail as failed, saying why, when no browser can start', async () => {
    const other: SavedFile = { ...files[0] as SavedFile, sha256: 'other-bytes' };
    const conversions = new MailConversions({ outDir: out, settings: DEFAULT_MAIL_PDF_SETTINGS, launchBrowser: () => Promise.reject(new Error('no such program')), store, log, signal: new AbortController().signal, retryUnreadable: false });
    try {
      conversions.add('100001', [other]);
      assert.deepEqual(await conversions.finish(), { done: 0, failed: 1, skipped: 0 });
      const row = store.listConversions('100001').find((candidate) => candidate.rootPath === other.relativePath);
      assert.equal(row?.code, 'MAIL_RENDER_FAILED');
      assert.match(row?.reason ?? '', /The browser that prints mails to PDF could not start \(no such program\)\. The original file is kept; the next run tries again\./);
      assert.ok(warnings.includes('Mail not converted to PDF'));
    } finally {
      await conversions.close();
    }
  });
});
