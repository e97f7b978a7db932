import type { Mail, MailAddress, MailAttachment } from './mail-model.ts';

/**
 * The block at the top of every mail PDF: From, To, Cc, Date and Subject as the mail has them,
 * then the mail's own attachments with their sizes. It lives in a shadow root of its own
 * (declarative, so no script is needed), which keeps the mail's style sheets from restyling it
 * and its own styles from leaking into the mail.
 */
export function headerBlockHtml(mail: Mail, timeZone: string): string {
  const rows: [string, string][] = [
    ['From', mail.from === null ? '' : formatAddress(mail.from)],
    ['To', mail.to.map(formatAddress).join('; ')],
  ];
  if (mail.cc.length > 0) rows.push(['Cc', mail.cc.map(formatAddress).join('; ')]);
  rows.push(['Date', mail.date === null ? '' : formatMailDate(mail.date, timeZone)], ['Subject', mail.subject]);
  const listed = listedAttachments(mail);
  const table = rows.map(([label, value]) => `<tr><th>${label}</th><td>${escapeHtml(value)}</td></tr>`).join('');
  const files =
    listed.length === 0
      ? ''
      : `<tr><th>Attachments</th><td><ul>${listed.map((attachment) => `<li>${escapeHtml(attachment.name)} <span class="size">(${formatSize(attachment.bytes.length)})</span></li>`).join('')}</ul></td></tr>`;
  return `<div id="coupa-dl-mail-header"><template shadowrootmode="open"><style>${HEADER_STYLE}</style><table>${table}${files}</table></template></div>`;
}

/** The attachments the header lists: everything but the pictures shown inside the body. */
export function listedAttachments(mail: Mail): MailAttachment[] {
  return mail.attachments.filter((attachment) => !attachment.inline);
}

/** `Zoë Müller <zoe@example.com>`; either part alone when the other is missing. */
export function formatAddress(address: MailAddress): string {
  if (address.name === '') return address.address;
  if (address.address === '' || address.name === address.address) return address.name;
  return `${address.name} <${address.address}>`;
}

/** `2024-01-15 09:31 (UTC)`: unambiguous in every country, in the zone the user works in. */
export function formatMailDate(date: Date, timeZone: string): string {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  } catch {
    return formatMailDate(date, 'UTC');
  }
  const part = (type: Intl.DateTimeFormatPartTypes): string => format.formatToParts(date).find((item) => item.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')} (${timeZone})`;
}

/** `139 bytes`, `5.9 KB`, `1.2 MB` (1 KB = 1024 bytes, as Windows Explorer counts). */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${String(bytes)} bytes`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit] ?? 'GB'}`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${String(char.charCodeAt(0))};`);
}

// `all: initial` on the host stops the mail's inherited styles (font, colour, alignment) at the border.
const HEADER_STYLE = [
  ':host { all: initial; display: block; margin: 0 0 16px; padding: 8px 10px; border: 1px solid #c8c8c8; background: #f4f4f4;',
  "  font: 10pt/1.35 'Segoe UI', 'Noto Sans', 'Noto Sans CJK JP', Arial, sans-serif; color: #111; break-inside: avoid; }",
  'table { border-collapse: collapse; width: 100%; }',
  'th { text-align: left; vertical-align: top; padding: 2px 12px 2px 0; white-space: nowrap; width: 1%; color: #444; font-weight: 600; }',
  'td { padding: 2px 0; overflow-wrap: anywhere; }',
  'ul { margin: 0; padding: 0 0 0 16px; }',
  '.size { color: #555; }',
].join('\n');
