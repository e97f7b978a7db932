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

  const hint = screenLine([seg('Ctrl-C stops after the POs in progress; the next run resumes.', 'dim')]);
  // Header, two rules, the recent title and the hint are fixed; one row stays free for the cursor.
  const budget = input.rows - header.length - 4 - 1;
  let workers: ScreenLine[] = [];
  let recentCount = 0;
  for (const level of LEVELS) {
    workers = view.workers.flatMap((worker) => workerLines(worker, columns, level.files));
    recentCount = Math.min(level.recent, view.recent.length);
    if (workers.length + recentCount <= budget) break;
  }
  if (workers.length + recentCount > budget) {
    const room = Math.max(1, budget - recentCount - 1);
    const hidden = workers.length - room;
    workers = [...workers.slice(0, room), screenLine([seg(`… and ${hidden} more browser lines (enlarge the window to see them)`, 'dim')])];
  }
  const recent = view.recent.slice(0, recentCount).map((activity) => screenLine([seg('  '), seg(activityText(activity), activityTone(activity))]));
  const lines = [
    ...header,
    rule(columns),
    ...(workers.length > 0 ? workers : [screenLine([seg('No browser is open yet.', 'dim')])]),
    rule(columns),
    screenLine([seg('Recent', 'strong')]),
    ...recent,
    hint,
  ];
  return lines.map((line) => clipLine(line, columns));
}
