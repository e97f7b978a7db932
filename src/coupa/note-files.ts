import { createHash } from 'node:crypto';
import type { FoundAttachment } from './attachment-list.ts';
import { lastUrlSegment } from './download-name.ts';

/**
 * URL and Text attachments have no bytes on Coupa, so they are saved as small files that open
 * naturally: a `.url` Internet Shortcut (Windows opens the link; macOS and most Linux desktops
 * do too) and a `.txt` note. That keeps "everything of the PO is in its folder" true for them.
 */

export interface NoteFile {
  /** The name before cleaning, extension included. */
  readonly wantedName: string;
  readonly body: Buffer;
  readonly sha256: string;
}

const STEM_CHARS = 60;

export function noteFileFor(attachment: FoundAttachment): NoteFile {
  if (attachment.kind === 'url') return withDigest(`${shortStem(urlTitle(attachment), 'Link')}.url`, internetShortcut(attachment.url));
  if (attachment.kind === 'text') return withDigest(`${shortStem(attachment.text, 'Note')}.txt`, `${attachment.text}\r\n`);
  throw new Error(`noteFileFor is for URL and Text attachments, got a ${attachment.kind} attachment.`);
}

/** The Internet Shortcut format Windows Explorer writes (CRLF line ends). */
export function internetShortcut(url: string): string {
  return `[InternetShortcut]\r\nURL=${url}\r\n`;
}

function withDigest(wantedName: string, content: string): NoteFile {
  const body = Buffer.from(content, 'utf8');
  return { wantedName, body, sha256: createHash('sha256').update(body).digest('hex') };
}

/** The first words of `text` (cut at a word end), or `fallback` when empty. */
function shortStem(text: string, fallback: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  if (oneLine === '') return fallback;
  if (oneLine.length <= STEM_CHARS) return oneLine.replace(/[.\s]+$/, '');
  const cut = oneLine.slice(0, STEM_CHARS);
  const lastSpace = cut.lastIndexOf(' ');
  return (lastSpace > STEM_CHARS / 2 ? cut.slice(0, lastSpace) : cut).replace(/[.\s]+$/, '');
}

/** The link's label, unless it is just the address: then `host - last segment`, which reads better as a name. */
function urlTitle(attachment: FoundAttachment): string {
  const label = attachment.label.trim();
  if (label !== '' && !/^[a-z][a-z0-9+.-]*:\/\//i.test(label)) return label;
  try {
    const url = new URL(attachment.url);
    const segment = lastUrlSegment(attachment.url);
    return segment === '' ? url.hostname : `${url.hostname} - ${segment}`;
  } catch {
    return label;
  }
}
