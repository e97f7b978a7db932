import type { PoKind } from './catalogue-mix.ts';
import type { AttachmentIntent, AttachmentWhere, AttachmentWidget, Catalogue, Placement, SimFile, SimPo } from './catalogue-model.ts';
import { attachmentPath } from './content-disposition.ts';
import { fileFormatOf } from './file-content.ts';
import type { FileStore } from './file-store.ts';
import { pageCount } from './line-table.ts';
import { listsDelayMs, type DelayRange, type PageStyle } from './page-style.ts';
import { commentFileCount, commentsOf } from './po-comments.ts';
import type { MailTruth } from './mail-truth.ts';

export type AttachmentOriginTruth = 'po' | 'requisition';

interface AttachmentTruthBase {
  readonly attId: string;
  readonly where: AttachmentWhere;
  readonly widget: AttachmentWidget;
  readonly origin: AttachmentOriginTruth;
  readonly intent: AttachmentIntent;
  /** The order line (where `line`) or comment number (where `comment`); 0 in a header. */
  readonly slot: number;
}

export interface FileAttachmentTruth extends AttachmentTruthBase {
  readonly kind: 'file';
  /** The name as served (link text, `title`, Content-Disposition). */
  readonly name: string;
  /** Path of the file on the simulator; join with `Simulator.url`. */
  readonly path: string;
  /** Computed on first read (the bytes are generated once for it), then cached. */
  readonly sha256: string;
  readonly sizeBytes: number;
  /** For a `.msg` or `.eml`: what a correct conversion to PDF holds (made when read); null for other files. */
  readonly mail: MailTruth | null;
}

export interface UrlAttachmentTruth extends AttachmentTruthBase {
  readonly kind: 'url';
  readonly url: string;
}

export interface TextAttachmentTruth extends AttachmentTruthBase {
  readonly kind: 'text';
  readonly text: string;
}

export type AttachmentTruth = FileAttachmentTruth | UrlAttachmentTruth | TextAttachmentTruth;

export interface ExpectedFile {
  readonly attId: string;
  readonly origin: AttachmentOriginTruth;
  readonly name: string;
  readonly path: string;
  readonly sha256: string;
  readonly sizeBytes: number;
  readonly mail: MailTruth | null;
}

export type ExpectedStatus = 'COMPLETED' | 'NO_ATTACHMENTS' | 'PO_NOT_FOUND' | 'ACCESS_DENIED' | 'PR_NOT_ACCESSIBLE';

export interface PoTruth {
  readonly id: string;
  readonly poNumber: string;
  readonly kind: PoKind;
  readonly supplier: string;
  readonly requisitionId: string | null;
  readonly theme: 'current' | 'old';
  /** How long the server holds the page script's request for the attachment lists (sent at DOMContentLoaded); null when they are in the HTML. */
  readonly lateMs: number | null;
  /** How late the page style brings the PO page's lists (lateScript, xhrAfterLoad, placeholder); null when they are in the HTML or the PO is `late`. */
  readonly listsDelayMs: number | null;
  /** Comments the PO page shows (the nav's "Comments (n)" and `span.s-numComments`); 0 on error pages. */
  readonly commentCount: number;
  /** File attachments in those comments, each appearance counted (the app's "View Attachments (n)"). */
  readonly commentFileCount: number;
  /** Order lines of the PO (0 on error pages). */
  readonly lineCount: number;
  /** Pages of the lines table at the simulator's starting "Per page" preference (1 on error pages). */
  readonly pagesOfLines: number;
  /** Every appearance on the PO page and (origin `requisition`) on its requisition page. */
  readonly attachments: readonly AttachmentTruth[];
  /** Whether a correct run opens the requisition (no PDF among the PO's files, and a requisition link). */
  readonly opensRequisition: boolean;
  readonly expectedStatus: ExpectedStatus;
  /** Distinct files a correct run saves (a file linked twice counts once). */
  readonly expectedFiles: readonly ExpectedFile[];
  /** Distinct File, URL and Text attachments on the pages a correct run reads. */
  readonly expectedAttachmentsFound: number;
  readonly expectedCoupaUrlPath: string;
}

export interface CatalogueTruth {
  readonly seed: number;
  readonly firstPoId: string;
  readonly lastPoId: string;
  /** An id outside the catalogue (its page is the not-found page). */
  readonly unknownPoId: string;
  /** The requisition linked from comments as a trap; no PO's files come from it. */
  readonly decoyRequisitionId: string;
  readonly pos: readonly PoTruth[];
}

/** What the truth's page-dependent counts depend on: the simulator's page style and starting preference. */
export interface TruthView {
  readonly pageStyle: PageStyle;
  readonly linesPerPage: number;
  readonly listsDelayMs: DelayRange;
}

const DEFAULT_VIEW: TruthView = { pageStyle: 'realistic', linesPerPage: 15, listsDelayMs: { min: 100, max: 800 } };

export function buildTruth(catalogue: Catalogue, store: FileStore, view: TruthView = DEFAULT_VIEW): CatalogueTruth {
  const last = catalogue.pos[catalogue.pos.length - 1];
  return {
    seed: catalogue.seed,
    firstPoId: String(catalogue.firstPoId),
    lastPoId: last?.id ?? String(catalogue.firstPoId),
    unknownPoId: catalogue.unknownPoId,
    decoyRequisitionId: catalogue.decoyRequisitionId,
    pos: catalogue.pos.map((po) => poTruth(po, catalogue, store, view)),
  };
}

