import { errorPageMessage, errorPageStatus, type ErrorPageStatus } from './error-page.ts';
import type { LinePageLink, PageSnapshot, RawAttachment } from './page-read.ts';

/**
 * Pure: what a reading of a page means for the PO — an error page (with its status), or a page to
 * take attachments from, with every reason it may need a person's look. Never a conclusion from
 * absence on a page that may still be changing: a page that shows no attachments field is judged
 * only once it has settled (`settled`), and then by what it shows, not by what it lacks.
 */

export type PageView =
  | { readonly kind: 'error'; readonly status: ErrorPageStatus; readonly message: string }
  | {
      readonly kind: 'ready';
      /** `''` when the page shows none. */
      readonly supplier: string;
      readonly requisitionUrl: string | null;
      readonly attachments: readonly RawAttachment[];
      /** The lines table's page links as this reading shows them. */
      readonly linePages: readonly LinePageLink[];
      /** Why a person should look at this page (empty when the reading is certain). */
      readonly review: readonly string[];
    };

export interface ExpectedPage {
  readonly kind: 'po' | 'requisition';
  /** The PO's id (`/order_headers/<id>`) or the requisition's. */
  readonly id: string;
  /** The HTTP status of the page's document (200 when unknown). */
  readonly httpStatus: number;
  /** The user's own markers for access-denied pages in their language. */
  readonly accessDeniedMarkers: readonly string[];
}

/** Reasons left at the settling deadline that make the reading uncertain (page-settle.ts). */
export interface SettleOutcome {
  readonly settled: boolean;
  readonly unsettled: readonly string[];
}

/**
 * `settle` is null for a first, provisional reading (it only starts downloads early): then only a
 * definite error page ends the PO, and nothing is judged by what the page does not show yet.
 */
export function viewOf(read: PageSnapshot, expected: ExpectedPage, settle: SettleOutcome | null): PageView {
  const what = expected.kind === 'po' ? `PO ${expected.id}` : `requisition ${expected.id}`;
  if (expected.httpStatus === 404 || expected.httpStatus === 410) {
    return error('PO_NOT_FOUND', `Coupa answered HTTP ${expected.httpStatus} (${expected.httpStatus === 404 ? 'not found' : 'gone'}) for ${what}${shown(read)}`);
  }
  if (read.error !== null) return error(errorPageStatus(read.error, expected.accessDeniedMarkers), errorPageMessage(read.error));
  if (settle === null) return { kind: 'ready', supplier: read.supplier, requisitionUrl: read.requisitionUrl, attachments: read.attachments, linePages: read.linePages, review: [] };
  const names = namesPage(read, expected);
  const review: string[] = [];
  if (!read.hasAttachmentParts) {
    if (!names) {
      // A whole page that is not this PO, shows no attachments field and nothing loading: not this PO.
      const words = `${read.title} ${read.heading}`;
      return error(errorPageStatus(words, expected.accessDeniedMarkers), `Coupa showed a page that is not ${what}${shown(read)}`);
    }
    review.push(`the page names ${what} but shows no attachments field this tool knows (a new page layout?)`);
  } else if (!names) {
    review.push(`the page does not name ${what}${shown(read)}`);
  }
  if (!settle.settled) review.push(...settle.unsettled.map((reason) => `when the page's time to settle ran out, ${reason}`));
  for (const item of read.unknownItems) review.push(`an attachment item this tool cannot classify: ${item}`);
  review.push(...countMismatches(read));
  return { kind: 'ready', supplier: read.supplier, requisitionUrl: read.requisitionUrl, attachments: read.attachments, linePages: read.linePages, review };
}

/**
 * The page's own counts against what was read. "View Attachments (n)" may count the comments'
 * files or every file of the PO (we do not know which): it is a mismatch only when n is more than
 * what was read under either meaning, that is more than every file on the page.
 */
export function countMismatches(read: PageSnapshot): string[] {
  const { counts } = read;
  const problems: string[] = [];
  if (counts.comments !== null && counts.comments > counts.commentsShown) {
    problems.push(`the page counts ${counts.comments} comment${counts.comments === 1 ? '' : 's'} but ${counts.commentsShown} ${counts.commentsShown === 1 ? 'was' : 'were'} read`);
  }
  const files = read.attachments.filter((attachment) => attachment.kind === 'file').length;
  if (counts.viewAttachments !== null && counts.viewAttachments > Math.max(files, counts.commentFiles)) {
    problems.push(`the page says "View Attachments (${counts.viewAttachments})" but ${files} file${files === 1 ? ' was' : 's were'} read (${counts.commentFiles} in comments)`);
  }
  return problems;
}

/** Whether the page is the one asked for: its title or heading names the id, or Coupa's marks on `<html>` do. */
export function namesPage(read: Pick<PageSnapshot, 'title' | 'heading' | 'controller' | 'dataId'>, expected: Pick<ExpectedPage, 'kind' | 'id'>): boolean {
  const controller = expected.kind === 'po' ? 'order_headers' : 'requisition_headers';
  if (read.controller === controller && read.dataId === expected.id) return true;
  const id = new RegExp(`(^|[^0-9])${expected.id.replace(/[^0-9A-Za-z]/g, '')}([^0-9]|$)`);
  return id.test(read.title) || id.test(read.heading);
}

function error(status: ErrorPageStatus, message: string): PageView {
  return { kind: 'error', status, message: errorPageMessage(message) };
}

/** What a page showed, for a message: its title, heading and where it was. */
function shown(read: Pick<PageSnapshot, 'title' | 'heading'>): string {
  const parts = [read.title !== '' ? `title "${read.title}"` : '', read.heading !== '' && read.heading !== read.title ? `heading "${read.heading}"` : ''].filter(Boolean);
  return parts.length === 0 ? ' (the page had no title or heading)' : ` (${parts.join(', ')})`;
}
