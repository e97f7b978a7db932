import { crc32 } from 'node:zlib';

/**
 * Outlook's compressed RTF (MS-OXRTFCP, "LZFu"), as it stores a mail body in PR_RTF_COMPRESSED.
 * Many real .msg files keep an HTML body only this way (HTML inside RTF, compressed), so the
 * simulator writes some of its mails like that for the converter to unwrap.
 */

/** The 207 bytes every compressed RTF stream starts its dictionary with (MS-OXRTFCP 2.1.3.1.1). */
export const RTF_DICTIONARY_PREFIX =
  '{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern \\fscript \\fdecor MS Sans SerifSymbolArial' +
  'Times New RomanCourier{\\colortbl\\red0\\green0\\blue0\r\n\\par \\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx';

const DICTIONARY_SIZE = 4096;
const COMPRESSED = 0x75465a4c; // "LZFu"
const MIN_MATCH = 2;
const MAX_MATCH = 17;
/** How many earlier places with the same two bytes a match is looked for in: enough for mail bodies. */
const CANDIDATES = 32;

/** `rtf` compressed with dictionary references where they pay, ending with the end-of-stream reference. */
export function compressRtf(rtf: Uint8Array): Uint8Array {
  const dictionary = new Uint8Array(DICTIONARY_SIZE);
  dictionary.set(Buffer.from(RTF_DICTIONARY_PREFIX, 'latin1'));
  // Absolute write positions: the dictionary slot is `position % 4096`.
  let written = RTF_DICTIONARY_PREFIX.length;
  const recent = new Map<number, number[]>();
  const remember = (position: number, first: number, second: number): void => {
    const key = (first << 8) | second;
    const list = recent.get(key) ?? [];
    list.push(position);
    if (list.length > CANDIDATES) list.shift();
    recent.set(key, list);
  };
  for (let p = 0; p + 1 < written; p += 1) remember(p, dictionary[p] ?? 0, dictionary[p + 1] ?? 0);

  const out: number[] = [];
  let at = 0;
  let ended = false;
  while (!ended) {
    const controlAt = out.length;
    out.push(0);
    let control = 0;
    for (let bit = 0; bit < 8; bit += 1) {
      if (at >= rtf.length) {
        // The end: a reference to where the next byte would be written.
        control |= 1 << bit;
        pushReference(out, written % DICTIONARY_SIZE, 0);
        ended = true;
        break;
      }
      const match = longestMatch(rtf, at, dictionary, written, recent);
      const length = match === null ? 1 : match.length;
      if (match !== null) {
        control |= 1 << bit;
        pushReference(out, match.position % DICTIONARY_SIZE, match.length);
      } else {
        out.push(rtf[at] ?? 0);
      }
      for (let k = 0; k < length; k += 1) {
        dictionary[(written + k) % DICTIONARY_SIZE] = rtf[at + k] ?? 0;
        if (written + k >= 1) remember(written + k - 1, dictionary[(written + k - 1) % DICTIONARY_SIZE] ?? 0, rtf[at + k] ?? 0);
      }
      written += length;
      at += length;
    }
    out[controlAt] = control;
  }

  const body = Uint8Array.from(out);
  const header = Buffer.alloc(16);
  header.writeUInt32LE(body.length + 12, 0);
  header.writeUInt32LE(rtf.length, 4);
  header.writeUInt32LE(COMPRESSED, 8);
  header.writeUInt32LE(rtfCrc(body), 12);
  return Buffer.concat([header, body]);
}

/**
 * MS-OXRTFCP's CRC: CRC-32's table, started at 0 and not inverted at the end. zlib's crc32 inverts
 * on the way in and out, so starting it from all ones and inverting its answer gives exactly that.
 */
export function rtfCrc(bytes: Uint8Array): number {
  return ~crc32(bytes, 0xffffffff) >>> 0;
}

interface Match {
  readonly position: number;
  readonly length: number;
}

function longestMatch(rtf: Uint8Array, at: number, dictionary: Uint8Array, written: number, recent: Map<number, number[]>): Match | null {
  if (at + 1 >= rtf.length) return null;
  const candidates = recent.get(((rtf[at] ?? 0) << 8) | (rtf[at + 1] ?? 0)) ?? [];
  let best: Match | null = null;
  for (let c = candidates.length - 1; c >= 0; c -= 1) {
    const position = candidates[c] ?? 0;
    // A reference may not point 4096 back (that slot is the end marker) nor at unwritten slots.
    if (written - position >= DICTIONARY_SIZE || position >= written) continue;
    let length = 0;
    while (length < MAX_MATCH && at + length < rtf.length) {
      const source = position + length;
      // Past the written end the copy reads the bytes it is itself writing, as the decompressor does.
      const byte = source < written ? dictionary[source % DICTIONARY_SIZE] : rtf[at + source - written];
      if (byte !== rtf[at + length]) break;
      length += 1;
    }
    if (length >= MIN_MATCH && (best === null || length > best.length)) best = { position, length };
    if (length === MAX_MATCH) break;
  }
  return best;
}

function pushReference(out: number[], offset: number, length: number): void {
  const token = (offset << 4) | Math.max(0, length - MIN_MATCH);
  out.push((token >>> 8) & 0xff, token & 0xff);
}
