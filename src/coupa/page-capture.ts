import type { BrowserContext } from 'playwright-core';
import { safeFileName } from '../domain/file-name.ts';
import { openCoupaPage, type ShowPageOptions } from './coupa-page.ts';
import { savePageCopy } from './page-copy.ts';
import { settlePage } from './page-settle.ts';
import { viewOf } from './page-view.ts';

/**
 * `coupa-dl capture`: one PO page opened with the run's sign-in, let settle, and saved the way a
 * run saves pages it is unsure of (page-copy.ts), plus the HTML the server sent — so that a user
 * can send us real pages, and `coupa-dl simulator --replay` can serve them back to the reader.
 */

export interface CaptureOptions extends ShowPageOptions {
  readonly settleQuietMs: number;
  readonly maxBytes: number;
}

export interface Captured {
  /** The copy's folder, relative to the output folder. */
  readonly folder: string;
  /** What the reader made of the page, in words (for the user to see before sending it). */
  readonly reading: string;
}

export async function capturePoPage(context: BrowserContext, po: { poNumber: string; poId: string }, outDir: string, options: CaptureOptions): Promise<Captured> {
  const page = await context.newPage();
  try {
    using opened = await openCoupaPage(page, `${options.baseUrl}/order_headers/${encodeURIComponent(po.poId)}`, options);
    const settled = await settlePage(page, opened.watch, { settleTimeoutMs: options.settleTimeoutMs, quietMs: options.settleQuietMs, signal: options.signal });
    const view = viewOf(settled.read, { kind: 'po', id: po.poId, httpStatus: opened.status, accessDeniedMarkers: [] }, settled);
    const serverHtml = await opened.response?.text().catch(() => undefined);
    const reading =
      view.kind === 'error'
        ? `${view.status}: ${view.message}`
        : `${view.attachments.length} attachment${view.attachments.length === 1 ? '' : 's'} read${view.review.length > 0 ? `; needs a look: ${view.review.join('; ')}` : ''}`;
    const folder = await savePageCopy(page, outDir, { poNumber: po.poNumber, poId: po.poId, reason: `captured: ${reading}`, folder: safeFileName(po.poNumber, 'PO'), ...(serverHtml === undefined ? {} : { serverHtml }) }, options.maxBytes);
    return { folder, reading };
  } finally {
    await page.close().catch(() => {});
  }
}
