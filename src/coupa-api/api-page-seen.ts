import type { AttachmentPlace, RawAttachment } from '../coupa/page-read.ts';
import type { PageSeen } from '../coupa/po-steps.ts';
import type { ApiAttachment } from './api-attachment.ts';
import type { PoAttachments, RequisitionAttachments } from './attachment-lister.ts';
import type { FoundPo, PoLookup } from './po-resolver.ts';

/**
 * Pure: what Coupa's API said about a PO or a requisition, as the `PageSeen` the PO's steps
 * (coupa/po-steps.ts) decide from — the same facts a web page gives, so the browser and the API
 * end a PO the same way. An API answer is complete when it comes: the "page" is settled and has
 * no other pages of lines. Each file attachment's key is its web address
 * (`/attachment/attachment_file/file/<id>/<name>`, as PO pages link it), which is also the
 * `SOURCE_URL` the report lists; `files` maps it back to the API's record for the download.
 */

export interface ApiReading {
  readonly seen: PageSeen;
  /** Web address of each file attachment → its API record. */
  readonly files: ReadonlyMap<string, ApiAttachment>;
}

export function poPageUrl(baseUrl: string, poId: string): string {
  return `${baseUrl}/order_headers/${encodeURIComponent(poId)}`;
}

export function requisitionPageUrl(baseUrl: string, requisitionId: string): string {
  return `${baseUrl}/requisition_headers/${encodeURIComponent(requisitionId)}`;
}

/** The web address of a file attachment, as PO pages link it. */
export function fileWebUrl(baseUrl: string, attachment: Pick<ApiAttachment, 'id' | 'fileName'>): string {
  const name = attachment.fileName === null || attachment.fileName === '' ? '' : `/${encodeURIComponent(attachment.fileName)}`;
  return `${baseUrl}/attachment/attachment_file/file/${encodeURIComponent(attachment.id)}${name}`;
}

/** A PO the lookup found, with the attachments of its header, lines and comments. */
export function poReading(baseUrl: string, po: FoundPo, lists: PoAttachments): ApiReading {
  const url = poPageUrl(baseUrl, po.poId);
  const { attachments, files, review } = rawAttachments(baseUrl, url, [...lists.header, ...lists.lines, ...lists.comments]);
  const requisitionUrl = po.requisitionId === null ? null : requisitionPageUrl(baseUrl, po.requisitionId);
  return {
    seen: { view: { kind: 'ready', supplier: (po.supplier?.name ?? '').trim(), requisitionUrl, attachments, linePages: [], review }, url, attachments, settled: true, linePagesSeen: [], review },
    files,
  };
}

/** A lookup that found no PO, or was refused: the PO's error "page". */
export function lookupErrorSeen(url: string, lookup: Exclude<PoLookup, FoundPo>): PageSeen {
  const view =
    lookup.kind === 'notFound'
      ? { kind: 'error' as const, status: 'PO_NOT_FOUND' as const, message: `Coupa's API has no PO numbered ${lookup.tried.join(' or ')}` }
      : { kind: 'error' as const, status: 'ACCESS_DENIED' as const, message: `Coupa's API refused PO ${lookup.query} (HTTP 403): ${lookup.message}` };
  return errorSeen(url, view);
}

/** A PO found but whose lists Coupa refused (HTTP 403): ACCESS_DENIED, as a refused page is. */
export function listsRefusedSeen(url: string, message: string): PageSeen {
  return errorSeen(url, { kind: 'error', status: 'ACCESS_DENIED', message });
}

/** A requisition's attachments, or its refusal: an error "page" makes the PO PR_NOT_ACCESSIBLE (po-steps.ts). */
export function requisitionReading(baseUrl: string, requisitionId: string, result: RequisitionAttachments): ApiReading {
  const url = requisitionPageUrl(baseUrl, requisitionId);
  switch (result.kind) {
    case 'accessDenied':
      return { seen: errorSeen(url, { kind: 'error', status: 'ACCESS_DENIED', message: `Coupa's API refused requisition ${requisitionId} (HTTP 403): ${result.message}` }), files: new Map() };
    case 'notFound':
      return { seen: errorSeen(url, { kind: 'error', status: 'PO_NOT_FOUND', message: `Coupa's API has no requisition ${requisitionId}` }), files: new Map() };
    case 'ok': {
      const { attachments, files, review } = rawAttachments(baseUrl, url, result.attachments);
      return { seen: { view: { kind: 'ready', supplier: '', requisitionUrl: null, attachments, linePages: [], review }, url, attachments, settled: true, linePagesSeen: [], review }, files };
    }
    default: {
      const unknown: never = result;
      throw new Error(`Unknown requisition answer ${JSON.stringify(unknown)} (a bug).`);
    }
  }
}

function errorSeen(url: string, view: PageSeen['view']): PageSeen {
  return { view, url, attachments: [], settled: true, linePagesSeen: [], review: [] };
}

const PLACES: Readonly<Record<ApiAttachment['where'], AttachmentPlace>> = { header: 'header', line: 'line', comment: 'comment', requisition: 'header' };

/**
 * The API's attachments as a page shows them: files by their web address, URL attachments by
 * their target (made absolute, as a link's `href` is), Text attachments by their text. An
 * attachment of a type coupa-dl does not know is never dropped: the PO asks for a person's look.
 */
export function rawAttachments(baseUrl: string, pageUrl: string, listed: readonly ApiAttachment[]): { attachments: RawAttachment[]; files: Map<string, ApiAttachment>; review: string[] } {
  const attachments: RawAttachment[] = [];
  const files = new Map<string, ApiAttachment>();
  const review: string[] = [];
  for (const attachment of listed) {
    const place = PLACES[attachment.where];
    switch (attachment.kind) {
      case 'file': {
        const url = fileWebUrl(baseUrl, attachment);
        if (!files.has(url)) files.set(url, attachment);
        attachments.push({ kind: 'file', url, label: attachment.fileName ?? '', text: '', widget: null, place });
        break;
      }
      case 'url':
        if (attachment.url === null || attachment.url.trim() === '') review.push(`a URL attachment with no address (id ${attachment.id})`);
        else attachments.push({ kind: 'url', url: absolute(attachment.url.trim(), pageUrl), label: attachment.url.trim(), text: '', widget: null, place });
        break;
      case 'text': {
        const text = (attachment.text ?? '').trim();
        if (text === '') review.push(`a Text attachment with no text (id ${attachment.id})`);
        else attachments.push({ kind: 'text', url: '', label: text, text, widget: null, place });
        break;
      }
      case 'other':
        review.push(`an attachment of a type this tool does not know: ${attachment.type || 'no type'} (id ${attachment.id})`);
        break;
      default: {
        const unknown: never = attachment.kind;
        throw new Error(`Unknown attachment kind ${String(unknown)} (a bug).`);
      }
    }
  }
  return { attachments, files, review };
}

/** A link's target as a browser resolves its `href` against the page. */
function absolute(url: string, pageUrl: string): string {
  try {
    return new URL(url, pageUrl).href;
  } catch {
    return url;
  }
}
