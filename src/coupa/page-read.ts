import type { AttachmentKind } from '../domain/po-outcome.ts';
import { ERROR_CONTAINER_SELECTORS, ERROR_HEADING_PATTERN, ERROR_TEXT_MARKERS } from './error-page.ts';
import { SIGN_IN_FORM_SELECTOR } from './sign-in-page.ts';

/**
 * What a Coupa page shows, read inside the page in one go: the sign-in form, an error page, or —
 * once its attachment lists are present and filled — the supplier, the PO's own requisition and
 * every attachment (header, lines, comments). `readPage` runs in the browser, so it is one
 * self-contained function: no imports, no helpers outside it.
 */

/** One attachment as the page shows it (the origin, PO or requisition, is added by the caller). */
export interface RawAttachment {
  readonly kind: AttachmentKind;
  /** File link: its absolute URL. URL attachment: the target. Click widget and Text: `''`. */
  readonly url: string;
  /** What the page calls it: the link's title, else its text. */
  readonly label: string;
  /** Text attachment: the note itself; `''` otherwise. */
  readonly text: string;
  /** Click widget: the value of its `data-coupa-dl-widget` mark; `null` for everything else. */
  readonly widget: number | null;
}

export type PageRead =
  | { readonly kind: 'signIn' }
  | { readonly kind: 'error'; readonly text: string }
  | {
      readonly kind: 'ready';
      /** `''` when the page shows none. */
      readonly supplier: string;
      /** Absolute URL of the PO's own requisition; `null` when the page links none. */
      readonly requisitionUrl: string | null;
      readonly attachments: readonly RawAttachment[];
    };

export interface ReadArgs {
  readonly signInSelector: string;
  readonly errorContainers: readonly string[];
  readonly errorHeadingPattern: string;
  readonly errorMarkers: readonly string[];
  readonly fileLink: string;
  readonly fileWidget: string;
  readonly widgetMark: string;
  readonly supplier: string;
  readonly requisitionLink: string;
  /** The PO page's body, and the comments inside it: see `page-reporter.ts` (reading before DOMContentLoaded). */
  readonly poBody: string;
  readonly comments: string;
}

export const FILE_LINK_SELECTOR = 'a[href*="/attachment/attachment_file/file/"]';
export const FILE_WIDGET_SELECTOR = 'span.attachment-file, span[aria-label*="file attachment" i]';
/** The mark put on each click widget so it can be found again to click it. */
export const WIDGET_MARK = 'data-coupa-dl-widget';
export const SUPPLIER_SELECTOR = 'span.supplier-name';
/** The PO's requisition: never the menu's link to the requisition list, nor one mentioned in a comment. */
export const REQUISITION_LINK_SELECTOR = 'a#order_header_requisition_header';

export const READ_ARGS: ReadArgs = {
  signInSelector: SIGN_IN_FORM_SELECTOR,
  errorContainers: ERROR_CONTAINER_SELECTORS,
  errorHeadingPattern: ERROR_HEADING_PATTERN,
  errorMarkers: ERROR_TEXT_MARKERS,
  fileLink: FILE_LINK_SELECTOR,
  fileWidget: FILE_WIDGET_SELECTOR,
  widgetMark: WIDGET_MARK,
  supplier: SUPPLIER_SELECTOR,
  requisitionLink: REQUISITION_LINK_SELECTOR,
  poBody: '#order_body',
  comments: 'section#comments',
};

/** Runs in the page: what it shows right now, or null while its lists are still filling in. */
export function readPage(args: ReadArgs): PageRead | null {
  if (document.querySelector(args.signInSelector) !== null) return { kind: 'signIn' };
  for (const selector of args.errorContainers) {
    // innerText, not textContent: it keeps the line breaks between a heading and its paragraph.
    const text = document.querySelector<HTMLElement>(selector)?.innerText.trim() ?? '';
    if (text !== '') return { kind: 'error', text };
  }
  const heading = new RegExp(args.errorHeadingPattern, 'i');
  for (const h1 of Array.from(document.querySelectorAll('h1'))) {
    const text = h1.textContent?.trim() ?? '';
    if (heading.test(text)) return { kind: 'error', text };
  }
  const body = document.body;
  if (body === null) return null;
  // Comments are people's words: "access denied" in a comment does not make the PO an error page.
  const comments = document.querySelector<HTMLElement>('section#comments');
  const bodyText = body.innerText.replace(comments?.innerText ?? '\u0000', '').toLowerCase();
  for (const marker of args.errorMarkers) if (bodyText.includes(marker.toLowerCase())) return { kind: 'error', text: marker };
  const lists = Array.from(document.querySelectorAll('ul.attachments-list, ul.attachments__list'));
  const fields = Array.from(document.querySelectorAll('div.attachments'));
  if (lists.length === 0 && fields.length === 0) return null;
  // An empty list is "not yet" (script fills it later); "None" is an item, so it counts as filled.
  if (lists.some((list) => list.querySelector('li') === null)) return null;
  if (fields.some((field) => (field.textContent?.trim() ?? '') === '')) return null;

  const supplier = document.querySelector(args.supplier)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
  const link = document.querySelector<HTMLAnchorElement>(args.requisitionLink);
  // Only a link to one requisition (`/requisition_headers/<id>`) is the PO's requisition.
  const requisitionUrl = link !== null && /\/requisition_headers\/[^/?#]+/.test(link.getAttribute('href') ?? '') ? link.href : null;

  const attachments: RawAttachment[] = [];
  const labelOf = (element: Element): string => (element.getAttribute('title')?.trim() || element.textContent?.replace(/\s+/g, ' ').trim()) ?? '';
  const handled = new Set<Element>();
  let widgetCount = 0;
  for (const element of Array.from(document.querySelectorAll(`${args.fileLink}, ${args.fileWidget}, li.attachment`))) {
    if (element.matches(args.fileLink)) {
      handled.add(element.closest('li.attachment') ?? element);
      attachments.push({ kind: 'file', url: (element as HTMLAnchorElement).href, label: labelOf(element), text: '', widget: null });
    } else if (element.matches(args.fileWidget)) {
      const item = element.closest('li.attachment') ?? element;
      // A widget nested in another widget (span in span) is the same attachment.
      if (handled.has(item) || element.parentElement?.closest(args.fileWidget)) continue;
      handled.add(item);
      widgetCount += 1;
      element.setAttribute(args.widgetMark, String(widgetCount));
      attachments.push({ kind: 'file', url: '', label: labelOf(element), text: '', widget: widgetCount });
    } else if (!handled.has(element) && element.querySelector(`${args.fileLink}, ${args.fileWidget}`) === null) {
      const kindHint = `${element.className} ${element.getAttribute('aria-label') ?? ''}`.toLowerCase();
      const anchor = element.querySelector<HTMLAnchorElement>('a[href]');
      if (/url|link/.test(kindHint) || (anchor !== null && !/text/.test(kindHint))) {
        if (anchor !== null) attachments.push({ kind: 'url', url: anchor.href, label: labelOf(anchor), text: '', widget: null });
      } else if (/text|note/.test(kindHint)) {
        // The note itself, without the "Supplier"/"Internal" mark beside it.
        const holder = element.querySelector<HTMLElement>('.attachment_text') ?? (element as HTMLElement);
        const text = holder.innerText.trim();
        if (text !== '') attachments.push({ kind: 'text', url: '', label: text, text, widget: null });
      }
    }
  }
  return { kind: 'ready', supplier, requisitionUrl, attachments };
}
