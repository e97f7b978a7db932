/**
 * A mail as the converter sees it, whatever file it came from (`.msg` or `.eml`): the header
 * fields a reader looks at, the bodies, and every attachment with its bytes.
 */

export type MailFormat = 'msg' | 'eml';

export interface MailAddress {
  /** The display name; '' when the mail has none. */
  readonly name: string;
  /** The SMTP address; '' when the mail has none (an Exchange-internal sender, say). */
  readonly address: string;
}

export interface MailAttachment {
  /** The name the sender gave it (not yet made safe for a file system). */
  readonly name: string;
  readonly contentType: string;
  /** Without angle brackets; null when it has none. */
  readonly contentId: string | null;
  /** Shown inside the body (an image the HTML refers to as `cid:`), rather than attached. */
  readonly inline: boolean;
  readonly bytes: Uint8Array;
  /** Set when the attachment is itself a mail, which is converted in turn. */
  readonly mailFormat: MailFormat | null;
}

/** Where the body shown came from; the RTF forms are Outlook's compressed RTF, unwrapped. */
export type BodySource = 'html' | 'rtf-html' | 'rtf-text' | 'text' | 'none';

export interface Mail {
  readonly format: MailFormat;
  readonly subject: string;
  readonly from: MailAddress | null;
  readonly to: readonly MailAddress[];
  readonly cc: readonly MailAddress[];
  /** When it was sent (or delivered, when that is all the file says); null when unknown. */
  readonly date: Date | null;
  /** The HTML body as the sender's program wrote it, or null. */
  readonly html: string | null;
  /** The plain-text body, or null. */
  readonly text: string | null;
  readonly bodySource: BodySource;
  readonly attachments: readonly MailAttachment[];
}

/** The mail a file name announces, by its extension; null for every other file. */
export function mailFormatOfName(fileName: string): MailFormat | null {
  const extension = /\.([a-z]+)$/i.exec(fileName.trim())?.[1]?.toLowerCase();
  return extension === 'msg' || extension === 'eml' ? extension : null;
}

/**
 * Whether an attachment belongs to the body: the body refers to it by its content id, or the
 * sender's program marked it hidden (Outlook does for pasted pictures).
 */
export function isInlinePart(contentId: string | null, hidden: boolean, html: string | null): boolean {
  if (hidden) return true;
  if (contentId === null || html === null) return false;
  return html.toLowerCase().includes(`cid:${contentId.toLowerCase()}`);
}
