import type { EngineEvent } from '../engine/events.ts';
import type { FinalSummary } from './run-summary.ts';
import { scrubValue } from './scrub-secrets.ts';

/**
 * Every engine event as one JSON object per line (`--json`), for scripts and dashboards of
 * other teams: `type` first, then an ISO `time`, then the event's own fields, unchanged
 * except that secrets quoted in messages are removed.
 */
export interface JsonLines {
  readonly listener: (event: EngineEvent) => void;
  /** Ends the stream with a `summary` object: where the files and reports are, what to retry. */
  finish(summary: FinalSummary): void;
}

function isoTime(at: number, clock: () => number): string {
  // A bad timestamp from a new event variant must not throw inside the run.
  return new Date(Number.isFinite(at) ? at : clock()).toISOString();
}

export function startJsonLines(options: { readonly out: NodeJS.WritableStream; readonly clock?: () => number }): JsonLines {
  const clock = options.clock ?? Date.now;
  let counts: Record<string, number> = {};
  const write = (record: Record<string, unknown>): void => {
    options.out.write(`${JSON.stringify(record)}\n`);
  };
  return {
    listener(event) {
      if (event.type === 'task-finished') counts = { ...counts, [event.status]: (counts[event.status] ?? 0) + 1 };
      if (event.type === 'run-finished') counts = { ...event.counts };
      const fields = scrubValue(event) as Record<string, unknown>;
      write({ type: event.type, time: isoTime(event.at, clock), ...fields });
    },
    finish(summary) {
      write({ type: 'summary', time: isoTime(clock(), clock), counts, outDir: summary.outDir, reportPaths: summary.reportPaths, retryCommand: summary.retryCommand, ...(summary.sources === undefined ? {} : { sources: summary.sources }), ...(summary.mailConversions === undefined ? {} : { mailConversions: summary.mailConversions }) });
    },
  };
}

/** The inverse of a line, for tests and tools reading `--json` output back. */
export function parseJsonLine(line: string): { readonly type: string; readonly time: string } & Record<string, unknown> {
  const record: unknown = JSON.parse(line);
  if (record === null || typeof record !== 'object' || !('type' in record) || typeof record.type !== 'string') {
    throw new Error(`Expected a JSON object with a \`type\`, got \`${line.slice(0, 80)}\`.`);
  }
  const time = 'time' in record && typeof record.time === 'string' ? record.time : '';
  return { ...(record as Record<string, unknown>), type: record.type, time };
}
