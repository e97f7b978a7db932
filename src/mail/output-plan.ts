import { safeFileName, uniqueFileName } from '../domain/file-name.ts';
import { formatSize } from './header-block.ts';
import type { MailAttachment } from './mail-model.ts';

/**
 * Pure decisions about what a conversion writes, beside the mail and into its own folder:
 * names valid on every OS, never one already taken in that folder (the `(2)` rule).
 */

/** What a half-written output is called until it is complete (removed and rewritten on the next try). */
export const PARTIAL_SUFFIX = '.partial';

/** `RE Approval.msg` → `RE Approval.msg.pdf` (or `(2)` before the extension when that is taken). */
export function pdfFileName(mailFileName: string, pdfSuffix: string, taken: Iterable<string>): string {
  return uniqueFileName(safeFileName(`${mailFileName}${pdfSuffix}`), withoutPartials(taken));
}

/** `RE Approval.msg` → `RE Approval.msg attachments`, the folder its own attachments go to. */
export function attachmentFolderName(mailFileName: string, folderSuffix: string, taken: Iterable<string>): string {
  return uniqueFileName(safeFileName(`${mailFileName}${folderSuffix}`), withoutPartials(taken));
}

export type AttachmentDecision =
  | { readonly action: 'save'; readonly attachment: MailAttachment; readonly fileName: string }
  | { readonly action: 'skip'; readonly attachment: MailAttachment; readonly reason: string };

/**
 * Which of a mail's attachments are saved, under which names: all of them except inline images
 * smaller than `inlineImageMinBytes` (signature logos; they still show in the PDF). Names are
 * made safe and unique within the mail's folder, in the mail's order.
 */
export function planAttachments(attachments: readonly MailAttachment[], inlineImageMinBytes: number): AttachmentDecision[] {
  const taken: string[] = [];
  return attachments.map((attachment): AttachmentDecision => {
    if (attachment.inline && attachment.bytes.length < inlineImageMinBytes) {
      return { action: 'skip', attachment, reason: `an inline image under ${formatSize(inlineImageMinBytes)} (it shows in the PDF)` };
    }
    const fileName = uniqueFileName(safeFileName(attachment.name), taken);
    taken.push(fileName);
    return { action: 'save', attachment, fileName };
  });
}

/** A leftover `.partial` of an interrupted try is not a name to avoid: it is removed before writing. */
function withoutPartials(taken: Iterable<string>): string[] {
  return [...taken].filter((name) => !name.endsWith(PARTIAL_SUFFIX));
}
