import type { PoStatus } from '../domain/status.ts';
import { attachmentsFrom, type FoundAttachment } from './attachment-list.ts';
import { lastUrlSegment } from './download-name.ts';
import type { LinePageLink, RawAttachment } from './page-read.ts';
import type { PageView } from './page-view.ts';
import type { DownloadResult } from './po-downloads.ts';
import { downloadMessage, downloadStatus, isPdfName } from './po-result.ts';

/**
 * What to do next with a PO: a pure function of what was read and downloaded so far. The effects
 * (pages, downloads, folders) are applied in one place, `process-po.ts`, which asks again after
 * each one. Start early, conclude late: the PO page's first reading queues its attachments at once;
 * the page is then settled, its other pages of lines read, and everything that turns up on the way
 * queued too; only then is the requisition considered (when the PO has no PDF), and only when every
 * page read has settled and every download ended does the PO get its status.
 */

/** One page as read so far. */
export interface PageSeen {
  /** What the latest reading means (page-view.ts). */
  readonly view: PageView;
  /** The page's address when it was read (URL and Text notes name it as their source). */
  readonly url: string;
  /** Every attachment any reading of this page showed (earlier pages of lines included). */
  readonly attachments: readonly RawAttachment[];
  /** The latest reading was taken once the page had settled (or at its deadline). */
  readonly settled: boolean;
  /** The pages of the lines table already shown (their link texts). */
  readonly linePagesSeen: readonly string[];
  /** Why a person should look at this page, gathered over all its readings. */
  readonly review: readonly string[];
}

export interface PoFacts {
  readonly po: PageSeen | null;
  readonly requisition: PageSeen | null;
  /** `attachmentKey`s of every attachment handed to the downloads. */
  readonly queued: ReadonlySet<string>;
  /** The downloads once all of them ended; null before. */
  readonly downloads: DownloadResult | null;
}

export const START: PoFacts = { po: null, requisition: null, queued: new Set(), downloads: null };

/** How a PO ends, before its folder is filed. */
export interface Verdict {
  readonly status: PoStatus;
  readonly message: string;
  readonly supplier: string;
  /** The page the files came from: the requisition's when it gave files, else the PO's. */
  readonly coupaUrl: string;
  readonly found: number;
}

export type NextStep =
  | { readonly step: 'read-po' }
  | { readonly step: 'download'; readonly from: 'po' | 'requisition'; readonly attachments: readonly KeyedAttachment[] }
  | { readonly step: 'settle'; readonly which: 'po' | 'requisition' }
  | { readonly step: 'next-line-page'; readonly which: 'po' | 'requisition'; readonly link: LinePageLink }
  | { readonly step: 'read-requisition'; readonly url: string }
  | { readonly step: 'finish-downloads' }
  | { readonly step: 'end'; readonly verdict: Verdict };

export interface KeyedAttachment {
  readonly key: string;
  readonly attachment: FoundAttachment;
}

export function nextStep(facts: PoFacts, poUrl: string): NextStep {
  const { po, requisition } = facts;
  if (po === null) return { step: 'read-po' };
  const onPage = (which: 'po' | 'requisition', seen: PageSeen): NextStep | null => {
    const fresh = keyed(attachmentsFrom(seen.attachments, which)).filter(({ key }) => !facts.queued.has(key));
    if (fresh.length > 0) return { step: 'download', from: which, attachments: fresh };
    if (seen.view.kind === 'error') return null;
    if (!seen.settled) return { step: 'settle', which };
    const link = nextLinePage(seen.view.linePages, seen.linePagesSeen);
    return link === null ? null : { step: 'next-line-page', which, link };
  };
  const onPo = onPage('po', po);
  if (onPo !== null) return onPo;

  const poFiles = attachmentsFrom(po.attachments, 'po');
  const requisitionUrl = po.view.kind === 'ready' && needsRequisition(poFiles) ? po.view.requisitionUrl : null;
  if (requisitionUrl !== null) {
    if (requisition === null) return { step: 'read-requisition', url: requisitionUrl };
    const onRequisition = onPage('requisition', requisition);
    if (onRequisition !== null) return onRequisition;
  }
  if (facts.downloads === null && facts.queued.size > 0) return { step: 'finish-downloads' };
  return { step: 'end', verdict: verdictOf(facts, poUrl, requisitionUrl) };
}

