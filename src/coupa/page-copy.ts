import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { safeFileName } from '../domain/file-name.ts';
import { diskError } from './browser-error.ts';

/**
 * A copy of a page, kept as evidence when a PO's outcome is not clean (we cannot test against the
 * real Coupa, so a user's pages are how the reader learns): the rendered DOM as HTML and a
 * screenshot, in `<out>/.coupa-dl/pages/<PO>/`. Inline scripts, hidden form values, the CSRF token
 * and signed or token-carrying query strings are removed in the page before anything leaves it;
 * the copy still shows prices and names (the user guide says so). `maxBytes` caps a copy: the
 * screenshot goes first, then the HTML is cut.
 */

export interface PageCopyInfo {
  readonly poNumber: string;
  readonly poId: string;
  /** Why the copy was made, in words (the PO's status and message). */
  readonly reason: string;
  /** The HTML the server sent, when it was kept (`coupa-dl capture`). */
  readonly serverHtml?: string;
  /** An HTML copy taken earlier, when the tab has moved on since (the requisition took it). */
  readonly earlierHtml?: string;
  /** Where the copy goes, relative to the output folder (default: `pageCopyFolder(poNumber)`). */
  readonly folder?: string;
  /** How long the screenshot may take (a page that never finished loading can hold it up). */
  readonly screenshotTimeoutMs?: number;
}

export const PAGES_FOLDER = '.coupa-dl/pages';

/** The folder a PO's copy goes to, relative to the output folder, with `/` separators (as report paths are stored). */
export function pageCopyFolder(poNumber: string): string {
  return `${PAGES_FOLDER}/${safeFileName(poNumber, 'PO')}`;
}

/** Saves the copy; returns its folder relative to `outDir`. Never throws for the page's sake (a closed tab gives a copy without it). */
export async function savePageCopy(page: Page | null, outDir: string, info: PageCopyInfo, maxBytes: number): Promise<string> {
  const relative = info.folder ?? pageCopyFolder(info.poNumber);
  const dir = join(outDir, relative);
  const notes: string[] = [];
  let html = info.earlierHtml ?? null;
  let shot: Buffer | null = null;
  let title = '';
  let url = '';
  if (page !== null && !page.isClosed() && info.earlierHtml === undefined) {
    try {
      url = page.url();
      title = await page.title();
      html = await page.evaluate(scrubbedDocument, SCRUB);
      shot = await page.screenshot({ type: 'jpeg', quality: 60, fullPage: true, timeout: info.screenshotTimeoutMs ?? 5_000, animations: 'disabled' });
    } catch (error) {
      notes.push(`the page could not be copied whole (${error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)})`);
    }
  } else if (info.earlierHtml !== undefined) notes.push('no screenshot: the tab had moved on to the requisition');
  const server = info.serverHtml ?? null;
  const sized = capped({ html, shot, server }, maxBytes, notes);
  try {
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    if (sized.html !== null) await writeFile(join(dir, 'page.html'), sized.html);
    if (sized.server !== null) await writeFile(join(dir, 'server.html'), sized.server);
    if (sized.shot !== null) await writeFile(join(dir, 'screenshot.jpg'), sized.shot);
    const meta = { poNumber: info.poNumber, poId: info.poId, url, title, capturedAt: new Date().toISOString(), reason: info.reason, notes };
    await writeFile(join(dir, 'meta.json'), `${JSON.stringify(meta, null, 2)}\n`);
  } catch (error) {
    throw diskError(error, dir) ?? error;
  }
  return relative;
}

interface Parts {
  html: string | null;
  shot: Buffer | null;
  server: string | null;
}

function capped(parts: Parts, maxBytes: number, notes: string[]): Parts {
  const size = (p: Parts) => Buffer.byteLength(p.html ?? '') + (p.shot?.length ?? 0) + Buffer.byteLength(p.server ?? '');
  let result = { ...parts };
  if (size(result) > maxBytes && result.shot !== null) {
    notes.push(`screenshot left out (${result.shot.length} bytes; the copies are capped at ${maxBytes} bytes)`);
    result = { ...result, shot: null };
  }
  for (const key of ['server', 'html'] as const) {
    const text = result[key];
    const over = size(result) - maxBytes;
    if (over <= 0 || text === null) continue;
    const keep = Math.max(0, Buffer.byteLength(text) - over - 200);
    notes.push(`${key === 'html' ? 'page.html' : 'server.html'} cut to ${keep} bytes (the copies are capped at ${maxBytes} bytes)`);
    result = { ...result, [key]: `${Buffer.from(text).subarray(0, keep).toString('utf8')}\n<!-- cut by coupa-dl: the copy is capped at ${maxBytes} bytes -->\n` };
  }
  return result;
}

interface ScrubArgs {
  readonly secretParams: string;
}

const SCRUB: ScrubArgs = { secretParams: '^(x-amz-|signature|sig|token|access_token|auth|key|expires|policy|se|sp|sv|sr|skoid|sktid|code|session)' };

/** Runs in the page: the document as HTML, without what must not leave the user's machine. Self-contained. */
function scrubbedDocument(args: ScrubArgs): string {
  const copy = document.documentElement.cloneNode(true) as HTMLElement;
  const secret = new RegExp(args.secretParams, 'i');
  for (const script of Array.from(copy.querySelectorAll('script'))) {
    if (!script.hasAttribute('src')) script.textContent = '/* inline script removed by coupa-dl */';
  }
  for (const input of Array.from(copy.querySelectorAll('input'))) {
    const type = (input.getAttribute('type') ?? 'text').toLowerCase();
    if (type === 'hidden' || type === 'password' || /token|csrf|secret|password/i.test(input.getAttribute('name') ?? '')) input.setAttribute('value', '');
  }
  for (const meta of Array.from(copy.querySelectorAll('meta[name*="csrf" i], meta[name*="token" i]'))) meta.setAttribute('content', '');
  for (const element of Array.from(copy.querySelectorAll('[href], [src], [action]'))) {
    for (const name of ['href', 'src', 'action']) {
      const value = element.getAttribute(name);
      if (value === null || !value.includes('?')) continue;
      try {
        const url = new URL(value, location.href);
        let changed = false;
        for (const param of Array.from(url.searchParams.keys())) {
          if (secret.test(param)) {
            url.searchParams.set(param, 'removed');
            changed = true;
          }
        }
        if (changed) element.setAttribute(name, url.href);
      } catch {
        // Not a URL: left as it is.
      }
    }
  }
  for (const element of Array.from(copy.querySelectorAll('*'))) {
    for (const attribute of Array.from(element.attributes)) {
      if (/^data-.*(token|secret|session|csrf)/i.test(attribute.name)) element.setAttribute(attribute.name, '');
    }
  }
  return `<!DOCTYPE html>\n${copy.outerHTML}`;
}
