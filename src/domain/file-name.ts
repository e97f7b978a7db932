/**
 * File names that are safe on Windows, macOS and Linux alike, so an output folder can be copied
 * anywhere. Unicode is kept (NFC, the form macOS and Windows both show the same way).
 */

export const MAX_FILE_NAME_CHARS = 150;
/** ext4 and most Linux file systems stop at 255 bytes; leave room for ` (99)` and a temp suffix. */
const MAX_FILE_NAME_BYTES = 230;
/** What an attachment is called when nothing usable is left of its name. */
export const FALLBACK_FILE_NAME = 'attachment';

// Windows refuses these as a name's stem whatever the case or extension (`con.txt`, `Nul.tar.gz`).
const RESERVED_STEM = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i;
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARS = /[<>:"/\\|?*\u0000-\u001f\u007f-\u009f]/g;
const EXTENSION = /\.[\p{L}\p{N}_-]{1,16}$/u;

/** `name` cleaned so that every supported OS accepts it as one file name (never a path). */
export function safeFileName(name: string, fallback: string = FALLBACK_FILE_NAME): string {
  let clean = name
    .normalize('NFC')
    .replace(UNSAFE_CHARS, '_')
    .replace(/\s+/gu, ' ')
    // `..` anywhere could read as a parent folder to a careless consumer; one dot keeps the meaning.
    .replace(/\.{2,}/g, '.')
    .trim()
    .replace(/^\.+/, '')
    .replace(/[. ]+$/u, '');
  if (clean === '' || clean === '_') clean = fallback;
  const stem = clean.split('.')[0] ?? '';
  if (RESERVED_STEM.test(stem.trim())) clean = `_${clean}`;
  return shorten(clean, '');
}

/**
 * `name` with ` (2)`, ` (3)`, … before its extension until it differs from every name in
 * `taken`, compared case-insensitively because Windows and macOS folders are.
 */
export function uniqueFileName(name: string, taken: Iterable<string>): string {
  const used = new Set<string>();
  for (const other of taken) used.add(foldCase(other));
  if (!used.has(foldCase(name))) return name;
  for (let n = 2; ; n += 1) {
    const candidate = shorten(name, ` (${n})`);
    if (!used.has(foldCase(candidate))) return candidate;
  }
}

/** Splits `report.final.pdf` into `report.final` and `.pdf`; no extension gives `''`. */
export function splitExtension(name: string): { stem: string; extension: string } {
  const match = EXTENSION.exec(name);
  if (match === null || match.index === 0) return { stem: name, extension: '' };
  return { stem: name.slice(0, match.index), extension: match[0] };
}

/** `name` with `suffix` inserted before the extension, cut to the length limits, extension kept. */
function shorten(name: string, suffix: string): string {
  const { stem, extension } = splitExtension(name);
  const tail = `${suffix}${extension}`;
  const stemChars = Array.from(stem);
  const charBudget = MAX_FILE_NAME_CHARS - Array.from(tail).length;
  let cut = stemChars.slice(0, Math.max(1, charBudget));
  const tailBytes = Buffer.byteLength(tail);
  while (cut.length > 1 && Buffer.byteLength(cut.join('')) + tailBytes > MAX_FILE_NAME_BYTES) cut = cut.slice(0, -1);
  const cutStem = cut.join('').replace(/[. ]+$/u, '');
  return `${cutStem === '' ? FALLBACK_FILE_NAME : cutStem}${tail}`;
}

function foldCase(name: string): string {
  return name.normalize('NFC').toLowerCase();
}
