import { clipText, textWidth } from './text-width.ts';

/**
 * One dashboard line as styled pieces, laid out by pure functions and drawn by Ink.
 * Lines are cut to the terminal width here, so the terminal never wraps them into a mess.
 */
export type Tone = 'good' | 'warn' | 'bad' | 'dim' | 'accent' | 'strong' | 'plain';

export interface Segment {
  readonly text: string;
  readonly tone: Tone;
}

export interface ScreenLine {
  readonly segments: readonly Segment[];
  /** Paths and commands are wrapped by the display instead of being cut. */
  readonly keepWhole: boolean;
}

export function seg(text: string, tone: Tone = 'plain'): Segment {
  return { text, tone };
}

export function screenLine(segments: readonly Segment[], keepWhole = false): ScreenLine {
  return { segments, keepWhole };
}

export function lineText(line: ScreenLine): string {
  return line.segments.map((segment) => segment.text).join('');
}

/** Keeps whole segments while they fit, cuts the first that does not with `…`, drops the rest. */
export function clipLine(line: ScreenLine, width: number): ScreenLine {
  if (line.keepWhole) return line;
  const out: Segment[] = [];
  let used = 0;
  for (const segment of line.segments) {
    const w = textWidth(segment.text);
    if (used + w <= width) {
      out.push(segment);
      used += w;
      continue;
    }
    const rest = clipText(segment.text, width - used);
    if (rest !== '') out.push({ text: rest, tone: segment.tone });
    break;
  }
  return { segments: out, keepWhole: false };
}

/**
 * Lays tokens out left to right, starting a new line before a token that would not fit,
 * so a list like the counts by status stays readable at any width.
 */
export function flowLines(tokens: readonly Segment[], width: number, gap = '  ', indent = ''): readonly ScreenLine[] {
  const lines: ScreenLine[] = [];
  let current: Segment[] = [];
  let used = 0;
  for (const token of tokens) {
    const w = textWidth(token.text);
    const need = current.length === 0 ? textWidth(indent) + w : gap.length + w;
    if (current.length > 0 && used + need > width) {
      lines.push(screenLine(current));
      current = [];
      used = 0;
    }
    if (current.length === 0) {
      if (indent !== '') current.push(seg(indent));
      used = textWidth(indent);
    } else {
      current.push(seg(gap));
      used += gap.length;
    }
    current.push(token);
    used += w;
  }
  if (current.length > 0) lines.push(screenLine(current));
  return lines.map((line) => clipLine(line, width));
}
