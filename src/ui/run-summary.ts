import { PO_STATUSES, RETRIED_STATUSES, UNSUCCESSFUL_STATUSES, type PoStatus } from '../domain/status.ts';
import { formatDuration } from './human-units.ts';
import type { RunView } from './run-view.ts';

/** Where the run's results are, and how to retry; given by the caller that knows the paths. */
export interface FinalSummary {
  readonly outDir: string;
  readonly reportPaths: readonly string[];
  /** The exact command that retries what failed; `null` when there is no such command. */
  readonly retryCommand: string | null;
  /**
   * Rows of the report by status (every input row, including invalid and already-done ones).
   * When given, the table shows these instead of the counts of this run's POs alone.
   */
  readonly reportCounts?: Readonly<Record<string, number>>;
  /** Mails converted to PDF by this run (attached mails included); absent when mails are not converted. */
  readonly mailConversions?: { readonly done: number; readonly failed: number; readonly skipped: number };
  /** POs by the way they were last fetched (`browser`, `api`); shown when any came through the API. */
  readonly sources?: Readonly<Record<string, number>>;
}

export type SummaryTone = 'heading' | 'good' | 'warn' | 'bad' | 'normal' | 'command';

export interface SummaryLine {
  readonly text: string;
  readonly tone: SummaryTone;
  /** Paths and commands are copied by users: a display wraps them rather than cutting them. */
  readonly keepWhole: boolean;
}

const MEANING: Readonly<Record<PoStatus | 'PENDING', string>> = {
  COMPLETED: 'all attachments downloaded',
  PARTIAL: 'some attachments could not be downloaded',
  FAILED: 'an error stopped the download (see the report)',
  NO_ATTACHMENTS: 'the PO has no attachments',
  PO_NOT_FOUND: 'Coupa has no PO with this number',
  ACCESS_DENIED: 'your Coupa account may not open this PO',
  PR_NOT_ACCESSIBLE: 'the requisition behind the PO could not be opened',
  TIMEOUT: 'Coupa did not answer in time',
  INVALID_PO: 'not a valid PO number in the sheet',
  NEEDS_REVIEW: 'the page could not be read with certainty: look at it (SAVED_PAGE)',
  PENDING: 'not reached yet: run the same command again to resume',
};

const STATUS_COLUMN = 'PR_NOT_ACCESSIBLE'.length + 2;

/** Statuses in the order users know from the report; statuses unknown to this version last. */
export function orderedCounts(counts: Readonly<Record<string, number>>): readonly (readonly [string, number])[] {
  const known = PO_STATUSES.filter((status) => (counts[status] ?? 0) > 0).map((status) => [status, counts[status] ?? 0] as const);
  const unknown = Object.keys(counts)
    .filter((status) => !(PO_STATUSES as readonly string[]).includes(status) && (counts[status] ?? 0) > 0)
    .sort()
    .map((status) => [status, counts[status] ?? 0] as const);
  return [...known, ...unknown];
}

export function statusTone(status: string): SummaryTone {
  if (status === 'COMPLETED') return 'good';
  return (UNSUCCESSFUL_STATUSES as readonly string[]).includes(status) ? 'bad' : 'warn';
}

function line(text: string, tone: SummaryTone = 'normal', keepWhole = false): SummaryLine {
  return { text, tone, keepWhole };
}

/** The end-of-run summary, as lines shared by the dashboard's final view and plain output. */
export function summaryLines(view: RunView, summary: FinalSummary): readonly SummaryLine[] {
  const counts = view.end !== null && Object.keys(view.end.counts).length > 0 ? view.end.counts : view.counts;
  // Tasks handed back unfinished (Ctrl-C, a stopped run) are counted as 'returned' by the engine: not done.
  const done = Object.entries(counts).reduce((sum, [status, n]) => (status === 'returned' ? sum : sum + n), 0);
  // Without the final event (the run broke off), the last event seen marks the end.
  const fallbackMs = view.startedAt !== null && view.lastEventAt !== null ? view.lastEventAt - view.startedAt : 0;
  const took = formatDuration(view.end?.durationMs ?? fallbackMs);
  const lines: SummaryLine[] = [];
  if (view.end?.interrupted === true) {
    lines.push(line(`Stopped after ${took}: ${done} of ${view.total} POs done; the rest are left for the next run.`, 'heading'));
  } else {
    lines.push(line(`Finished in ${took}: ${done} of ${view.total} POs.`, 'heading'));
  }
  const table = summary.reportCounts ?? counts;
  const rows = orderedCounts(table).filter(([, count]) => summary.reportCounts === undefined || count > 0);
  if (rows.length === 0) lines.push(line('  No PO was processed.'));
  for (const [status, count] of rows) {
    const meaning = (MEANING as Readonly<Record<string, string>>)[status] ?? '';
    lines.push(line(`  ${status.padEnd(STATUS_COLUMN)}${String(count).padStart(6)}   ${meaning}`.trimEnd(), statusTone(status)));
  }
  const mails = summary.mailConversions;
  if (mails !== undefined && mails.done + mails.failed + mails.skipped > 0) {
    const rest = [mails.failed > 0 ? `${mails.failed} could not be (see CONVERSION in the Files sheet)` : '', mails.skipped > 0 ? `${mails.skipped} attached too deep, kept as they are` : ''].filter(Boolean);
    lines.push(line(`  Mails converted to PDF: ${mails.done}${rest.length === 0 ? '' : `; ${rest.join('; ')}`}.`, mails.failed > 0 ? 'warn' : 'normal'));
  }
  const sources = sourcesLine(summary.sources);
  if (sources !== null) lines.push(line(sources));
  lines.push(line(''));
  lines.push(line(`Files:   ${summary.outDir}`, 'normal', true));
  summary.reportPaths.forEach((path, index) => {
    lines.push(line(`${index === 0 ? 'Report:  ' : '         '}${path}`, 'normal', true));
  });
  const toRetry = RETRIED_STATUSES.reduce((sum, status) => sum + (table[status] ?? 0), 0) + (table['PENDING'] ?? 0);
  if (summary.retryCommand !== null && toRetry > 0) {
    lines.push(line(''));
    lines.push(line(`To try the ${toRetry} PO${toRetry === 1 ? '' : 's'} that did not finish again, run:`, 'heading'));
    lines.push(line(`  ${summary.retryCommand}`, 'command', true));
  }
  return lines;
}

/** "Fetched: 180 POs through Coupa's API, 20 in the browser." — only when the API was used at all. */
export function sourcesLine(sources: Readonly<Record<string, number>> | undefined): string | null {
  const api = sources?.['api'] ?? 0;
  const browser = sources?.['browser'] ?? 0;
  if (api === 0) return null;
  const pos = (n: number) => `${n} PO${n === 1 ? '' : 's'}`;
  return `  Fetched: ${pos(api)} through Coupa's API${browser > 0 ? `, ${pos(browser)} in the browser` : ''}.`;
}

export function summaryText(view: RunView, summary: FinalSummary): string {
  return summaryLines(view, summary).map((entry) => entry.text).join('\n') + '\n';
}
