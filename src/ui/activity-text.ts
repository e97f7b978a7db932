import type { WorkerStopReason } from '../engine/events.ts';
import { formatSeconds } from './human-units.ts';
import type { Activity } from './run-view.ts';
import { scrubSecrets } from './scrub-secrets.ts';
import { oneLine } from './text-width.ts';

/**
 * One line of what just happened, shared by the dashboard's recent list and plain output.
 * Users see "browser", not "worker": each worker is one browser window signed in to Coupa.
 */

/** Engine text on one line, without secrets (error messages can quote cookies or tokens). */
function shown(text: string): string {
  return oneLine(scrubSecrets(text)).trim();
}

const STOP_TEXT: Readonly<Record<WorkerStopReason, string>> = {
  recycled: 'restarted to stay fast',
  crashed: 'crashed; a new one takes its place',
  hung: 'stopped answering; a new one takes its place',
  memory: 'used too much memory; a new one takes its place',
  retired: 'closed',
  'scaled-down': 'closed to spare the computer',
  stopped: 'closed',
};

export function outcomeText(key: string, status: string, message: string, durationMs: number): string {
  const parts = [key, status];
  const detail = shown(message);
  if (detail !== '') parts.push(detail);
  parts.push(`(${formatSeconds(durationMs)})`);
  return parts.join('  ');
}

export function retryText(key: string, attempt: number, delayMs: number, reason: string): string {
  return `${key}  trying again (attempt ${attempt}) in ${formatSeconds(delayMs)}: ${shown(reason)}`;
}

export function workerStoppedText(workerId: number, reason: WorkerStopReason, detail: string): string {
  const what = STOP_TEXT[reason] ?? String(reason);
  const why = shown(detail);
  return `browser ${workerId} ${what}${why === '' ? '' : ` (${why})`}`;
}

export function activityText(activity: Activity): string {
  switch (activity.kind) {
    case 'finished':
      return outcomeText(activity.key, activity.status, activity.message, activity.durationMs);
    case 'retry':
      return retryText(activity.key, activity.attempt, activity.delayMs, activity.reason);
    case 'worker-stopped':
      return workerStoppedText(activity.workerId, activity.reason, activity.detail);
  }
}
