import { once } from 'node:events';
import path from 'node:path';
import pino from 'pino';
import type { EngineEvent } from '../engine/events.ts';
import { scrubSecrets, scrubValue } from './scrub-secrets.ts';

export { scrubSecrets } from './scrub-secrets.ts';

/**
 * The run's structured log in the output folder: every engine event and any message, as
 * JSON lines. Users attach it to support tickets, so every line passes the scrubber first
 * (scrub-secrets.ts): secret-named fields at any depth, cookies and passwords inside text.
 * Not pino's `redact` as well: its paths reached three levels where the scrubber reaches all,
 * and it cost ~60 µs and ~20 KB of garbage per line, ~20 lines per PO (measured).
 */
export interface RunLog {
  readonly filePath: string;
  readonly listener: (event: EngineEvent) => void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** Writes what is buffered and closes the file; safe to call twice. */
  close(): Promise<void>;
}

/** `<outDir>/logs/run-2025-01-15T09-00-00Z.log`: one file per run, sorted by start time. */
export function runLogPath(outDir: string, startedAt: Date): string {
  const stamp = startedAt.toISOString().replace(/\.\d{3}Z$/, 'Z').replaceAll(':', '-');
  return path.join(outDir, 'logs', `run-${stamp}.log`);
}

function eventLevel(event: EngineEvent): 'debug' | 'info' | 'warn' {
  switch (event.type) {
    case 'task-file-progress':
    case 'task-step':
    case 'stats':
      return 'debug';
    case 'task-finished':
      return event.ok ? 'info' : 'warn';
    case 'task-retry':
    case 'pool-held':
    case 'run-note':
      return 'warn';
    case 'worker-stopped':
      return event.reason === 'crashed' || event.reason === 'hung' || event.reason === 'memory' ? 'warn' : 'info';
    default:
      return 'info';
  }
}

export function openRunLog(options: { readonly filePath: string }): RunLog {
  // Asynchronous writes keep logging off the run's hot path; close() flushes them.
  const destination = pino.destination({ dest: options.filePath, sync: false, mkdir: true });
  const logger = pino(
    {
      level: 'debug',
      base: null,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
  let closed: Promise<void> | null = null;

  const log = (level: 'debug' | 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown> = {}): void => {
    if (closed !== null) return;
    logger[level](scrubValue(fields) as Record<string, unknown>, scrubSecrets(message));
  };

  return {
    filePath: options.filePath,
    listener(event) {
      const { type, ...fields } = event;
      log(eventLevel(event), type, { event: type, ...fields });
    },
    info: (message, fields) => log('info', message, fields),
    warn: (message, fields) => log('warn', message, fields),
    error: (message, fields) => log('error', message, fields),
    close() {
      closed ??= (async () => {
        const done = once(destination, 'close');
        destination.end();
        await done;
      })();
      return closed;
    },
  };
}
