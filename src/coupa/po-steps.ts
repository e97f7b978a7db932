import type { PoStatus } from '../domain/status.ts';
import { attachmentsFrom, type FoundAttachment } from './attachment-list.ts';
import type { PageView } from './coupa-page.ts';
import { lastUrlSegment } from './download-name.ts';
import { errorPageMessage, errorPageStatus } from './error-page.ts';
import type { DownloadResult } from './po-downloads.ts';
import { downloadMessage, downloadStatus, isPdfName } from './po-result.ts';

/**
 * What to do next with a PO: a pure function of what was read and downloaded so far. The effects
 * (pages, downloads, folders) are applied in one place, `process-po.ts`, which asks again after
 * each one. The order it gives: read the PO page; queue every attachment it shows; conclude the
 * PO page; read the requisition when the PO has no PDF; queue its attachments; wait for the
 * downloads; end with a status.
 */

/** One page as read: what it showed, and whether that is final. */
export interface PageSeen {
  readonly view: PageView;
  /** The page's address when it was read (URL and Text notes name it as their source). */
  readonly url: string;
  /** Nothing more will come into the parts we read. */
  readonly concluded: boolean;
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
  | { readonly step: 'conclude-po' }
  | { readonly step: 'read-requisition'; readonly url: string }
  | { readonly step: 'conclude-requisition' }
  | { readonly step: 'finish-downloads' }
  | { readonly step: 'end'; readonly verdict: Verdict };

export interface KeyedAttachment {
  readonly key: string;
  readonly attachment: FoundAttachment;
}

export function nextStep(facts: PoFacts, poUrl: string): NextStep {
  const { po, requisition } = facts;
  if (po === null) return { step: 'read-po' };
  if (po.view.kind === 'error') {
    return { step: 'end', verdict: { status: errorPageStatus(po.view.text), message: errorPageMessage(po.view.text), supplier: '', coupaUrl: poUrl, found: 0 } };
  }
  const onPo = keyed(attachmentsFrom(po.view.attachments, 'po'));
  const newOnPo = onPo.filter(({ key }) => !facts.queued.has(key));
  if (newOnPo.length > 0) return { step: 'download', from: 'po', attachments: newOnPo };
  if (!po.concluded) return { step: 'conclude-po' };

  const requisitionUrl = needsRequisition(onPo.map(({ attachment }) => attachment)) ? po.view.requisitionUrl : null;
  if (requisitionUrl !== null) {
    if (requisition === null) return { step: 'read-requisition', url: requisitionUrl };
    if (requisition.view.kind === 'ready') {
      const newOnRequisition = keyed(attachmentsFrom(requisition.view.attachments, 'requisition')).filter(({ key }) => !facts.queued.has(key));
      if (newOnRequisition.length > 0) return { step: 'download', from: 'requisition', attachments: newOnRequisition };
      if (!requisition.concluded) return { step: 'conclude-requisition' };
    }
  }
  if (facts.downloads === null) return { step: 'finish-downloads' };
  return { step: 'end', verdict: verdictOf(facts, poUrl, requisitionUrl) };
}

function verdictOf(facts: PoFacts, poUrl: string, requisitionUrl: string | null): Verdict {
  const { po, requisition, downloads } = facts;
  const supplier = po?.view.kind === 'ready' ? po.view.supplier : '';
  const requisitionError = requisitionUrl !== null && requisition?.view.kind === 'error' ? `${requisitionUrl}: ${errorPageMessage(requisition.view.text)}` : null;
  const fromRequisition = requisitionUrl !== null && requisition?.view.kind === 'ready' && requisition.view.attachments.some((attachment) => attachment.kind === 'file');
  const tally = { found: facts.queued.size, downloaded: downloads?.saved.length ?? 0, failures: downloads?.failures ?? [], requisitionError };
  return {
    status: downloadStatus(tally),
    message: downloadMessage(tally),
    supplier,
    coupaUrl: fromRequisition && requisitionUrl !== null ? requisitionUrl : poUrl,
    found: tally.found,
  };
}

/** The requisition is read when the PO has no file attachment that is a PDF. */
export function needsRequisition(attachments: readonly FoundAttachment[]): boolean {
  return !attachments.some((attachment) => attachment.kind === 'file' && (isPdfName(attachment.label) || isPdfName(lastUrlSegment(attachment.url))));
}

/**
 * Each attachment with a key that stays the same when its page is read again: a linked file or
 * URL by its address (so one file linked twice, or from the PO and its requisition, is fetched
 * once), a click widget by its mark on its page, a note by its text and how many times that text
 * came before it on the page.
 */
export function keyed(attachments: readonly FoundAttachment[]): KeyedAttachment[] {
  const seenTexts = new Map<string, number>();
  const keys = new Set<string>();
  const result: KeyedAttachment[] = [];
  for (const attachment of attachments) {
    let key: string;
    if (attachment.widget !== null) key = `widget ${attachment.origin} ${attachment.widget}`;
    else if (attachment.kind === 'text') {
      const count = (seenTexts.get(attachment.text) ?? 0) + 1;
      seenTexts.set(attachment.text, count);
      key = `text ${attachment.origin} ${count} ${attachment.text}`;
    } else key = `${attachment.kind} ${attachment.url}`;
    if (keys.has(key)) continue;
    keys.add(key);
    result.push({ key, attachment });
  }
  return result;
}
