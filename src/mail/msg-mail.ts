import msgreader, { type FieldsData } from '@kenjiuno/msgreader';
import iconv from 'iconv-lite';
import { isInlinePart, mailFormatOfName, type BodySource, type Mail, type MailAddress, type MailAttachment } from './mail-model.ts';
import { bodyFromCompressedRtf } from './rtf-body.ts';

// The package is CommonJS with its class as `exports.default`.
const MsgReader = msgreader.default;

/**
 * Reads an Outlook `.msg` file (a compound file of MAPI properties) with @kenjiuno/msgreader.
 * The HTML body comes from PR_HTML when there is one, else from the compressed RTF body when
 * it wraps HTML, else the plain body is shown. Throws when the file is not a readable message.
 */
export function readMsgMail(bytes: Uint8Array): Mail {
  const reader = new MsgReader(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const fields = reader.getFileData();
  if (fields.error !== undefined) throw new Error(fields.error);
  if (fields.dataType !== 'msg') throw new Error('it holds no Outlook message');
  const text = nonEmpty(fields.body);
  const { html, bodySource } = htmlBody(fields, text);
  const attachments: MailAttachment[] = [];
  for (const attachment of fields.attachments ?? []) {
    const read = readAttachment(reader, attachment, html);
    if (read !== null) attachments.push(read);
  }
  const recipients = fields.recipients ?? [];
  // A compound file whose message streams are damaged reads as a mail with nothing in it: no real mail is that empty.
  if (fields.subject === undefined && sender(fields) === null && recipients.length === 0 && html === null && text === null && attachments.length === 0) {
    throw new Error('it holds no subject, sender, recipient, body or attachment (the file is damaged)');
  }
  return {
    format: 'msg',
    subject: fields.subject ?? '',
    from: sender(fields),
    to: recipients.filter((recipient) => (recipient.recipType ?? 'to') === 'to').map(recipientAddress),
    cc: recipients.filter((recipient) => recipient.recipType === 'cc').map(recipientAddress),
    date: dateOf(fields.clientSubmitTime ?? fields.messageDeliveryTime ?? fields.creationTime),
    html,
    text,
    bodySource,
    attachments,
  };
}

function htmlBody(fields: FieldsData, text: string | null): { html: string | null; bodySource: BodySource } {
  if (fields.html !== undefined && fields.html.length > 0) return { html: decodeHtml(fields.html, fields.internetCodepage), bodySource: 'html' };
  const bodyHtml = nonEmpty(fields.bodyHtml);
  if (bodyHtml !== null) return { html: bodyHtml, bodySource: 'html' };
  if (fields.compressedRtf !== undefined && fields.compressedRtf.length > 0) {
    const rtf = rtfOrNull(fields.compressedRtf);
    if (rtf?.kind === 'html') return { html: rtf.content, bodySource: 'rtf-html' };
    // Encapsulated plain text is the body as typed; Outlook's own plain body is the same text, when present.
    if (rtf?.kind === 'text' && text === null) return { html: null, bodySource: 'rtf-text' };
  }
  return { html: null, bodySource: text === null ? 'none' : 'text' };
}

/** A damaged RTF body is not a damaged mail: the plain body is shown instead. */
function rtfOrNull(compressed: Uint8Array): ReturnType<typeof bodyFromCompressedRtf> {
  try {
    return bodyFromCompressedRtf(compressed);
  } catch {
    return null;
  }
}

/** PR_HTML is bytes in the message's Internet code page (65001 = UTF-8, the usual one). */
function decodeHtml(bytes: Uint8Array, codepage: number | undefined): string {
  const encoding = codepage === undefined || codepage === 65001 ? 'utf8' : `cp${String(codepage)}`;
  return iconv.encodingExists(encoding) ? iconv.decode(Buffer.from(bytes), encoding) : Buffer.from(bytes).toString('utf8');
}

function readAttachment(reader: InstanceType<typeof MsgReader>, attachment: FieldsData, html: string | null): MailAttachment | null {
  let content: { fileName: string; content: Uint8Array };
  try {
    content = reader.getAttachment(attachment);
  } catch {
    // An OLE object or a reference to a file elsewhere has no bytes to save.
    return null;
  }
  const embedded = attachment.innerMsgContent === true;
  const name = nonEmpty(attachment.fileName) ?? nonEmpty(content.fileName) ?? nonEmpty(attachment.fileNameShort) ?? nonEmpty(attachment.name) ?? 'attachment';
  const contentId = nonEmpty(attachment.pidContentId)?.replace(/^<|>$/g, '') ?? null;
  return {
    name: embedded && !/\.msg$/i.test(name) ? `${name}.msg` : name,
    contentType: embedded ? 'application/vnd.ms-outlook' : (nonEmpty(attachment.attachMimeTag) ?? 'application/octet-stream'),
    contentId,
    inline: !embedded && isInlinePart(contentId, attachment.attachmentHidden === true, html),
    bytes: content.content,
    mailFormat: embedded ? 'msg' : mailFormatOfName(name),
  };
}

function sender(fields: FieldsData): MailAddress | null {
  const name = fields.senderName ?? '';
  // An Exchange sender's PR_SENDER_EMAIL_ADDRESS is an X.500 path; the SMTP form sits elsewhere.
  const address = [fields.senderSmtpAddress, fields.senderEmail, fields.sentRepresentingSmtpAddress, fields.creatorSMTPAddress].find((value) => value?.includes('@') === true) ?? '';
  return name === '' && address === '' ? null : { name, address };
}

function recipientAddress(recipient: FieldsData): MailAddress {
  const address = [recipient.smtpAddress, recipient.email].find((value) => value?.includes('@') === true) ?? '';
  return { name: recipient.name ?? '', address };
}

function dateOf(value: string | undefined): Date | null {
  if (value === undefined) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

function nonEmpty(value: string | undefined): string | null {
  return value === undefined || value.trim() === '' ? null : value;
}
