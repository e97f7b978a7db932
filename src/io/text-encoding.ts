/**
 * Turns the bytes of a text file saved by some version of Excel (or Notepad) into a string.
 * Excel writes UTF-8 with a BOM ("CSV UTF-8"), UTF-16 LE with a BOM ("Unicode text"), or the
 * Windows code page with no marker at all (old "CSV"); other tools drop the BOM.
 */
export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface DecodedText {
  readonly text: string;
  readonly encoding: TextEncodingName;
}

export function decodeText(bytes: Uint8Array): DecodedText {
  const encoding = detectEncoding(bytes);
  // TextDecoder drops the BOM of the encoding it decodes by default (ignoreBOM: false).
  return { text: new TextDecoder(encoding).decode(bytes), encoding };
}

export function detectEncoding(bytes: Uint8Array): TextEncodingName {
  const [b0, b1, b2] = bytes;
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return 'utf-8';
  if (b0 === 0xff && b1 === 0xfe) return 'utf-16le';
  if (b0 === 0xfe && b1 === 0xff) return 'utf-16be';
  const utf16 = utf16ByNulBytes(bytes);
  if (utf16 !== null) return utf16;
  return isValidUtf8(bytes) ? 'utf-8' : 'windows-1252';
}

/**
 * UTF-16 without a BOM: text in Latin scripts has a NUL in every other byte (the high byte),
 * which no 8-bit text file has. Look at the first few KB only.
 */
function utf16ByNulBytes(bytes: Uint8Array): TextEncodingName | null {
  const sample = bytes.subarray(0, Math.min(bytes.length, 4096) & ~1);
  if (sample.length < 2) return null;
  let evenNuls = 0;
  let oddNuls = 0;
  for (let index = 0; index < sample.length; index += 2) {
    if (sample[index] === 0) evenNuls += 1;
    if (sample[index + 1] === 0) oddNuls += 1;
  }
  const pairs = sample.length / 2;
  if (oddNuls > pairs * 0.3 && evenNuls < pairs * 0.05) return 'utf-16le';
  if (evenNuls > pairs * 0.3 && oddNuls < pairs * 0.05) return 'utf-16be';
  return null;
}

function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}
