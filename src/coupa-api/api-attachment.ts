import { CoupaDlError } from '../domain/errors.ts';

export type ApiAttachmentKind = 'file' | 'url' | 'text' | 'other';

/** Where an attachment was listed. */
export type ApiAttachmentWhere = 'header' | 'line' | 'comment' | 'requisition';

/** One attachment as Coupa's API lists it, checked and typed. */
export interface ApiAttachment {
  readonly id: string;
  readonly kind: ApiAttachmentKind;
  /** The `type` as Coupa wrote it (`AttachmentFile`, `AttachmentUrl`, `AttachmentText`, …). */
  readonly type: string;
  /** `Supplier` or `Internal`, as written. */
  readonly intent: string | null;
  readonly fileName: string | null;
  readonly contentType: string | null;
  /** `file-file-size` (a string in Coupa's spec) as a number; null when absent or unreadable. */
  readonly sizeBytes: number | null;
  readonly fileUrl: string | null;
  readonly url: string | null;
  readonly text: string | null;
  readonly createdAt: string | null;
  readonly where: ApiAttachmentWhere;
  /** The id of the PO, line, comment or requisition it was listed under. */
  readonly parentId: string;
  /** The order line's `line-num`, for line attachments. */
  readonly lineNum: string | null;
  /** Its own endpoint, e.g. `/api/purchase_orders/100001/attachments/900001`. */
  readonly ownPath: string;
}

/** The fields of an attachment coupa-dl reads: what `fields=` asks for. */
export const ATTACHMENT_FIELDS = ['id', 'type', 'intent', 'file-url', 'file-file-name', 'file-content-type', 'file-file-size', 'text', 'url', 'created-at'] as const;

export interface AttachmentParent {
  readonly where: ApiAttachmentWhere;
  readonly parentId: string;
  readonly lineNum?: string | null;
}

const KINDS: Readonly<Record<string, ApiAttachmentKind>> = { attachmentfile: 'file', attachmenturl: 'url', attachmenttext: 'text' };

/** Checks one attachment record; an attachment without an id is an answer coupa-dl cannot use. */
export function parseAttachment(value: unknown, parent: AttachmentParent): ApiAttachment {
  const record = asRecord(value);
  const id = idOf(record?.id);
  if (record === null || id === null) {
    throw new CoupaDlError('UNEXPECTED', `Coupa's API listed an attachment without an id under ${parent.where} ${parent.parentId} (a bug or an unsupported Coupa version, please report it).`);
  }
  const type = text(record.type) ?? '';
  const size = text(record['file-file-size']) ?? (typeof record['file-file-size'] === 'number' ? String(record['file-file-size']) : null);
  return {
    id,
    kind: KINDS[type.toLowerCase()] ?? 'other',
    type,
    intent: text(record.intent),
    fileName: text(record['file-file-name']),
    contentType: text(record['file-content-type']),
    sizeBytes: size !== null && /^\d+$/.test(size.trim()) ? Number(size) : null,
    fileUrl: text(record['file-url']),
    url: text(record.url),
    text: text(record.text),
    createdAt: text(record['created-at']),
    where: parent.where,
    parentId: parent.parentId,
    lineNum: parent.lineNum ?? null,
    ownPath: ownPath(parent, id),
  };
}

/** Parses a list of attachment records; a missing list (the field not in the answer) is null. */
export function parseAttachments(value: unknown, parent: AttachmentParent): ApiAttachment[] | null {
  if (value === undefined) return null;
  if (value === null) return [];
  if (!Array.isArray(value)) throw new CoupaDlError('UNEXPECTED', `Coupa's API gave attachments of ${parent.where} ${parent.parentId} that are not a list (a bug or an unsupported Coupa version, please report it).`);
  return value.map((item) => parseAttachment(item, parent));
}

function ownPath(parent: AttachmentParent, id: string): string {
  switch (parent.where) {
    case 'header':
      return `/api/purchase_orders/${parent.parentId}/attachments/${id}`;
    case 'line':
      return `/api/purchase_order_lines/${parent.parentId}/attachments/${id}`;
    case 'comment':
      return `/api/comments/${parent.parentId}/attachments/${id}`;
    case 'requisition':
      return `/api/requisitions/${parent.parentId}/attachments/${id}`;
    default: {
      const unknown: never = parent.where;
      throw new Error(`Unknown attachment place ${String(unknown)}.`);
    }
  }
}

export function asRecord(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/** A record id (a number in JSON) as a string; null when missing. */
export function idOf(value: unknown): string | null {
  if (typeof value === 'number' && Number.isInteger(value)) return String(value);
  if (typeof value === 'string' && /^\d+$/.test(value)) return value;
  return null;
}

export function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
