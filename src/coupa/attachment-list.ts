import type { AttachmentOrigin } from '../domain/po-outcome.ts';
import type { RawAttachment } from './page-read.ts';

/**
 * The attachments a Coupa page shows, from the header, the order lines and the comments: File
 * attachments (a link, or an old-theme span you click), URL attachments and Text notes. They are
 * read in the page (page-read.ts); here they get their origin and lose their repeats.
 */

export interface FoundAttachment extends RawAttachment {
  readonly origin: AttachmentOrigin;
}

export function attachmentsFrom(raw: readonly RawAttachment[], origin: AttachmentOrigin): FoundAttachment[] {
  return uniqueAttachments(raw.map((attachment) => ({ ...attachment, origin })));
}

/** A file linked twice (header and a comment, say) is one attachment: the first mention wins. */
export function uniqueAttachments(attachments: readonly FoundAttachment[]): FoundAttachment[] {
  const seen = new Set<string>();
  return attachments.filter((attachment) => {
    if (attachment.widget !== null || attachment.kind === 'text') return true;
    const key = `${attachment.kind} ${attachment.url}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
