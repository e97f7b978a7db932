import type { AttachmentKind } from '../domain/po-outcome.ts';
import { ERROR_CONTAINER_SELECTORS, ERROR_HEADING_PATTERN, ERROR_TEXT_MARKERS, FLASH_ERROR_SELECTOR } from './error-page.ts';
import { SIGN_IN_FORM_SELECTOR } from './sign-in-page.ts';

/**
 * What a Coupa page shows right now, read inside the page in one go (`readPage`): the sign-in form,
 * an error page, or the supplier, the requisition link and every attachment of the header, the
 * lines and the comments — together with everything that says whether the reading can be trusted:
 * the page's own counts, visible loading signs and client-side mounts not rendered yet in the parts
 * we read, attachment items we cannot classify, the lines table's page links. `readPage` runs in the
 * browser, so it is one self-contained function: no imports, no helpers outside it.
 */

/** Where on the page an attachment is shown. */
export type AttachmentPlace = 'header' | 'line' | 'comment' | 'other';

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
  readonly place?: AttachmentPlace;
}

/** The page's own counts, to check what was read against; `null` when the page shows none. */
export interface PageCounts {
  /** The section nav's "Comments (7)", or the comments app's own count. */
  readonly comments: number | null;
  /** Comments rendered on the page. */
  readonly commentsShown: number;
  /** "View Attachments (n)" in the comments app. */
  readonly viewAttachments: number | null;
  /** File attachments read inside the comments. */
  readonly commentFiles: number;
}

/** A link of the lines table's pagination (never a "per page" choice). */
export interface LinePageLink {
  readonly text: string;
  readonly href: string;
  /** The page shown now (marked current, or not a link). */
  readonly current: boolean;
}

export interface PageSnapshot {
  readonly signIn: boolean;
  /** The error message an error page or error flash shows; null when none. */
  readonly error: string | null;
  readonly title: string;
  readonly heading: string;
  /** `<html data-controller>` and `data-id` (Coupa marks every page with them). */
  readonly controller: string;
  readonly dataId: string;
  /** The page has an attachments field or list, or a file link anywhere (the parts we read exist). */
  readonly hasAttachmentParts: boolean;
  /** Every attachment list present holds its items (or "None"): today's early-read condition. */
  readonly listsFilled: boolean;
  readonly supplier: string;
  /** Absolute URL of the PO's own requisition; `null` when the page links none. */
  readonly requisitionUrl: string | null;
  readonly attachments: readonly RawAttachment[];
  /** Attachment items that are not a file, a link or a note we know, described for a person. */
  readonly unknownItems: readonly string[];
  /** Visible loading signs inside the parts we read (spinners, `.loading`, `aria-busy`, skeletons). */
  readonly loading: readonly string[];
  /** Known client-side mounts that are still empty. */
  readonly mountsPending: readonly string[];
  readonly counts: PageCounts;
  readonly linePages: readonly LinePageLink[];
  readonly readyState: string;
  /** Milliseconds since the last change inside the parts we read (or since the page started). */
  readonly quietMs: number;
}

export interface ReadArgs {
  readonly signInSelector: string;
  readonly errorContainers: readonly string[];
  readonly flashError: string;
  readonly errorHeadingPattern: string;
  readonly errorMarkers: readonly string[];
  readonly fileLink: string;
  readonly fileWidget: string;
  readonly namedWidget: string;
  readonly widgetMark: string;
  readonly supplier: string;
  readonly requisitionLink: string;
  /** The PO page's body, and the comments inside it: see `page-reporter.ts` (reading before DOMContentLoaded). */
  readonly poBody: string;
  readonly comments: string;
  /** The parts whose changes, loading signs and mounts decide whether a page has settled. */
  readonly parts: string;
  readonly loadingSigns: string;
  readonly mounts: readonly string[];
  readonly lineTable: string;
  readonly linePageLinks: string;
}

/**
 * File items, whatever the theme: a link inside a file item, an attachment view link, a link with
 * a `download` attribute, a stored-file link. Click widgets (old themes, no href) are found by their
 * class, their aria-label, or a title that is a file name.
 */
