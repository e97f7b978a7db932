import type { SimAttachment, SimPo, SimRequisition } from '../catalogue-model.ts';
import type { ApiComment, ApiLine, ApiRecords } from './api-records.ts';
import type { JsonObject } from './json-value.ts';

/** What one API request asks for, before access, faults and format are applied. */
export interface ApiRoute {
  /** The OAuth scope the endpoint needs. */
  readonly scope: string;
  /** The PO the request is about, for `byPo` faults. */
  readonly poId: string | null;
  readonly answer: ApiAnswer;
}

export type ApiAnswer =
  | { readonly type: 'list'; readonly root: string; readonly items: () => JsonObject[] }
  | { readonly type: 'record'; readonly root: string; readonly record: () => JsonObject }
  /** One attachment by id under its parent: its record, or (own-endpoint shape) its bytes. */
  | { readonly type: 'attachment'; readonly attachment: SimAttachment }
  | { readonly type: 'error'; readonly status: 403 | 404 | 400; readonly message: string };

const PO_SCOPE = 'core.purchase_order.read';
const REQUISITION_SCOPE = 'core.requisition.read';
const COMMENT_SCOPE = 'core.comment.read';
/** Attachments by id alone and file URLs: no attachment scope is documented; this is a guess. */
export const COMMON_SCOPE = 'core.common.read';

const ROUTES: readonly [RegExp, (records: ApiRecords, match: RegExpExecArray, query: URLSearchParams) => ApiRoute][] = [
  [/^\/api\/purchase_orders$/, (records, _match, query) => poSearch(records, query)],
  [/^\/api\/purchase_orders\/(\d+)$/, (records, m) => withPo(records, m[1], PO_SCOPE, (po) => ({ type: 'record', root: 'order-header', record: () => records.poRecord(po) }))],
  [/^\/api\/purchase_orders\/(\d+)\/attachments$/, (records, m) => withPo(records, m[1], PO_SCOPE, (po) => attachmentList(records, po.placements.filter((p) => p.where === 'header')))],
  [/^\/api\/purchase_orders\/(\d+)\/attachments\/(\d+)$/, (records, m) => withPo(records, m[1], PO_SCOPE, (po) => attachmentById(po.placements.filter((p) => p.where === 'header'), m[2]))],
  [/^\/api\/purchase_orders\/(\d+)\/comments$/, (records, m) => withPo(records, m[1], COMMENT_SCOPE, (po) => ({ type: 'list', root: 'comments', items: () => records.comments(po).map((c) => records.commentRecord(c)) }))],
  [/^\/api\/purchase_order_lines$/, (records, _match, query) => lineSearch(records, query)],
  [/^\/api\/purchase_order_lines\/(\d+)$/, (records, m) => withLine(records, m[1], (line) => ({ type: 'record', root: 'order-line', record: () => records.lineRecord(line) }))],
  [/^\/api\/purchase_order_lines\/(\d+)\/attachments$/, (records, m) => withLine(records, m[1], (line) => attachmentList(records, line.placements))],
  [/^\/api\/purchase_order_lines\/(\d+)\/attachments\/(\d+)$/, (records, m) => withLine(records, m[1], (line) => attachmentById(line.placements, m[2]))],
  [/^\/api\/comments\/(\d+)\/attachments$/, (records, m) => withComment(records, m[1], (comment) => attachmentList(records, comment.placements))],
  [/^\/api\/comments\/(\d+)\/attachments\/(\d+)$/, (records, m) => withComment(records, m[1], (comment) => attachmentById(comment.placements, m[2]))],
  [/^\/api\/requisitions\/(\d+)$/, (records, m) => withRequisition(records, m[1], (req) => ({ type: 'record', root: 'requisition-header', record: () => records.requisitionRecord(req) }))],
  [/^\/api\/requisitions\/(\d+)\/attachments$/, (records, m) => withRequisition(records, m[1], (req) => attachmentList(records, req.placements))],
  [/^\/api\/requisitions\/(\d+)\/attachments\/(\d+)$/, (records, m) => withRequisition(records, m[1], (req) => attachmentById(req.placements, m[2]))],
  [/^\/api\/attachments\/(\d+)$/, (records, m) => anyAttachment(records, m[1] ?? '')],
];

/** The route of an API path, or null when the API has no such endpoint. */
export function routeApi(records: ApiRecords, pathname: string, query: URLSearchParams): ApiRoute | null {
  for (const [pattern, build] of ROUTES) {
    const match = pattern.exec(pathname);
    if (match !== null) return build(records, match, query);
  }
  return null;
}

