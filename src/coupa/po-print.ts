import { createHash } from 'node:crypto';
import { readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { CoupaDlError } from '../domain/errors.ts';
import { safeFileName, uniqueFileName } from '../domain/file-name.ts';
import { diskError, isBrowserGone, runAborted } from './browser-error.ts';
import { ERROR_CONTAINER_SELECTORS, ERROR_TEXT_MARKERS } from './error-page.ts';
import { FLOATING_BAR_SELECTOR } from './floating-bar.ts';
import { isSignInUrl } from './sign-in-page.ts';

/**
 * The PO itself as a PDF, as Coupa prints it for the supplier. The PO page's print button
 * (`a.s-printButton`, "Supplier Print View") links to `/order_headers/print_view?id=<id>&version=1`;
 * that page is printed when it can be had, else the PO page itself with print styles and without
 * its floating bar and navigation. Printing happens in the worker's own tab once the PO's pages are
 * read and its downloads done (pages are no longer stopped once read, so the print view loads whole
 * there), which costs no new tab: a new tab is a new renderer process.
 */

export const PRINT_LINK_SELECTOR = 'a.s-printButton[href]';

export type PoPrintPageSize = 'A4' | 'Letter';

export interface PoPrintSettings {
  readonly pageSize: PoPrintPageSize;
  /** Where the print view is when the PO page shows no print link; `{id}` is the PO id. '' goes straight to the PO page. */
  readonly printPathPattern: string;
  /** For each page opened (the print view, the PO page): until its content is there. */
  readonly navigationTimeoutMs: number;
  /** After the content is there, how long to wait for its pictures and styles (the `load` event) before printing anyway. */
  readonly settleMs: number;
}

export const DEFAULT_PO_PRINT_SETTINGS: PoPrintSettings = {
  pageSize: 'A4',
  printPathPattern: '/order_headers/print_view?id={id}&version=1',
  navigationTimeoutMs: 60_000,
  settleMs: 5_000,
};

export interface PoPrintRequest {
  /** Coupa's address, without a trailing slash. */
  readonly baseUrl: string;
  /** The PO's id in Coupa's addresses (`/order_headers/<id>`). */
  readonly poId: string;
  /** The PO page's print link as the page has it (`href` of `a.s-printButton`), or null when it has none. */
  readonly printHref: string | null;
  /** The folder the PDF goes into. */
  readonly folder: string;
  /** The PO folder's name without its status (`PO15262984`): the PDF is `<that>.pdf`. */
  readonly poFolderName: string;
}

export type PoPdfResult =
  | {
      readonly status: 'saved';
      readonly path: string;
      readonly sizeBytes: number;
      readonly sha256: string;
      /** `printView`: Coupa's print view; `poPage`: the PO page printed, the print view being out of reach. */
      readonly source: 'printView' | 'poPage';
      /** The address printed. */
      readonly sourceUrl: string;
    }
  /** `message` is for the report: the PO becomes PARTIAL with it. */
  | { readonly status: 'failed'; readonly message: string };

/**
 * Saves the PO as `<poFolderName>.pdf` in `folder` (`(2)` when that name is taken), printing in
 * `page` (a tab of the signed-in context; it is left on the page printed). Throws coded errors for
 * what the pool acts on (`SESSION_EXPIRED`, `BROWSER_CRASHED`, `DISK_FULL`, the run's signal);
 * anything else that keeps the PDF from being made is a `failed` result.
 */
export async function savePoPdf(page: Page, request: PoPrintRequest, settings: PoPrintSettings, signal: AbortSignal): Promise<PoPdfResult> {
  try {
    const printUrl = printViewUrl(request, settings);
    let pdf: Uint8Array | null = null;
    let sourceUrl = printUrl ?? '';
    const problems: string[] = [];
    if (printUrl !== null) {
      const shown = await show(page, printUrl, request, settings, signal);
      if (shown === 'ok') pdf = await print(page, settings);
      else problems.push(`the print view (${printUrl}) ${shown}`);
    }
    if (pdf === null) {
      sourceUrl = `${request.baseUrl}/order_headers/${request.poId}`;
      const shown = await show(page, sourceUrl, request, settings, signal);
      if (shown !== 'ok') return { status: 'failed', message: `The PO could not be saved as PDF: ${[...problems, `the PO page ${shown}`].join('; ')}.` };
      await page.addStyleTag({ content: PO_PAGE_PRINT_STYLE });
      pdf = await print(page, settings);
    }
    return { ...(await writePdf(pdf, request)), source: sourceUrl === printUrl ? 'printView' : 'poPage', sourceUrl };
  } catch (error) {
    if (error instanceof CoupaDlError) throw error;
    if (signal.aborted) throw runAborted(signal, error);
    if (isBrowserGone(error)) throw new CoupaDlError('BROWSER_CRASHED', `Saving PO ${request.poId} as PDF: the browser went away.`, { cause: error });
    return { status: 'failed', message: `The PO could not be saved as PDF: ${printFailure(error)}.` };
  }
}

/** The page's own print link (made absolute), else the pattern filled in, else null. Only links into Coupa are followed. */
export function printViewUrl(request: Pick<PoPrintRequest, 'baseUrl' | 'poId' | 'printHref'>, settings: Pick<PoPrintSettings, 'printPathPattern'>): string | null {
  const base = new URL(`${request.baseUrl}/`);
  if (request.printHref !== null && request.printHref.trim() !== '') {
    try {
      const url = new URL(request.printHref.trim(), base);
      if (url.origin === base.origin) return url.href;
    } catch {
      // An unusable link: fall through to the pattern.
    }
  }
  if (settings.printPathPattern.trim() === '') return null;
  return new URL(settings.printPathPattern.replaceAll('{id}', encodeURIComponent(request.poId)), base).href;
}

/** `PO15262984.pdf`, or `PO15262984 (2).pdf` when an attachment already has that name. */
export function poPdfFileName(poFolderName: string, taken: Iterable<string>): string {
  return uniqueFileName(safeFileName(`${poFolderName}.pdf`), taken);
}

// Print styles for the PO page itself: no floating bar, no menus, no page chrome.
const PO_PAGE_PRINT_STYLE = `@media print { ${FLOATING_BAR_SELECTOR}, #main_header, #main_nav, nav, [role="navigation"], [role="menu"], .page_buttons_right { display: none !important; } }`;

/** 'ok', or what was wrong with the page, in words. */
async function show(page: Page, url: string, request: PoPrintRequest, settings: PoPrintSettings, signal: AbortSignal): Promise<string> {
  let status: number;
  try {
    const response = await page.goto(url, { waitUntil: 'domcontentloaded', timeout: settings.navigationTimeoutMs, signal });
    status = response?.status() ?? 200;
  } catch (error) {
    if (signal.aborted) throw runAborted(signal, error);
    if (isBrowserGone(error)) throw error;
    return `did not load (${printFailure(error)})`;
  }
  if (isSignInUrl(page.url(), request.baseUrl)) {
    throw new CoupaDlError('SESSION_EXPIRED', `Coupa asked to sign in again while saving PO ${request.poId} as PDF.`);
  }
  if (status >= 400) return `answered HTTP ${String(status)}`;
  const text = await page.evaluate(
    ({ containers }) => containers.map((selector) => document.querySelector<HTMLElement>(selector)?.innerText ?? '').join(' ') + ' ' + (document.body?.innerText ?? ''),
    { containers: [...ERROR_CONTAINER_SELECTORS] },
  );
  const marker = ERROR_TEXT_MARKERS.find((candidate) => text.toLowerCase().includes(candidate.toLowerCase()));
  if (marker !== undefined) return `is an error page ("${marker}")`;
  if (!text.includes(request.poId)) return `does not show PO ${request.poId}`;
  // Pictures and styles: printed when they are there, and anyway after `settleMs`.
  await page.waitForLoadState('load', { timeout: settings.settleMs }).catch(() => {});
  return 'ok';
}

async function print(page: Page, settings: PoPrintSettings): Promise<Uint8Array> {
  const pdf = await page.pdf({ format: settings.pageSize, printBackground: true, margin: { top: '12mm', bottom: '12mm', left: '10mm', right: '10mm' } });
  return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
}

async function writePdf(pdf: Uint8Array, request: PoPrintRequest): Promise<{ status: 'saved'; path: string; sizeBytes: number; sha256: string }> {
  const name = poPdfFileName(request.poFolderName, await readdir(request.folder));
  const path = join(request.folder, name);
  const partial = `${path}.partial`;
  try {
    await writeFile(partial, pdf);
    await rename(partial, path);
  } catch (error) {
    await rm(partial, { force: true }).catch(() => {});
    throw diskError(error, path) ?? error;
  }
  return { status: 'saved', path, sizeBytes: pdf.length, sha256: createHash('sha256').update(pdf).digest('hex') };
}

function printFailure(error: unknown): string {
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
  // Chromium prints to PDF only when headless.
  if (/pdf/i.test(message) && /headless|not supported|printing failed/i.test(message)) return `the browser cannot print to PDF here (${message}); run without --headed`;
  return message;
}