export const FILE_LINK_SELECTOR = [
  'a[href*="/attachment/attachment_file/file/"]',
  'a[href*="/attachments/"][href*="/view/"]',
  'li.attachmentFile a[href]',
  '.s-attachmentFile a[href]',
  'a[download][href]',
].join(', ');
export const FILE_WIDGET_SELECTOR = 'span.attachment-file, span[aria-label*="file attachment" i], li.attachment span[title]';
/** Of the widgets, those known by their class or label; the others count only with a title that is a file name. */
export const NAMED_WIDGET_SELECTOR = 'span.attachment-file, span[aria-label*="file attachment" i]';
/** The mark put on each click widget so it can be found again to click it. */
export const WIDGET_MARK = 'data-coupa-dl-widget';
export const SUPPLIER_SELECTOR = 'span.supplier-name';
/** The PO's requisition: never the menu's link to the requisition list, nor one mentioned in a comment. */
export const REQUISITION_LINK_SELECTOR = 'a#order_header_requisition_header';
/** The comments app's mount point on current themes (its bundle loads after the page body). */
export const COMMENTS_MOUNT = '#s-mountCommentsApp';

export const READ_ARGS: ReadArgs = {
  signInSelector: SIGN_IN_FORM_SELECTOR,
  errorContainers: ERROR_CONTAINER_SELECTORS,
  flashError: FLASH_ERROR_SELECTOR,
  errorHeadingPattern: ERROR_HEADING_PATTERN,
  errorMarkers: ERROR_TEXT_MARKERS,
  fileLink: FILE_LINK_SELECTOR,
  fileWidget: FILE_WIDGET_SELECTOR,
  namedWidget: NAMED_WIDGET_SELECTOR,
  widgetMark: WIDGET_MARK,
  supplier: SUPPLIER_SELECTOR,
  requisitionLink: REQUISITION_LINK_SELECTOR,
  poBody: '#order_body',
  comments: 'section#comments',
  parts: ['div.attachments', 'ul.attachments-list', 'ul.attachments__list', '#order_line_table_section', 'table.order_lines', '#order_line_page_links', 'section#comments', COMMENTS_MOUNT].join(', '),
  loadingSigns: ['.spinner', '.loading', '[aria-busy="true"]', '.skeleton', '[class*="skeleton"]', '[class*="Skeleton"]', '.s-placeholder', '[class*="loading-"]', '[class*="Loading"]', '[role="progressbar"]'].join(', '),
  mounts: [COMMENTS_MOUNT],
  lineTable: '#order_line_table_section, table.order_lines',
  linePageLinks: '#order_line_page_links a[href], #order_line_table_section .pagination a[href]',
};

