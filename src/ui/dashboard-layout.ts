import { activityText } from './activity-text.ts';
import { headerLines } from './dashboard-header.ts';
import { measureRun } from './run-metrics.ts';
import { statusTone, summaryLines } from './run-summary.ts';
import type { FinalSummary, SummaryTone } from './run-summary.ts';
import type { Activity, RunView } from './run-view.ts';
import { clipLine, screenLine, seg } from './screen-line.ts';
import type { ScreenLine, Tone } from './screen-line.ts';
import { workerLines } from './worker-rows.ts';

/**
 * The whole dashboard as lines, a pure function of the run view, the time and the terminal
 * size. Ink redraws the whole frame when it is as tall as the terminal (visible flicker), so
 * on a short terminal the layout gives up detail: fewer file bars, then a shorter recent list.
 */
export interface DashboardInput {
  readonly view: RunView;
  readonly now: number;
  readonly columns: number;
  readonly rows: number;
  /** Set once the run is over: the final view shows the summary instead of the workers. */
  readonly summary: FinalSummary | null;
}

const LEVELS: readonly { readonly files: number; readonly recent: number }[] = [
  { files: 2, recent: 8 },
  { files: 1, recent: 6 },
  { files: 0, recent: 5 },
  { files: 0, recent: 3 },
  { files: 0, recent: 0 },
];

function activityTone(activity: Activity): Tone {
  if (activity.kind === 'retry') return 'warn';
  if (activity.kind === 'worker-stopped') return activity.reason === 'crashed' || activity.reason === 'hung' ? 'bad' : 'dim';
  const tone = statusTone(activity.status);
  return tone === 'good' || tone === 'bad' ? tone : 'warn';
}

const SUMMARY_TONE: Readonly<Record<SummaryTone, Tone>> = {
  heading: 'strong',
  good: 'good',
  warn: 'warn',
  bad: 'bad',
  normal: 'plain',
  command: 'accent',
};

function rule(columns: number): ScreenLine {
  return screenLine([seg('─'.repeat(Math.max(0, columns)), 'dim')]);
}

export function dashboardLines(input: DashboardInput): readonly ScreenLine[] {
  const { view, columns } = input;
  const header = headerLines(view, measureRun(view, input.now), columns).map((line) => clipLine(line, columns));
  if (input.summary !== null) {
    const summary = summaryLines(view, input.summary).map((line) => clipLine(screenLine([seg(line.text, SUMMARY_TONE[line.tone])], line.keepWhole), columns));
    return [...header, rule(columns), ...summary];
  }

  const hint = screenLine([seg('Ctrl-C: stop after the POs in progress (the next run resumes).', 'dim')]);
  // One row stays free: a frame as tall as the terminal makes Ink clear and redraw the screen.
  const maxLines = Math.max(1, input.rows - 1);
  for (const level of LEVELS) {
    const recent = view.recent.slice(0, level.recent).map((activity) => screenLine([seg('  '), seg(activityText(activity), activityTone(activity))]));
    const recentBlock = recent.length > 0 ? [rule(columns), screenLine([seg('Recent', 'strong')]), ...recent] : [];
    const lines = [...header, rule(columns), ...workerBlock(view, columns, level.files), ...recentBlock, hint];
    if (lines.length <= maxLines) return lines.map((line) => clipLine(line, columns));
  }
  // Still too tall: the header, then as many browser rows as fit.
  const room = maxLines - header.length - 1;
  if (room <= 0) return header.slice(0, maxLines);
  const workers = workerBlock(view, columns, 0);
  const hidden = workers.length - room + 1;
  const shown = hidden <= 1 ? workers : [...workers.slice(0, room - 1), screenLine([seg(`… ${hidden} more browsers (enlarge the window to see them)`, 'dim')])];
  return [...header, rule(columns), ...shown].map((line) => clipLine(line, columns));
}

function workerBlock(view: RunView, columns: number, filesShown: number): readonly ScreenLine[] {
  const lines = view.workers.flatMap((worker) => workerLines(worker, columns, filesShown));
  return lines.length > 0 ? lines : [screenLine([seg('No browser is working right now.', 'dim')])];
}
