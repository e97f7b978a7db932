import { CoupaDlError } from '../domain/errors.ts';
import { ATTACHMENT_FIELDS, idOf, parseAttachments, text, type ApiAttachment, type AttachmentParent } from './api-attachment.ts';
import { getAllPages, type FieldList, type PagedAnswer, type QueryShape } from './api-paging.ts';
import type { ApiTransport } from './api-transport.ts';
import type { FoundPo, RequestPlan } from './po-resolver.ts';

/** All attachments of a PO: its header, every order line and every comment, in that order. */
export interface PoAttachments {
  readonly header: readonly ApiAttachment[];
  readonly lines: readonly ApiAttachment[];
  readonly comments: readonly ApiAttachment[];
}

export type RequisitionAttachments =
  | { readonly kind: 'ok'; readonly attachments: readonly ApiAttachment[] }
  | { readonly kind: 'accessDenied'; readonly message: string }
  | { readonly kind: 'notFound' };

interface ListContext {
  readonly transport: ApiTransport;
  readonly plan: RequestPlan;
  readonly signal: AbortSignal;
}

const LINE_FIELDS: FieldList = ['id', 'line-num', { attachments: ATTACHMENT_FIELDS }];
const COMMENT_FIELDS: FieldList = ['id', { attachments: ATTACHMENT_FIELDS }];

/**
 * The header's, every line's and every comment's attachments. The trimmed plan asks for the
 * attachments inside the line and comment lists (50 records a call), and falls back to a
 * record's own attachments list only when the answer leaves them out; the full plan walks
 * naively: full records, then one request per line and per comment.
 */
export async function listPoAttachments(transport: ApiTransport, po: FoundPo, plan: RequestPlan, signal: AbortSignal): Promise<PoAttachments> {
  const context: ListContext = { transport, plan, signal };
  const [header, lines, comments] = await Promise.all([
    po.headerAttachments ?? listHeaderAttachments(context, po.poId),
    listLineAttachments(context, po.poId),
    listCommentAttachments(context, po.poId),
  ]);
  return { header, lines, comments };
}

export async function listHeaderAttachments(context: ListContext, poId: string): Promise<ApiAttachment[]> {
  return attachmentList(context, `/api/purchase_orders/${poId}/attachments`, { where: 'header', parentId: poId });
}

export async function listLineAttachments(context: ListContext, poId: string): Promise<ApiAttachment[]> {
  const shape: QueryShape = context.plan === 'trimmed' ? { fields: LINE_FIELDS } : {};
  const lines = poRecords(await getAllPages(context.transport, '/api/purchase_order_lines', { 'order-header-id': poId }, shape, context.signal), `the lines of PO ${poId}`);
  const perLine = await Promise.all(
    lines.map(async (line) => {
      const lineId = idOf(line.id);
      if (lineId === null) throw new CoupaDlError('UNEXPECTED', `Coupa's API listed a line of PO ${poId} without an id (a bug or an unsupported Coupa version, please report it).`);
      const parent: AttachmentParent = { where: 'line', parentId: lineId, lineNum: text(line['line-num']) };
      const embedded = context.plan === 'trimmed' ? parseAttachments(line.attachments, parent) : null;
      return embedded ?? attachmentList(context, `/api/purchase_order_lines/${lineId}/attachments`, parent);
    }),
  );
  return perLine.flat();
}

export async function listCommentAttachments(context: ListContext, poId: string): Promise<ApiAttachment[]> {
  const shape: QueryShape = context.plan === 'trimmed' ? { fields: COMMENT_FIELDS } : {};
  const comments = poRecords(await getAllPages(context.transport, `/api/purchase_orders/${poId}/comments`, {}, shape, context.signal), `the comments of PO ${poId}`);
  const perComment = await Promise.all(
    comments.map(async (comment) => {
      const commentId = idOf(comment.id);
      if (commentId === null) throw new CoupaDlError('UNEXPECTED', `Coupa's API listed a comment of PO ${poId} without an id (a bug or an unsupported Coupa version, please report it).`);
      const parent: AttachmentParent = { where: 'comment', parentId: commentId };
      const embedded = context.plan === 'trimmed' ? parseAttachments(comment.attachments, parent) : null;
      return embedded ?? attachmentList(context, `/api/comments/${commentId}/attachments`, parent);
    }),
  );
  return perComment.flat();
}

/** A requisition's attachments; 403 and 404 are results (the caller decides `PR_NOT_ACCESSIBLE`). */
export async function listRequisitionAttachments(transport: ApiTransport, requisitionId: string, plan: RequestPlan, signal: AbortSignal): Promise<RequisitionAttachments> {
  const shape: QueryShape = plan === 'trimmed' ? { fields: ATTACHMENT_FIELDS } : {};
  const answer = await getAllPages(transport, `/api/requisitions/${requisitionId}/attachments`, {}, shape, signal);
  if (answer.kind === 'forbidden') return { kind: 'accessDenied', message: answer.message };
  if (answer.kind === 'notFound') return answer;
  return { kind: 'ok', attachments: parseAttachments(answer.records, { where: 'requisition', parentId: requisitionId }) ?? [] };
}

async function attachmentList(context: ListContext, path: string, parent: AttachmentParent): Promise<ApiAttachment[]> {
  const shape: QueryShape = context.plan === 'trimmed' ? { fields: ATTACHMENT_FIELDS } : {};
  const answer = await getAllPages(context.transport, path, {}, shape, context.signal);
  return parseAttachments(poRecords(answer, `the attachments of ${parent.where} ${parent.parentId}`), parent) ?? [];
}

/** The records of a list under a PO already found: a 403 now is that PO's `ACCESS_DENIED`; a 404 an empty list. */
function poRecords(answer: PagedAnswer, what: string): Record<string, unknown>[] {
  if (answer.kind === 'forbidden') throw new CoupaDlError('ACCESS_DENIED', `Coupa's API refused ${what}: ${answer.message}`);
  return answer.kind === 'ok' ? answer.records : [];
}