/** Runs in the page: what it shows right now. `changedAt` is the page-clock time of the last change in the parts. */
export function readPage(args: ReadArgs, changedAt: number): PageSnapshot {
  const squash = (text: string | null | undefined): string => (text ?? '').replace(/\s+/g, ' ').trim();
  // Typographic apostrophes and quotes as plain ones: markers are written with plain ones.
  const plain = (text: string): string => text.replace(/[\u2018\u2019\u02BC]/g, "'").replace(/[\u201C\u201D]/g, '"');
  const visible = (element: Element): boolean => {
    const box = element as HTMLElement & { checkVisibility?: (options?: object) => boolean };
    if (typeof box.checkVisibility === 'function') return box.checkVisibility({ visibilityProperty: true, opacityProperty: false });
    return box.getClientRects().length > 0;
  };
  const describe = (element: Element): string => {
    const classes = Array.from(element.classList).slice(0, 4).join('.');
    const text = squash(element.textContent).slice(0, 60);
    return `<${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}${classes ? `.${classes}` : ''}>${text ? ` "${text}"` : ''}`;
  };
  const numberIn = (text: string | null | undefined): number | null => {
    const match = /(\d[\d,.\s]*)/.exec(text ?? '');
    if (match === null) return null;
    const value = Number((match[1] ?? '').replace(/[,.\s]/g, ''));
    return Number.isFinite(value) ? value : null;
  };
  const root = document.documentElement;
  const title = squash(document.title);
  const heading = squash(document.querySelector('h1#pageHeader, h1')?.textContent);
  const base = {
    title,
    heading,
    controller: root?.getAttribute('data-controller') ?? '',
    dataId: root?.getAttribute('data-id') ?? '',
    readyState: document.readyState,
    quietMs: Math.max(0, Math.round(performance.now() - changedAt)),
  };
  const empty = {
    ...base,
    error: null,
    signIn: false,
    hasAttachmentParts: false,
    listsFilled: false,
    supplier: '',
    requisitionUrl: null,
    attachments: [],
    unknownItems: [],
    loading: [],
    mountsPending: [],
    counts: { comments: null, commentsShown: 0, viewAttachments: null, commentFiles: 0 },
    linePages: [],
  };
  if (document.querySelector(args.signInSelector) !== null) return { ...empty, signIn: true };

  // Error pages and error flashes: containers anywhere, the flash container when it shows, a heading.
  const flash = document.querySelector<HTMLElement>(args.flashError);
  const flashText = flash !== null && visible(flash) ? squash(flash.innerText) : '';
  if (flashText !== '') return { ...empty, error: plain(flashText) };
  for (const selector of args.errorContainers) {
    // innerText, not textContent: it keeps the line breaks between a heading and its paragraph.
    const text = document.querySelector<HTMLElement>(selector)?.innerText.trim() ?? '';
    if (text !== '') return { ...empty, error: plain(text) };
  }
  const errorHeading = new RegExp(args.errorHeadingPattern, 'i');
  for (const h1 of Array.from(document.querySelectorAll('h1'))) {
    const text = squash(h1.textContent);
    if (errorHeading.test(plain(text))) return { ...empty, error: plain(text) };
  }
  const body = document.body;
  if (body === null) return empty;
  // Comments are people's words: "access denied" in a comment does not make the PO an error page.
  const commentsSection = document.querySelector<HTMLElement>(args.comments);
  const bodyText = plain(body.innerText.replace(commentsSection?.innerText ?? '\u0000', '')).toLowerCase();
  for (const marker of args.errorMarkers) if (bodyText.includes(plain(marker).toLowerCase())) return { ...empty, error: marker };

  const parts = Array.from(document.querySelectorAll(args.parts));
  const lists = Array.from(document.querySelectorAll('ul.attachments-list, ul.attachments__list'));
  const fields = Array.from(document.querySelectorAll('div.attachments'));
  // An empty list is "not yet" (script fills it later); "None" is an item, so it counts as filled.
  const listsFilled = (lists.length > 0 || fields.length > 0) && lists.every((list) => list.querySelector('li') !== null) && fields.every((field) => squash(field.textContent) !== '');

  const supplier = squash(document.querySelector(args.supplier)?.textContent);
  const link = document.querySelector<HTMLAnchorElement>(args.requisitionLink);
  // Only a link to one requisition (`/requisition_headers/<id>`) is the PO's requisition.
  const requisitionUrl = link !== null && /\/requisition_headers\/[^/?#]+/.test(link.getAttribute('href') ?? '') ? link.href : null;

  const placeOf = (element: Element): AttachmentPlace => {
    if (element.closest(`${args.comments}, li.comment, .commentAttachments`) !== null) return 'comment';
    if (element.closest(`${args.lineTable}, tr.coupa_datatable_row, tr.order_line`) !== null) return 'line';
    if (element.closest('div.attachments, ul.attachments-list') !== null) return 'header';
    return 'other';
  };
  const labelOf = (element: Element): string => element.getAttribute('title')?.trim() || squash(element.textContent);
  const attachments: RawAttachment[] = [];
  const unknownItems: string[] = [];
  const handled = new Set<Element>();
  // Marks stay on their widget when the page is read again; new widgets get the next numbers.
  let widgetCount = 0;
  for (const marked of Array.from(document.querySelectorAll(`[${args.widgetMark}]`))) widgetCount = Math.max(widgetCount, Number(marked.getAttribute(args.widgetMark)) || 0);
  let commentFiles = 0;
  // A span whose title is a file name is a widget; one whose title is a size or a date is not.
  const isWidget = (element: Element): boolean =>
    element.matches(args.namedWidget) || (element.matches(args.fileWidget) && /^[^/\\<>:"|?*]+\.[a-z][a-z0-9]{0,7}$/i.test(element.getAttribute('title')?.trim() ?? ''));
  const items = Array.from(document.querySelectorAll(`${args.fileLink}, ${args.fileWidget}, li.attachment`));
  for (const element of items) {
    if (element.matches(args.fileLink)) {
      const item = element.closest('li.attachment') ?? element;
      if (handled.has(item) && item !== element) continue;
      handled.add(item);
      const place = placeOf(element);
      if (place === 'comment') commentFiles += 1;
      attachments.push({ kind: 'file', url: (element as HTMLAnchorElement).href, label: labelOf(element), text: '', widget: null, place });
    } else if (element.matches(args.fileWidget)) {
      if (!isWidget(element)) continue;
      const item = element.closest('li.attachment') ?? element;
      // A widget nested in another widget (span in span) is the same attachment.
      if (handled.has(item) || element.parentElement?.closest(args.fileWidget)) continue;
      handled.add(item);
      let mark = Number(element.getAttribute(args.widgetMark));
      if (!(mark > 0)) {
        widgetCount += 1;
        mark = widgetCount;
        element.setAttribute(args.widgetMark, String(mark));
      }
      const place = placeOf(element);
      if (place === 'comment') commentFiles += 1;
      attachments.push({ kind: 'file', url: '', label: labelOf(element), text: '', widget: mark, place });
    } else if (!handled.has(element) && element.matches('li.attachment') && element.querySelector(args.fileLink) === null && !Array.from(element.querySelectorAll(args.fileWidget)).some(isWidget)) {
      handled.add(element);
      const kindHint = `${element.className} ${element.getAttribute('aria-label') ?? ''}`.toLowerCase();
      const anchor = element.querySelector<HTMLAnchorElement>('a[href]');
      const holder = element.querySelector<HTMLElement>('.attachment_text') ?? (element as HTMLElement);
      const text = holder.innerText.trim();
      // A placeholder waiting for its content is a loading sign, not an item.
      if (element.matches(args.loadingSigns) || element.querySelector(args.loadingSigns) !== null) continue;
      if (/\burl\b|attachmenturl|link/.test(kindHint) && anchor !== null) {
        attachments.push({ kind: 'url', url: anchor.href, label: labelOf(anchor), text: '', widget: null, place: placeOf(element) });
      } else if (/\btext\b|attachmenttext|note/.test(kindHint) && text !== '') {
        // The note itself, without the "Supplier"/"Internal" mark beside it.
        attachments.push({ kind: 'text', url: '', label: text, text, widget: null, place: placeOf(element) });
      } else if (element.closest('ul.attachments-list, ul.attachments__list') !== null && /^none$/i.test(squash(element.textContent))) {
        // The empty list's "None".
      } else {
        // Never dropped: an item we cannot classify makes the PO ask for a look.
        unknownItems.push(describe(element));
      }
    }
  }

  const loading: string[] = [];
  for (const part of parts) {
    for (const sign of [part, ...Array.from(part.querySelectorAll(args.loadingSigns))]) {
      if (sign.matches(args.loadingSigns) && visible(sign)) loading.push(describe(sign));
    }
  }
  const mountsPending = args.mounts.filter((selector) => {
    const mount = document.querySelector(selector);
    return mount !== null && mount.childElementCount === 0;
  });

  const navCount = numberIn(document.querySelector('span.comments_count')?.textContent);
  const appCount = numberIn(document.querySelector('span.s-numComments')?.textContent);
  const viewButton = document.querySelector('button.s-viewFileAttachment');
  const counts: PageCounts = {
    comments: navCount === null && appCount === null ? null : Math.max(navCount ?? 0, appCount ?? 0),
    commentsShown: commentsSection === null ? 0 : commentsSection.querySelectorAll('li.comment').length,
    viewAttachments: viewButton === null ? null : numberIn(/\((\d[^)]*)\)/.exec(viewButton.textContent ?? '')?.[1] ?? viewButton.textContent),
    commentFiles,
  };
  const linePages: LinePageLink[] = Array.from(document.querySelectorAll<HTMLAnchorElement>(args.linePageLinks))
    .filter((anchor) => !anchor.matches('.s-rowsPerPage, .order_line_wait, .refresh_data_table, [style*="display:none"], [style*="display: none"]') && anchor.closest('.per_page_links') === null)
    .map((anchor) => ({
      text: squash(anchor.textContent) || squash(anchor.getAttribute('aria-label')) || squash(anchor.getAttribute('title')),
      href: anchor.href,
      current: anchor.getAttribute('aria-current') !== null || /\b(current|active|selected)\b/.test(anchor.className) || anchor.getAttribute('aria-pressed') === 'true',
    }));

  return {
    ...base,
    signIn: false,
    error: null,
    hasAttachmentParts: lists.length > 0 || fields.length > 0 || items.length > 0,
    listsFilled,
    supplier,
    requisitionUrl,
    attachments,
    unknownItems,
    loading: [...new Set(loading)],
    mountsPending,
    counts,
    linePages,
  };
}
