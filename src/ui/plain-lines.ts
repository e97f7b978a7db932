import type { EngineEvent } from '../engine/events.ts';
import { UNSUCCESSFUL_STATUSES } from '../domain/status.ts';
import { outcomeText, retryText, workerStoppedText } from './activity-text.ts';
import { formatEta, formatRate } from './human-units.ts';
import { measureRun } from './run-metrics.ts';
import { summaryText } from './run-summary.ts';
import type { FinalSummary } from './run-summary.ts';
import { initialRunView, reduceRunView } from './run-view.ts';
import type { RunView } from './run-view.ts';
import { oneLine } from './text-width.ts';

/**
 * Progress as plain lines, for output that is not a terminal (CI, a file, a pipe): one line
 * per outcome, retry and browser restart, and a progress line every few seconds. No cursor
 * movement or colour, so the output reads the same in a log viewer.
 */
export interface PlainLinesOptions {
  readonly out: NodeJS.WritableStream;
  readonly clock?: () => number;
  /** How often a progress line is written; checked on each event (the engine's stats arrive steadily). */
  readonly progressEveryMs?: number;
}

export interface PlainLines {
  readonly listener: (event: EngineEvent) => void;
  finish(summary: FinalSummary): void;
}

export function progressLine(view: RunView, now: number): string {
  const metrics = measureRun(view, now);
  const failed = UNSUCCESSFUL_STATUSES.reduce((sum, status) => sum + (view.counts[status] ?? 0), 0);
  return `progress: ${view.done}/${view.total} done, ${failed} failed, ${formatRate(metrics.posPerMinute)} POs/min, ETA ${formatEta(metrics.etaMs)}`;
}

function eventLine(view: RunView, event: EngineEvent): string | null {
  switch (event.type) {
    case 'run-started':
      return `starting: ${event.total} POs with ${event.targetWorkers} browser${event.targetWorkers === 1 ? '' : 's'}`;
    case 'task-finished':
      return `[${view.done}/${view.total}] ${outcomeText(event.key, event.status, event.message, event.durationMs)}`;
    case 'task-retry':
      return retryText(event.key, event.attempt, event.delayMs, event.reason);
    case 'worker-stopped':
      // Browsers closed at the end of the run are not news.
      return event.reason === 'stopped' ? null : workerStoppedText(event.workerId, event.reason, event.detail ?? '');
    case 'pool-scaled':
      return `browsers: ${event.active} running, aiming for ${event.target} (${oneLine(event.reason)})`;
    case 'pool-held':
      return `paused: ${oneLine(event.reason)}`;
    case 'pool-resumed':
      return 'resumed';
    case 'run-note':
      return `note: ${oneLine(event.message)}`;
    case 'interrupt':
      return event.second ? 'stopping now' : 'stopping: finishing the POs in progress (Ctrl-C again stops at once)';
    default:
      return null;
  }
}

export function startPlainLines(options: PlainLinesOptions): PlainLines {
  const clock = options.clock ?? Date.now;
  const everyMs = options.progressEveryMs ?? 10_000;
  let view: RunView = initialRunView;
  let lastProgressAt: number | null = null;
  const write = (line: string): void => {
    options.out.write(`${line}\n`);
  };

  return {
    listener(event) {
      view = reduceRunView(view, event);
      const line = eventLine(view, event);
      if (line !== null) write(line);
      const now = clock();
      if (event.type === 'run-started') lastProgressAt = now;
      if (view.state === 'finished' || lastProgressAt === null) return;
      if (now - lastProgressAt >= everyMs) {
        lastProgressAt = now;
        write(progressLine(view, now));
      }
    },
    finish(summary) {
      options.out.write(`\n${summaryText(view, summary)}`);
    },
  };
}
