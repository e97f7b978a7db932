import React from 'react';
import { Box, Text } from 'ink';
import type { TextProps } from 'ink';
import { dashboardLines } from './dashboard-layout.ts';
import type { DashboardInput } from './dashboard-layout.ts';
import type { ScreenLine, Tone } from './screen-line.ts';

/** The Ink component that draws the laid-out lines; all decisions are in `dashboardLines`. */

// Node runs .ts by stripping types, which leaves JSX untouched, so elements are built by hand.
const h = React.createElement;

const TONE_PROPS: Readonly<Record<Tone, TextProps>> = {
  good: { color: 'green' },
  warn: { color: 'yellow' },
  bad: { color: 'red' },
  dim: { dimColor: true },
  accent: { color: 'cyan' },
  strong: { bold: true },
  plain: {},
};

function lineElement(line: ScreenLine, index: number): React.ReactElement {
  // An empty Text takes no row; a blank line in the summary must keep its row.
  const pieces = line.segments.map((segment, i) => h(Text, { key: i, ...TONE_PROPS[segment.tone] }, segment.text));
  // Cut lines are already fitted; `truncate-end` only guards against a width this code misjudged.
  return h(Text, { key: index, wrap: line.keepWhole ? 'wrap' : 'truncate-end' }, ...(pieces.length > 0 && line.segments.some((segment) => segment.text !== '') ? pieces : [' ']));
}

export function DashboardView(props: DashboardInput): React.ReactElement {
  return h(Box, { flexDirection: 'column', width: props.columns }, ...dashboardLines(props).map(lineElement));
}
