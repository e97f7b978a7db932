/**
 * The name a downloaded attachment is saved under, before cleaning: what the server says
 * (`Content-Disposition`), else what the page shows (the link's title or text), else the
 * URL's last segment. Coupa sends non-ASCII names in RFC 5987 form, so that one wins.
 */

export interface DownloadNameSources {
  readonly contentDisposition?: string | undefined;
  /** The link's `title`, else its text (as the page shows it). */
  readonly label?: string | undefined;
  readonly url: string;
}

export function downloadName(sources: DownloadNameSources): string {
  const fromHeader = sources.contentDisposition === undefined ? null : fileNameFromContentDisposition(sources.contentDisposition);
  if (fromHeader !== null) return fromHeader;
  const label = sources.label?.trim() ?? '';
  if (label !== '') return label;
  return lastUrlSegment(sources.url);
}

/**
 * The file name in a `Content-Disposition` header: `filename*=UTF-8''…` (RFC 5987/6266) first,
 * then `filename="…"` or a bare `filename=…`; `null` when there is none.
 */
export function fileNameFromContentDisposition(header: string): string | null {
  const extended = /(?:^|;)\s*filename\*\s*=\s*([^;]+)/i.exec(header)?.[1];
  if (extended !== undefined) {
    const decoded = decodeExtendedValue(extended.trim());
    if (decoded !== null && decoded !== '') return decoded;
  }
  const quoted = /(?:^|;)\s*filename\s*=\s*"((?:[^"\\]|\\.)*)"/i.exec(header)?.[1];
  if (quoted !== undefined) return quoted.replace(/\\(.)/g, '$1') || null;
  const bare = /(?:^|;)\s*filename\s*=\s*([^;]+)/i.exec(header)?.[1]?.trim();
  return bare === undefined || bare === '' ? null : bare;
}

/** `UTF-8''na%C3%AFve.pdf` → `naïve.pdf`; ISO-8859-1 too; `null` when malformed. */
function decodeExtendedValue(value: string): string | null {
  const match = /^([\w!#$%&+^`{}~-]+)'[\w-]*'(.*)$/.exec(value.replace(/^"|"$/g, ''));
  if (match === null) return null;
  const charset = (match[1] ?? '').toLowerCase();
  const encoded = match[2] ?? '';
  try {
    if (charset === 'utf-8') return decodeURIComponent(encoded);
    if (charset === 'iso-8859-1' || charset === 'latin1') {
      return Buffer.from(encoded.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('latin1');
    }
  } catch {
    return null;
  }
  return null;
}

/** The URL's last non-empty path segment, percent-decoded (`…/file/12/Q1%20plan.pdf` → `Q1 plan.pdf`). */
export function lastUrlSegment(url: string): string {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    path = url.split(/[?#]/)[0] ?? '';
  }
  const segment = path.split('/').filter((part) => part !== '').at(-1) ?? '';
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
