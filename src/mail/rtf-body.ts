import { decompressRTF } from '@kenjiuno/decompressrtf';
import iconv from 'iconv-lite';
import { deEncapsulateSync } from 'rtf-stream-parser';

/** What an Outlook RTF body held: encapsulated HTML or encapsulated plain text. */
export interface RtfBody {
  readonly kind: 'html' | 'text';
  readonly content: string;
}

/**
 * The body inside Outlook's PR_RTF_COMPRESSED: decompressed (MS-OXRTFCP), then unwrapped
 * (MS-OXRTFEX) when it encapsulates HTML or text. A body that is genuine RTF (written in
 * WordPad style, not encapsulated) gives null: the caller then shows the plain body, which
 * Outlook keeps beside it. Characters in the RTF's code pages are decoded with iconv-lite, so
 * nothing is forced through Latin-1.
 */
export function bodyFromCompressedRtf(compressed: Uint8Array): RtfBody | null {
  const rtf = Buffer.from(decompressRTF(Array.from(compressed)));
  if (!/\\from(html|text)/.test(rtf.subarray(0, 1024).toString('latin1'))) return null;
  const result = deEncapsulateSync(rtf, {
    decode: (bytes: Buffer, encoding: string) => iconv.decode(bytes, encoding),
    mode: 'either',
    // The HTML comes back as a JavaScript string: a <meta charset> naming the RTF's code page would be wrong now.
    htmlFixContentType: true,
    warn: () => {},
  });
  const content = typeof result.text === 'string' ? result.text : result.text.toString('utf8');
  return { kind: result.mode, content };
}
