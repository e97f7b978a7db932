/**
 * Terminal cell width of text, so dashboard rows can be clipped and padded to the terminal
 * width before Ink sees them. Supplier and file names come from Coupa and may be Chinese,
 * Japanese or carry accents: wide characters take two cells, combining marks none.
 */

// East Asian Wide/Fullwidth blocks and emoji; enough for names seen in purchase orders.
const WIDE_RANGES: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f], [0x2e80, 0x303e], [0x3041, 0x33ff], [0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xa000, 0xa4cf],
  [0xac00, 0xd7a3], [0xf900, 0xfaff], [0xfe30, 0xfe4f], [0xff00, 0xff60], [0xffe0, 0xffe6],
  [0x1f300, 0x1f64f], [0x1f900, 0x1f9ff], [0x20000, 0x3fffd],
];
// Combining marks, zero-width spaces and joiners, variation selectors.
const ZERO_RANGES: readonly (readonly [number, number])[] = [[0x0300, 0x036f], [0x200b, 0x200f], [0x20d0, 0x20ff], [0xfe00, 0xfe0f]];

function inRanges(code: number, ranges: readonly (readonly [number, number])[]): boolean {
  return ranges.some(([from, to]) => code >= from && code <= to);
}
// eslint-disable-next-line no-control-regex -- matching terminal escape sequences is the point
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]|\u001b\][^\u0007]*\u0007/g;
// eslint-disable-next-line no-control-regex -- control characters in names would move the cursor
const CONTROL = /[\u0000-\u001f\u007f]/g;

function charWidth(char: string): number {
  const code = char.codePointAt(0) ?? 0;
  if (inRanges(code, ZERO_RANGES)) return 0;
  return inRanges(code, WIDE_RANGES) ? 2 : 1;
}

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** Text from outside (names, messages) made safe for one terminal line. */
export function oneLine(text: string): string {
  return stripAnsi(text).replace(/\s*[\r\n]+\s*/g, ' ').replace(CONTROL, '');
}

export function textWidth(text: string): number {
  let width = 0;
  for (const char of stripAnsi(text)) width += charWidth(char);
  return width;
}

/** Cuts text to at most `width` cells, ending with `…` when something was cut. */
export function clipText(text: string, width: number): string {
  if (width <= 0) return '';
  if (textWidth(text) <= width) return text;
  let out = '';
  let used = 0;
  for (const char of text) {
    const w = charWidth(char);
    if (used + w > width - 1) break;
    out += char;
    used += w;
  }
  return `${out}…`;
}

/** Clips then pads with spaces to exactly `width` cells, for columns that line up. */
export function fitText(text: string, width: number): string {
  const clipped = clipText(text, width);
  return clipped + ' '.repeat(Math.max(0, width - textWidth(clipped)));
}
