import { formatBytes, formatClock, formatEta, formatRate } from './human-units.ts';
import type { RunMetrics } from './run-metrics.ts';
import { orderedCounts, statusTone } from './run-summary.ts';
import type { RunState, RunView } from './run-view.ts';
import { flowLines, screenLine, seg } from './screen-line.ts';
import type { ScreenLine, Segment, Tone } from './screen-line.ts';
import { oneLine } from './text-width.ts';

/** The dashboard's top lines: where the run stands, how fast it goes, how the computer copes. */

const STATE_LABEL: Readonly<Record<RunState, readonly [string, Tone]>> = {
  starting: ['STARTING', 'accent'],
  running: ['RUNNING', 'good'],
  held: ['PAUSED', 'warn'],
  stopping: ['STOPPING', 'warn'],
  finished: ['FINISHED', 'strong'],
};

function toneOfStatus(status: string): Tone {
  const tone = statusTone(status);
  return tone === 'good' || tone === 'bad' ? tone : 'warn';
}

export function headerLines(view: RunView, metrics: RunMetrics, columns: number): readonly ScreenLine[] {
  const [label, tone] = view.end?.interrupted === true ? (['STOPPED', 'warn'] as const) : STATE_LABEL[view.state];
  const percent = view.total > 0 ? Math.floor((view.done / view.total) * 100) : 0;
  // Each figure is a token: on a narrow terminal they flow onto the next line instead of being cut.
  const first: Segment[] = [
    seg('coupa-dl', 'dim'),
    seg(label, tone),
    seg(`${view.done}/${view.total} done (${percent}%)`, 'strong'),
    seg(`elapsed ${formatClock(metrics.elapsedMs)}`),
  ];
  if (view.state !== 'finished' && metrics.remaining > 0) first.push(seg(`ETA ${formatEta(metrics.etaMs)}`));
  const lines: ScreenLine[] = [...flowLines(first, columns)];

  const counts = orderedCounts(view.counts).map(([status, count]) => seg(`${status} ${count}`, toneOfStatus(status)));
  if (counts.length === 0) lines.push(screenLine([seg('No PO finished yet.', 'dim')]));
  else lines.push(...flowLines(counts, columns));

  const pace: Segment[] = [seg(`${formatRate(metrics.posPerMinute)} POs/min`)];
  if (view.stats !== null) {
    const { cpuPercent, memoryUsedPercent, browserMemoryBytes } = view.stats;
    pace.push(seg(`CPU ${Math.round(cpuPercent)}%`, cpuPercent >= 90 ? 'warn' : 'plain'));
    pace.push(seg(`memory ${Math.round(memoryUsedPercent)}% (browsers ${formatBytes(browserMemoryBytes)})`, memoryUsedPercent >= 90 ? 'warn' : 'plain'));
  }
  pace.push(seg(`browsers ${view.activeWorkers} of ${view.targetWorkers}`));
  lines.push(...flowLines(pace, columns));

  if (view.state === 'held') {
    lines.push(screenLine([seg(`Paused: ${oneLine(view.heldReason ?? '')}`, 'warn')]));
  } else if (view.state === 'stopping') {
    lines.push(screenLine([seg('Stopping: finishing the POs in progress. Press Ctrl-C again to stop at once.', 'warn')]));
  }
  return lines;
}
