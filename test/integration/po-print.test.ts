import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { extractText, getDocumentProxy } from 'unpdf';
import { prepareContext } from '../../src/coupa/page-reporter.ts';
import { DEFAULT_PO_PRINT_SETTINGS, PRINT_LINK_SELECTOR, savePoPdf, type PoPdfResult } from '../../src/coupa/po-print.ts';
import { CoupaDlError } from '../../src/domain/errors.ts';
import { startSimulator, type PoTruth, type Simulator } from '../../src/simulator/index.ts';
import { launchTestBrowser } from '../support/browser.ts';
import { tempDir, type TempDir } from '../support/temp-dir.ts';

async function pdfText(path: string): Promise<string> {
  const { text } = await extractText(await getDocumentProxy(new Uint8Array(await readFile(path))), { mergePages: true });
  return text.replace(/\s+/g, ' ');
}

function saved(result: PoPdfResult): Extract<PoPdfResult, { status: 'saved' }> {
  assert.equal(result.status, 'saved', JSON.stringify(result));
  return result as Extract<PoPdfResult, { status: 'saved' }>;
}

describe('the PO itself as a PDF', () => {
  let sim: Simulator;
  let browser: Browser;
  let context: BrowserContext;
  let tab: Page;
  let dir: string;
  let dirTemp: TempDir | undefined;
  let folders = 0;
  const signal = new AbortController().signal;

  before(async () => {
    sim = await startSimulator({ pos: 12, seed: 1, auth: { mode: 'password' } });
    browser = await launchTestBrowser();
    // A worker's context, signed in, with the reporter every page of it runs; the PDF is printed in its tab.
    context = await browser.newContext({ storageState: sim.createStorageState(), acceptDownloads: true });
    await prepareContext(context);
    tab = await context.newPage();
    dirTemp = await tempDir('coupa-dl-po-print-');
    dir = dirTemp.path;
  });
  after(async () => {
    await context?.close();
    await browser?.close();
    await sim?.close();
    await dirTemp?.remove();
  });

  const po = (predicate: (truth: PoTruth) => boolean): PoTruth => sim.truth.pos.find(predicate) ?? assert.fail('no such PO in the catalogue');
  const newFolder = async (): Promise<string> => {
    folders += 1;
    const folder = join(dir, `PO folder ${String(folders)}`);
    await mkdir(folder);
    return folder;
  };
  /** The print link as a worker reads it from the PO page. */
  const printHrefOf = async (truth: PoTruth): Promise<string | null> => {
    const page = await context.newPage();
    try {
      await page.goto(`${sim.url}/order_headers/${truth.id}`, { waitUntil: 'domcontentloaded' });
      return await page.locator(PRINT_LINK_SELECTOR).getAttribute('href');
    } finally {
      await page.close();
    }
  };

  it('prints Coupa’s print view, found through the PO page’s own link, as <PO folder>.pdf holding the PO number and the supplier', async () => {
    const truth = po((candidate) => candidate.supplier.includes('&'));
    const printHref = await printHrefOf(truth);
    assert.equal(printHref, `/order_headers/print_view?id=${truth.id}&version=1`);
    const folder = await newFolder();
    const result = saved(await savePoPdf(tab, { baseUrl: sim.url, poId: truth.id, printHref, folder, poFolderName: `PO${truth.id}` }, DEFAULT_PO_PRINT_SETTINGS, signal));
    assert.equal(result.source, 'printView');
    assert.equal(result.path, join(folder, `PO${truth.id}.pdf`));
    const text = await pdfText(result.path);
    assert.ok(text.includes(`Purchase Order #PO${truth.id}`) && text.includes(truth.supplier), text);
    assert.ok(!text.includes('Back to the order'), 'print styles applied');
    assert.equal((await readFile(result.path)).length, result.sizeBytes);
  });

  it('prints the PO page itself, without its floating bar and menus, when there is no print view to go to', async () => {
    const truth = po((candidate) => candidate.expectedStatus === 'COMPLETED' && candidate.supplier !== '');
    const folder = await newFolder();
    const result = saved(
      await savePoPdf(tab, { baseUrl: sim.url, poId: truth.id, printHref: null, folder, poFolderName: `PO${truth.id}` }, { ...DEFAULT_PO_PRINT_SETTINGS, printPathPattern: '' }, signal),
    );
    assert.equal(result.source, 'poPage');
    const text = await pdfText(result.path);
    assert.ok(text.includes(`Purchase Order #PO${truth.id}`) && text.includes(truth.supplier), text);
    for (const hidden of ['Supplier Print View', 'Close order', 'Invoices']) assert.ok(!text.includes(hidden), `${hidden} is not printed`);
  });

  it('takes the next name when an attachment already has the PO’s name, leaving the attachment alone', async () => {
    const truth = po((candidate) => candidate.expectedStatus === 'COMPLETED');
    const folder = await newFolder();
    await writeFile(join(folder, `po${truth.id}.PDF`), 'the supplier’s own file');
    const result = saved(await savePoPdf(tab, { baseUrl: sim.url, poId: truth.id, printHref: null, folder, poFolderName: `PO${truth.id}` }, DEFAULT_PO_PRINT_SETTINGS, signal));
    assert.equal(result.source, 'printView', 'the pattern finds the print view without a link');
    assert.equal(result.path, join(folder, `PO${truth.id} (2).pdf`));
    assert.equal(await readFile(join(folder, `po${truth.id}.PDF`), 'utf8'), 'the supplier’s own file');
  });

  it('says in words that the PDF could not be made when both the print view and the PO page are error pages', async () => {
    const truth = po((candidate) => candidate.expectedStatus === 'PO_NOT_FOUND');
    const folder = await newFolder();
    const result = await savePoPdf(tab, { baseUrl: sim.url, poId: truth.id, printHref: null, folder, poFolderName: `PO${truth.id}` }, DEFAULT_PO_PRINT_SETTINGS, signal);
    assert.equal(result.status, 'failed');
    assert.match(result.status === 'failed' ? result.message : '', /^The PO could not be saved as PDF: the print view \(.+\) is an error page \(.+\); the PO page is an error page/);
    assert.deepEqual(await readdir(folder), []);
  });

  it('throws SESSION_EXPIRED when Coupa asks to sign in, so the pool can restore the session', async () => {
    const signedOut = await browser.newContext();
    try {
      const truth = po((candidate) => candidate.expectedStatus === 'COMPLETED');
      const folder = await newFolder();
      await assert.rejects(
        savePoPdf(await signedOut.newPage(), { baseUrl: sim.url, poId: truth.id, printHref: null, folder, poFolderName: `PO${truth.id}` }, DEFAULT_PO_PRINT_SETTINGS, signal),
        (error: unknown) => error instanceof CoupaDlError && error.code === 'SESSION_EXPIRED',
      );
      assert.deepEqual(await readdir(folder), []);
    } finally {
      await signedOut.close();
    }
  });
});