/** The truth for a PO by id (`100042`) or PO number (`PO100042`, `pm100042`). */
export function truthFor(truth: CatalogueTruth, idOrNumber: string | number): PoTruth | undefined {
  const id = String(idOrNumber).trim().replace(/^p[om]/i, '');
  return truth.pos.find((po) => po.id === id);
}

function poTruth(po: SimPo, catalogue: Catalogue, store: FileStore, view: TruthView): PoTruth {
  const requisition = po.requisitionId === null ? undefined : catalogue.requisitions.get(po.requisitionId);
  const poAttachments = po.placements.map((placement) => attachmentTruth(placement, 'po', store));
  const reqAttachments = (requisition?.placements ?? []).map((placement) => attachmentTruth(placement, 'requisition', store));
  const base = {
    id: po.id,
    poNumber: po.poNumber,
    kind: po.kind,
    supplier: po.supplier,
    requisitionId: po.requisitionId,
    theme: po.theme,
    lateMs: po.lateMs,
    attachments: [...poAttachments, ...reqAttachments],
    ...pageCounts(po, catalogue, view),
  };
  const poPath = `/order_headers/${po.id}`;
  if (po.page !== 'ok') {
    const expectedStatus = po.page === 'notFound' ? 'PO_NOT_FOUND' : 'ACCESS_DENIED';
    return { ...base, opensRequisition: false, expectedStatus, expectedFiles: [], expectedAttachmentsFound: 0, expectedCoupaUrlPath: poPath };
  }
  const poFiles = distinctFiles(poAttachments);
  const opensRequisition = requisition !== undefined && !poFiles.some((file) => fileFormatOf(file.name) === 'pdf');
  if (!opensRequisition) return finish(base, false, poAttachments, poFiles, poPath);
  if (requisition.page !== 'ok') {
    // Decision: the PO's own (non-PDF) files are still saved, but the status says the requisition was out of reach.
    return { ...base, opensRequisition, expectedStatus: 'PR_NOT_ACCESSIBLE', expectedFiles: poFiles, expectedAttachmentsFound: countDistinct(poAttachments), expectedCoupaUrlPath: poPath };
  }
  const reqFiles = distinctFiles(reqAttachments);
  const path = reqFiles.length > 0 ? `/requisition_headers/${requisition.id}` : poPath;
  return finish(base, true, [...poAttachments, ...reqAttachments], [...poFiles, ...reqFiles], path);
}

function finish(
  base: Omit<PoTruth, 'opensRequisition' | 'expectedStatus' | 'expectedFiles' | 'expectedAttachmentsFound' | 'expectedCoupaUrlPath'>,
  opensRequisition: boolean,
  used: readonly AttachmentTruth[],
  files: readonly ExpectedFile[],
  coupaUrlPath: string,
): PoTruth {
  const found = countDistinct(used);
  return {
    ...base,
    opensRequisition,
    expectedStatus: found === 0 ? 'NO_ATTACHMENTS' : 'COMPLETED',
    expectedFiles: files,
    expectedAttachmentsFound: found,
    expectedCoupaUrlPath: coupaUrlPath,
  };
}

function pageCounts(po: SimPo, catalogue: Catalogue, view: TruthView): Pick<PoTruth, 'listsDelayMs' | 'commentCount' | 'commentFileCount' | 'lineCount' | 'pagesOfLines'> {
  if (po.page !== 'ok') return { listsDelayMs: null, commentCount: 0, commentFileCount: 0, lineCount: 0, pagesOfLines: 1 };
  const comments = commentsOf(po, catalogue.decoyRequisitionId);
  return {
    listsDelayMs: po.lateMs === null ? listsDelayMs(catalogue.seed, view.pageStyle, `/order_headers/${po.id}`, view.listsDelayMs) : null,
    commentCount: comments.length,
    commentFileCount: commentFileCount(comments),
    lineCount: po.lineCount,
    pagesOfLines: pageCount(po.lineCount, view.linesPerPage),
  };
}

function countDistinct(attachments: readonly AttachmentTruth[]): number {
  return new Set(attachments.map((attachment) => attachment.attId)).size;
}

function distinctFiles(attachments: readonly AttachmentTruth[]): ExpectedFile[] {
  const seen = new Map<string, ExpectedFile>();
  for (const attachment of attachments) {
    if (attachment.kind === 'file' && !seen.has(attachment.attId)) seen.set(attachment.attId, attachment);
  }
  return [...seen.values()];
}

function attachmentTruth(placement: Placement, origin: AttachmentOriginTruth, store: FileStore): AttachmentTruth {
  const { attachment, where, widget, slot } = placement;
  const base = { attId: attachment.attId, where, widget, origin, intent: attachment.intent, slot };
  switch (attachment.kind) {
    case 'file':
      return fileTruth(attachment, base, store);
    case 'url':
      return { ...base, kind: 'url', url: attachment.url };
    case 'text':
      return { ...base, kind: 'text', text: attachment.text };
    default: {
      const unknown: never = attachment;
      throw new Error(`Unknown attachment ${JSON.stringify(unknown)}.`);
    }
  }
}

function fileTruth(file: SimFile, base: AttachmentTruthBase, store: FileStore): FileAttachmentTruth {
  // Getters (own and enumerable, so JSON.stringify includes them) keep the truth cheap until a digest is read.
  return {
    ...base,
    kind: 'file',
    name: file.name,
    path: attachmentPath(file.attId, file.name),
    get sha256() {
      return store.digest(file).sha256;
    },
    get sizeBytes() {
      return store.digest(file).sizeBytes;
    },
    get mail() {
      return store.mail(file);
    },
  };
}
