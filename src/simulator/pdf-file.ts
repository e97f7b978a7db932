import type { SeededRandom } from './seeded-random.ts';

export interface PdfContent {
  readonly lines: readonly string[];
  /** The PDF is padded to exactly this many bytes when its text alone is smaller. */
  readonly targetSizeBytes: number;
  /** Source of the padding, so the bytes depend on the attachment and not only on the size. */
  readonly random: SeededRandom;
}

/**
 * A small, valid one-page PDF (Helvetica text), hand-written so we need no PDF library.
 * Padding goes into an unreferenced stream object, which readers skip, and the cross-reference
 * table is computed from the real offsets, so the file stays valid at any size.
 */
export function makePdf(content: PdfContent): Uint8Array {
  const base = renderPdf(content.lines, '');
  const missing = content.targetSizeBytes - base.length;
  if (missing <= 0) return base;
  // The padding's /Length digits change the size too: settle it in two passes.
  const padding = content.random.letters(missing);
  let padded = renderPdf(content.lines, padding);
  const over = padded.length - content.targetSizeBytes;
  if (over > 0) padded = renderPdf(content.lines, padding.slice(0, Math.max(0, padding.length - over)));
  return padded;
}

function renderPdf(lines: readonly string[], padding: string): Uint8Array {
  const text = lines
    .map((line, index) => `BT /F1 12 Tf 56 ${String(780 - index * 18)} Td (${pdfString(line)}) Tj ET`)
    .join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /Length ${String(text.length)} >>\nstream\n${text}\nendstream`,
    `<< /Length ${String(padding.length)} >>\nstream\n${padding}\nendstream`,
  ];
  // Every character is written as one Latin-1 byte, so string lengths are byte offsets.
  let body = '%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(body.length);
    body += `${String(index + 1)} 0 obj\n${object}\nendobj\n`;
  });
  const xrefOffset = body.length;
  const xref = [
    'xref',
    `0 ${String(objects.length + 1)}`,
    '0000000000 65535 f ',
    ...offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n `),
    'trailer',
    `<< /Size ${String(objects.length + 1)} /Root 1 0 R >>`,
    'startxref',
    String(xrefOffset),
    '%%EOF',
    '',
  ].join('\n');
  return Uint8Array.from(Buffer.from(body + xref, 'latin1'));
}

/** PDF literal strings: escape the delimiters; Helvetica has no glyphs beyond Latin-1, so others become '?'. */
function pdfString(text: string): string {
  return text.replace(/[\\()]/g, (char) => `\\${char}`).replace(/[^\x20-\x7e]/g, '?');
}
