import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import type { PageSize } from './mail-pdf-settings.ts';

export interface RenderOptions {
  readonly pageSize: PageSize;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

export interface RenderedPdf {
  readonly pdf: Uint8Array;
  /** Everything the document tried to load from outside (remote images, style sheets, fonts): all refused. */
  readonly blockedRequests: readonly string[];
}

/** Why a render did not give a PDF: the time ran out, the caller stopped it, or the browser failed. */
export class RenderError extends Error {
  override readonly name = 'RenderError';
  readonly reason: 'timeout' | 'interrupted' | 'browser';

  constructor(reason: RenderError['reason'], message: string, options?: ErrorOptions) {
    super(message, options);
    this.reason = reason;
  }
}

const PAGE_MARGIN = { top: '12mm', bottom: '14mm', left: '12mm', right: '12mm' };
const FOOTER = '<div style="width:100%;font-size:7pt;color:#666;text-align:center;font-family:sans-serif"><span class="pageNumber"></span> / <span class="totalPages"></span></div>';

/**
 * Turns HTML documents into PDFs with the browser (`page.setContent`, then `page.pdf`, which
 * headless Chromium and Edge support) in a browser context of its own: scripts off, offline,
 * every request refused (only `data:` URLs, which never reach the network, load), no service
 * workers, no downloads, and none of the session's cookies (a new context has none). One page is
 * reused for every document, one document at a time; a page that crashed or timed out is replaced.
 */
export class MailPdfRenderer implements AsyncDisposable {
  readonly #context: BrowserContext;
  #page: Page | null = null;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(context: BrowserContext) {
    this.#context = context;
  }

  static async open(browser: Browser): Promise<MailPdfRenderer> {
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true, serviceWorkers: 'block', acceptDownloads: false });
    try {
      await context.route('**/*', (route) => route.abort('blockedbyclient'));
    } catch (error) {
      await context.close().catch(() => {});
      throw error;
    }
    return new MailPdfRenderer(context);
  }

  /** Renders after any render already asked for has finished. */
  render(html: string, options: RenderOptions): Promise<RenderedPdf> {
    const run = this.#queue.then(() => this.#render(html, options));
    this.#queue = run.catch(() => {});
    return run;
  }

  async close(): Promise<void> {
    await this.#context.close().catch(() => {});
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #render(html: string, options: RenderOptions): Promise<RenderedPdf> {
    const signal = AbortSignal.any([AbortSignal.timeout(options.timeoutMs), ...(options.signal === undefined ? [] : [options.signal])]);
    if (signal.aborted) throw stopped(signal, options);
    let page: Page;
    try {
      page = await this.#openPage();
    } catch (error) {
      throw new RenderError('browser', `the browser could not open a page (${messageOf(error)})`, { cause: error });
    }
    const blocked: string[] = [];
    // Nothing in this context reaches the network, so every request that starts ends here.
    const onFailed = (request: Request): void => {
      if (!request.url().startsWith('data:')) blocked.push(request.url());
    };
    // A stuck setContent or pdf only ends when its page closes.
    const onAbort = (): void => {
      this.#page = null;
      void page.close().catch(() => {});
    };
    page.on('requestfailed', onFailed);
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      await page.setContent(html, { waitUntil: 'load', timeout: 0 });
      const pdf = await page.pdf({ format: options.pageSize, printBackground: true, margin: PAGE_MARGIN, displayHeaderFooter: true, headerTemplate: '<span></span>', footerTemplate: FOOTER });
      return { pdf: new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength), blockedRequests: blocked };
    } catch (error) {
      if (signal.aborted) throw stopped(signal, options);
      this.#page = null;
      void page.close().catch(() => {});
      throw new RenderError('browser', `the browser failed while printing the mail (${messageOf(error)})`, { cause: error });
    } finally {
      signal.removeEventListener('abort', onAbort);
      page.off('requestfailed', onFailed);
    }
  }

  async #openPage(): Promise<Page> {
    if (this.#page === null || this.#page.isClosed()) this.#page = await this.#context.newPage();
    return this.#page;
  }
}

function stopped(signal: AbortSignal, options: RenderOptions): RenderError {
  if (options.signal?.aborted === true) return new RenderError('interrupted', 'the conversion was stopped', { cause: signal.reason });
  return new RenderError('timeout', `the browser did not finish the PDF within ${String(Math.round(options.timeoutMs / 1000))} s`, { cause: signal.reason });
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}
