import type { Page } from 'playwright-core';
import type { AttachmentKind, AttachmentOrigin } from '../domain/po-outcome.ts';

/**
 * The attachments a Coupa page shows, from the header, the order lines and the comments: File
 * attachments (a link, or an old-theme span you click), URL attachments and Text notes.
 */

export interface FoundAttachment {
  readonly kind: AttachmentKind;
  readonly origin: AttachmentOrigin;
  /** File link: its absolute URL. URL attachment: the target. Click widget and Text: `''`. */
  readonly url: string;
  /** What the page calls it: the link's title, else its text. */
  readonly label: string;
  /** Text attachment: the note itself; `''` otherwise. */
  readonly text: string;
  /** Click widget: the value of its `data-coupa-dl-widget` mark; `null` for everything else. */
  readonly widget: number | null;
}

export const FILE_LINK_SELECTOR = 'a[href*="/attachment/attachment_file/file/"]';
export const FILE_WIDGET_SELECTOR = 'span.attachment-file, span[aria-label*="file attachment" i]';
/** The mark put on each click widget so it can be found again to click it. */
export const WIDGET_MARK = 'data-coupa-dl-widget';

type RawAttachment = Omit<FoundAttachment, 'origin'>;

export async function readAttachments(page: Page, origin: AttachmentOrigin): Promise<FoundAttachment[]> {
  const raw = await page.evaluate(collectAttachments, { link: FILE_LINK_SELECTOR, widget: FILE_WIDGET_SELECTOR, mark: WIDGET_MARK });
  return uniqueAttachments(raw.map((attachment) => ({ ...attachment, origin })));
}

/** A file linked twice (header and a comment, say) is one attachment: the first mention wins. */
export function uniqueAttachments(attachments: readonly FoundAttachment[]): FoundAttachment[] {
  const seen = new Set<string>();
  return attachments.filter((attachment) => {
    if (attachment.widget !== null || attachment.kind === 'text') return true;
    const key = `${attachment.kind} ${attachment.url}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Runs in the page: every attachment in document order. */
function collectAttachments(selectors: { link: string; widget: string; mark: string }): RawAttachment[] {
  const found: RawAttachment[] = [];
  const labelOf = (element: Element): string =>
    (element.getAttribute('title')?.trim() || element.textContent?.replace(/\s+/g, ' ').trim()) ?? '';
  const handled = new Set<Element>();
  let widgetCount = 0;
  const candidates = document.querySelectorAll(`${selectors.link}, ${selectors.widget}, li.attachment`);
  for (const element of Array.from(candidates)) {
    if (element.matches(selectors.link)) {
      handled.add(element.closest('li.attachment') ?? element);
      found.push({ kind: 'file', url: (element as HTMLAnchorElement).href, label: labelOf(element), text: '', widget: null });
    } else if (element.matches(selectors.widget)) {
      const item = element.closest('li.attachment') ?? element;
      // A widget nested in another widget (span in span) is the same attachment.
      if (handled.has(item) || element.parentElement?.closest(selectors.widget)) continue;
      handled.add(item);
      widgetCount += 1;
      element.setAttribute(selectors.mark, String(widgetCount));
      found.push({ kind: 'file', url: '', label: labelOf(element), text: '', widget: widgetCount });
    } else if (!handled.has(element) && element.querySelector(`${selectors.link}, ${selectors.widget}`) === null) {
      const kindHint = `${element.className} ${element.getAttribute('aria-label') ?? ''}`.toLowerCase();
      const anchor = element.querySelector<HTMLAnchorElement>('a[href]');
      if (/url|link/.test(kindHint) || (anchor !== null && !/text/.test(kindHint))) {
        if (anchor !== null) found.push({ kind: 'url', url: anchor.href, label: labelOf(anchor), text: '', widget: null });
      } else if (/text|note/.test(kindHint)) {
        // The note itself, without the "Supplier"/"Internal" mark beside it.
        const holder = element.querySelector<HTMLElement>('.attachment_text') ?? (element as HTMLElement);
        const text = holder.innerText.trim();
        if (text !== '') found.push({ kind: 'text', url: '', label: text, text, widget: null });
      }
    }
  }
  return found;
}