function verdictOf(facts: PoFacts, poUrl: string, requisitionUrl: string | null): Verdict {
  const { po, requisition, downloads } = facts;
  if (po?.view.kind === 'error') return { status: po.view.status, message: po.view.message, supplier: '', coupaUrl: poUrl, found: 0 };
  const supplier = po?.view.kind === 'ready' ? po.view.supplier : '';
  const requisitionError = requisitionUrl !== null && requisition?.view.kind === 'error' ? `${requisitionUrl}: ${requisition.view.message}` : null;
  const fromRequisition = requisitionUrl !== null && requisition?.view.kind === 'ready' && requisition.attachments.some((attachment) => attachment.kind === 'file');
  const tally = { found: facts.queued.size, downloaded: downloads?.saved.length ?? 0, failures: downloads?.failures ?? [], requisitionError };
  const review = [...(po?.review ?? []), ...(requisitionUrl === null ? [] : (requisition?.review ?? []).map((reason) => `requisition: ${reason}`))];
  const message = downloadMessage(tally);
  return {
    // A reading we are not sure of is never COMPLETED nor NO_ATTACHMENTS: a person looks at the saved page.
    status: review.length > 0 ? 'NEEDS_REVIEW' : downloadStatus(tally),
    message: review.length > 0 ? reviewMessage(review, tally.downloaded, tally.found, message) : message,
    supplier,
    coupaUrl: fromRequisition && requisitionUrl !== null ? requisitionUrl : poUrl,
    found: tally.found,
  };
}

function reviewMessage(review: readonly string[], downloaded: number, found: number, downloads: string): string {
  const files = `${downloaded} of ${found} attachment${found === 1 ? '' : 's'} found were downloaded`;
  return `The page needs a look: ${[...new Set(review)].join('; ')}. ${files}${downloads === '' ? '' : `; ${downloads}`}.`;
}

/** The requisition is read when the PO has no file attachment that is a PDF. */
export function needsRequisition(attachments: readonly FoundAttachment[]): boolean {
  return !attachments.some((attachment) => attachment.kind === 'file' && (isPdfName(attachment.label) || isPdfName(lastUrlSegment(attachment.url))));
}

const NEXT_WORDS = /^(next|weiter|suivant|siguiente|pr[oó]xim[ao]|volgende|successiv[ao]|›|»|>|→)/i;

/**
 * The next page of the lines table to show, whatever the links' markup: the lowest page number not
 * shown yet, else — when the links hold no page numbers at all — a "next" link (each one followed
 * is counted, up to a bound no real PO reaches), else none. The page first shown is the one marked
 * current, or page 1.
 */
export function nextLinePage(links: readonly LinePageLink[], seen: readonly string[]): LinePageLink | null {
  const shown = new Set(seen);
  for (const link of links) if (link.current) shown.add(link.text);
  if (seen.length === 0 && !links.some((link) => link.current)) shown.add('1');
  const numbers = links.filter((link) => /^\d+$/.test(link.text));
  const unseen = numbers.filter((link) => !shown.has(link.text)).sort((a, b) => Number(a.text) - Number(b.text));
  if (unseen[0] !== undefined) return unseen[0];
  if (numbers.length > 0) return null;
  const next = links.find((link) => NEXT_WORDS.test(link.text));
  const followed = seen.filter((text) => text.startsWith('next ')).length;
  return next !== undefined && followed < 1_000 ? { ...next, text: `next ${followed + 1}` } : null;
}

/** `before` plus what `after` shows that it did not (by key, in order): readings of one page add up. */
export function mergeAttachments(before: readonly RawAttachment[], after: readonly RawAttachment[], origin: 'po' | 'requisition'): RawAttachment[] {
  const known = new Set(attachmentKeys(attachmentsFrom(before, origin)));
  const keys = attachmentKeys(attachmentsFrom(after, origin));
  return [...before, ...after.filter((_, index) => {
    const key = keys[index] ?? '';
    if (known.has(key)) return false;
    known.add(key);
    return true;
  })];
}

/**
 * Each attachment with a key that stays the same when its page is read again: a linked file or
 * URL by its address (so one file linked twice, or from the PO and its requisition, is fetched
 * once), a click widget by its mark on its page, a note by its text and how many times that text
 * came before it on the page.
 */
export function keyed(attachments: readonly FoundAttachment[]): KeyedAttachment[] {
  const keys = attachmentKeys(attachments);
  const taken = new Set<string>();
  const result: KeyedAttachment[] = [];
  attachments.forEach((attachment, index) => {
    const key = keys[index] ?? '';
    if (taken.has(key)) return;
    taken.add(key);
    result.push({ key, attachment });
  });
  return result;
}

/** One key per attachment, in order (a file linked twice gets its key twice). */
function attachmentKeys(attachments: readonly FoundAttachment[]): string[] {
  const seenTexts = new Map<string, number>();
  return attachments.map((attachment) => {
    if (attachment.widget !== null) return `widget ${attachment.origin} ${attachment.widget}`;
    if (attachment.kind === 'text') {
      const count = (seenTexts.get(attachment.text) ?? 0) + 1;
      seenTexts.set(attachment.text, count);
      return `text ${attachment.origin} ${count} ${attachment.text}`;
    }
    return `${attachment.kind} ${attachment.url}`;
  });
}
