import type { PoKind } from './catalogue-mix.ts';

/** Where on a page an attachment is shown. */
export type AttachmentWhere = 'header' | 'line' | 'comment';

/** How a file attachment is offered: a link with an href, or an old-theme span you must click. */
export type AttachmentWidget = 'link' | 'click';

/** Coupa marks each attachment as the supplier's or internal. */
export type AttachmentIntent = 'supplier' | 'internal';

export interface SimFile {
  readonly kind: 'file';
  readonly attId: string;
  readonly name: string;
  readonly intent: AttachmentIntent;
  /** The size the generator aims for; PDFs hit it exactly, other formats come close. */
  readonly targetSizeBytes: number;
  /** The page that shows the file, where `/attachments/<id>` redirects. */
  readonly pagePath: string;
}

export interface SimUrl {
  readonly kind: 'url';
  readonly attId: string;
  readonly url: string;
  readonly intent: AttachmentIntent;
}

export interface SimText {
  readonly kind: 'text';
  readonly attId: string;
  readonly text: string;
  readonly intent: AttachmentIntent;
}

export type SimAttachment = SimFile | SimUrl | SimText;

/** One appearance of an attachment on a page (a file linked twice has two placements). */
export interface Placement {
  readonly attachment: SimAttachment;
  readonly where: AttachmentWhere;
  readonly widget: AttachmentWidget;
  /** 1-based order line or comment number; 0 for the header; LAST_LINE in a recipe until the catalogue knows the line count. */
  readonly slot: number;
}

/** A recipe's slot for "the PO's last order line", resolved by the catalogue once it has drawn the line count. */
export const LAST_LINE = -1;

export type PageState = 'ok' | 'notFound' | 'accessDenied';

export interface SimPo {
  readonly id: string;
  readonly poNumber: string;
  readonly kind: PoKind;
  readonly supplier: string;
  readonly supplierTitle: string;
  readonly page: PageState;
  /** Which of the reference's error markers the error page uses. */
  readonly errorVariant: number;
  readonly requisitionId: string | null;
  readonly theme: 'current' | 'old';
  /** Delay before script inserts the attachment lists; null when they are in the HTML. */
  readonly lateMs: number | null;
  readonly notice: boolean;
  readonly lineCount: number;
  /** Comments without attachments, besides the ones that carry files and the decoy-requisition comment. */
  readonly plainComments: number;
  readonly placements: readonly Placement[];
}

export interface SimRequisition {
  readonly id: string;
  readonly poId: string | null;
  readonly page: PageState;
  readonly errorVariant: number;
  readonly placements: readonly Placement[];
}

export interface Catalogue {
  readonly seed: number;
  readonly firstPoId: number;
  /** An id past the catalogue: its PO page is the not-found page. */
  readonly unknownPoId: string;
  /** A requisition that belongs to no PO, linked from comments as a trap. */
  readonly decoyRequisitionId: string;
  readonly pos: readonly SimPo[];
  readonly poById: ReadonlyMap<string, SimPo>;
  readonly requisitions: ReadonlyMap<string, SimRequisition>;
  readonly files: ReadonlyMap<string, SimFile>;
}

/** PO ids start here: the first PO is `/order_headers/100001`. */
export const FIRST_PO_ID = 100001;
/** Requisition ids are `FIRST_REQUISITION_ID + PO index`. */
export const FIRST_REQUISITION_ID = 700001;
export const DECOY_REQUISITION_ID = '699999';
/** Attachment ids are handed out in catalogue order from here. */
export const FIRST_ATTACHMENT_ID = 900001;
