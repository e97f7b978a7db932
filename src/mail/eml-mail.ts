import PostalMime, { type Address } from 'postal-mime';
import { isInlinePart, mailFormatOfName, type Mail, type MailAddress, type MailAttachment } from './mail-model.ts';

/**
 * Reads an Internet mail (`.eml`, RFC 5322/MIME) with postal-mime. An attached mail
 * (`message/rfc822`) stays an attachment with its raw bytes, so it is saved and converted in
 * turn, instead of being folded into this mail's body. Throws when the bytes are not a mail.
 */
export async function readEmlMail(bytes: Uint8Array): Promise<Mail> {
  const email = await PostalMime.parse(bytes, { forceRfc822Attachments: true, attachmentEncoding: 'arraybuffer' });
  // postal-mime reads any bytes as a mail with a body; a file with none of a mail's headers is not one.
  const known = new Set(['from', 'to', 'subject', 'date', 'message-id', 'mime-version']);
  if (!email.headers.some((header) => known.has(header.key))) throw new Error('it has none of the header lines a mail starts with (From, To, Subject, Date)');
  const html = nonEmpty(email.html);
  const text = nonEmpty(email.text);
  const attachments = email.attachments.map((attachment, index): MailAttachment => {
    const contentId = nonEmpty(attachment.contentId)?.trim().replace(/^<|>$/g, '') ?? null;
    const isMail = attachment.mimeType === 'message/rfc822';
    const name = nonEmpty(attachment.filename ?? undefined) ?? (isMail ? `attached mail ${String(index + 1)}.eml` : `attachment ${String(index + 1)}`);
    const content = attachment.content;
    return {
      name,
      contentType: attachment.mimeType,
      contentId,
      inline: !isMail && isInlinePart(contentId, false, html) && attachment.disposition !== 'attachment',
      bytes: typeof content === 'string' ? Buffer.from(content, 'utf8') : new Uint8Array(content),
      mailFormat: isMail ? 'eml' : mailFormatOfName(name),
    };
  });
  return {
    format: 'eml',
    subject: email.subject ?? '',
    from: email.from === undefined ? null : (flatten([email.from])[0] ?? null),
    to: flatten(email.to ?? []),
    cc: flatten(email.cc ?? []),
    date: dateOf(email.date),
    html,
    text,
    bodySource: html !== null ? 'html' : text !== null ? 'text' : 'none',
    attachments,
  };
}

/** Groups (`Team: a@x, b@x;`) become their members. */
function flatten(addresses: readonly Address[]): MailAddress[] {
  return addresses.flatMap((address) =>
    address.group === undefined ? [{ name: address.name, address: address.address }] : address.group.map((member) => ({ name: member.name, address: member.address })),
  );
}

function dateOf(value: string | undefined): Date | null {
  if (value === undefined) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

function nonEmpty(value: string | undefined): string | null {
  return value === undefined || value.trim() === '' ? null : value;
}
