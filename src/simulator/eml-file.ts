import { encodeRfc5987 } from './content-disposition.ts';
import type { MailFilePart, MailPerson, MailSpec } from './mail-spec.ts';

/**
 * An Internet mail (.eml, RFC 5322 + MIME) as a mail program saves it: plain and HTML bodies as
 * alternatives, inline images beside them in a `multipart/related`, files and an attached mail
 * (`message/rfc822`) after. Every line is ASCII: Unicode travels as encoded words and base64.
 * Boundaries come from the message id, so the same mail gives the same bytes.
 */
export function makeEml(mail: MailSpec): Uint8Array {
  return Buffer.from(emlText(mail), 'latin1');
}

function emlText(mail: MailSpec): string {
  const id = mail.messageId.replace(/[^A-Za-z0-9]/g, '');
  const mixed = `mixed-${id}`;
  const related = `related-${id}`;
  const alternative = `alternative-${id}`;
  const inline = mail.parts.filter((part): part is MailFilePart => part.kind === 'file' && part.inline);
  const attached = mail.parts.filter((part) => part.kind === 'mail' || !part.inline);

  const bodies = [
    `Content-Type: multipart/alternative; boundary="${alternative}"`,
    '',
    `--${alternative}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(Buffer.from(mail.textBody, 'utf8')),
    `--${alternative}`,
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(Buffer.from(mail.htmlBody, 'utf8')),
    `--${alternative}--`,
  ];
  const withImages =
    inline.length === 0
      ? bodies
      : [
          `Content-Type: multipart/related; type="multipart/alternative"; boundary="${related}"`,
          '',
          `--${related}`,
          ...bodies,
          ...inline.flatMap((part) => [`--${related}`, ...filePart(part, 'inline')]),
          `--${related}--`,
        ];
  const lines = [
    `From: ${address(mail.from)}`,
    `To: ${mail.to.map(address).join(', ')}`,
    ...(mail.cc.length === 0 ? [] : [`Cc: ${mail.cc.map(address).join(', ')}`]),
    `Subject: ${encodedWords(mail.subject)}`,
    `Date: ${mail.sentAt.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${mail.messageId}>`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${mixed}"`,
    '',
    'This is a multi-part message in MIME format.',
    `--${mixed}`,
    ...withImages,
    ...attached.flatMap((part) => [
      `--${mixed}`,
      ...(part.kind === 'file'
        ? filePart(part, 'attachment')
        : [`Content-Type: message/rfc822; name="${asciiName(part.name)}"`, `Content-Disposition: attachment; ${fileNameParams(part.name)}`, '', emlText(part.mail)]),
    ]),
    `--${mixed}--`,
    '',
  ];
  return lines.join('\r\n');
}

function filePart(part: MailFilePart, disposition: 'inline' | 'attachment'): string[] {
  return [
    `Content-Type: ${part.contentType}; name="${asciiName(part.name)}"`,
    'Content-Transfer-Encoding: base64',
    ...(part.contentId === null ? [] : [`Content-ID: <${part.contentId}>`]),
    `Content-Disposition: ${disposition}; ${fileNameParams(part.name)}`,
    '',
    base64Lines(part.bytes),
  ];
}

/** An ASCII `filename` for old readers and the exact name as RFC 2231 `filename*` when it differs. */
function fileNameParams(name: string): string {
  const ascii = asciiName(name);
  return ascii === name ? `filename="${name}"` : `filename="${ascii}"; filename*=UTF-8''${encodeRfc5987(name)}`;
}

function asciiName(name: string): string {
  return name.replace(/[^\x20-\x7e]|["\\]/g, '_');
}

function address(person: MailPerson): string {
  const plain = /^[A-Za-z0-9 .'-]*$/.test(person.name);
  return `${plain ? `"${person.name}"` : encodedWords(person.name)} <${person.email}>`;
}

/** RFC 2047 encoded words (UTF-8, base64), each under 76 characters, never splitting a character. */
function encodedWords(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) return text;
  const words: string[] = [];
  let current = '';
  for (const char of text) {
    if (Buffer.byteLength(current + char) > 45) {
      words.push(current);
      current = '';
    }
    current += char;
  }
  if (current !== '') words.push(current);
  return words.map((word) => `=?UTF-8?B?${Buffer.from(word, 'utf8').toString('base64')}?=`).join('\r\n ');
}

function base64Lines(bytes: Uint8Array): string {
  const text = Buffer.from(bytes).toString('base64');
  const lines: string[] = [];
  for (let at = 0; at < text.length; at += 76) lines.push(text.slice(at, at + 76));
  return lines.join('\r\n');
}