function poSearch(records: ApiRecords, query: URLSearchParams): ApiRoute {
  const number = query.get('po-number') ?? query.get('po_number');
  if (number === null) return { scope: PO_SCOPE, poId: null, answer: { type: 'list', root: 'order-headers', items: () => records.allPos().map((po) => records.poRecord(po)) } };
  const found = records.findByNumber(number);
  const denied = found.find((po) => po.page === 'accessDenied');
  if (denied !== undefined) return { scope: PO_SCOPE, poId: denied.id, answer: forbidden(`You are not authorized to view purchase order ${number}.`) };
  return { scope: PO_SCOPE, poId: found[0]?.id ?? null, answer: { type: 'list', root: 'order-headers', items: () => found.map((po) => records.poRecord(po)) } };
}

function lineSearch(records: ApiRecords, query: URLSearchParams): ApiRoute {
  const poId = query.get('order-header-id') ?? query.get('order_header_id');
  if (poId === null) return { scope: PO_SCOPE, poId: null, answer: { type: 'list', root: 'order-lines', items: () => records.allPos().flatMap((po) => records.lines(po).map((line) => records.lineRecord(line))) } };
  return withPo(records, poId, PO_SCOPE, (po) => ({ type: 'list', root: 'order-lines', items: () => records.lines(po).map((line) => records.lineRecord(line)) }));
}

function withPo(records: ApiRecords, id: string | undefined, scope: string, answer: (po: SimPo) => ApiAnswer): ApiRoute {
  const po = records.po(id ?? '');
  if (po === undefined) return { scope, poId: null, answer: notFound(`No purchase order with id ${id ?? ''}.`) };
  if (po.page === 'accessDenied') return { scope, poId: po.id, answer: forbidden(`You are not authorized to view purchase order ${po.id}.`) };
  return { scope, poId: po.id, answer: answer(po) };
}

function withLine(records: ApiRecords, id: string | undefined, answer: (line: ApiLine) => ApiAnswer): ApiRoute {
  const line = records.line(id ?? '');
  if (line === undefined) return { scope: PO_SCOPE, poId: null, answer: notFound(`No purchase order line with id ${id ?? ''}.`) };
  return withPo(records, line.po.id, PO_SCOPE, () => answer(line));
}

function withComment(records: ApiRecords, id: string | undefined, answer: (comment: ApiComment) => ApiAnswer): ApiRoute {
  const comment = records.comment(id ?? '');
  if (comment === undefined) return { scope: COMMENT_SCOPE, poId: null, answer: notFound(`No comment with id ${id ?? ''}.`) };
  return withPo(records, comment.po.id, COMMENT_SCOPE, () => answer(comment));
}

function withRequisition(records: ApiRecords, id: string | undefined, answer: (requisition: SimRequisition) => ApiAnswer): ApiRoute {
  const requisition = records.requisition(id ?? '');
  if (requisition === undefined) return { scope: REQUISITION_SCOPE, poId: null, answer: notFound(`No requisition with id ${id ?? ''}.`) };
  if (requisition.page === 'accessDenied') return { scope: REQUISITION_SCOPE, poId: requisition.poId, answer: forbidden(`You are not authorized to view requisition ${requisition.id}.`) };
  return { scope: REQUISITION_SCOPE, poId: requisition.poId, answer: answer(requisition) };
}

function anyAttachment(records: ApiRecords, attId: string): ApiRoute {
  const found = records.attachmentAnywhere(attId);
  if (found === undefined) return { scope: COMMON_SCOPE, poId: null, answer: notFound(`No attachment with id ${attId}.`) };
  return { scope: COMMON_SCOPE, poId: found.poId, answer: { type: 'attachment', attachment: found.attachment } };
}

function attachmentList(records: ApiRecords, placements: readonly { readonly attachment: SimAttachment }[]): ApiAnswer {
  return { type: 'list', root: 'attachments', items: () => records.attachmentRecords(placements) };
}

function attachmentById(placements: readonly { readonly attachment: SimAttachment }[], attId: string | undefined): ApiAnswer {
  const attachment = placements.find((placement) => placement.attachment.attId === attId)?.attachment;
  return attachment === undefined ? notFound(`No attachment with id ${attId ?? ''} here.`) : { type: 'attachment', attachment };
}

function notFound(message: string): ApiAnswer {
  return { type: 'error', status: 404, message };
}

function forbidden(message: string): ApiAnswer {
  return { type: 'error', status: 403, message };
}
