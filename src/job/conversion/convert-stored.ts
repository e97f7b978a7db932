import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findBrowser } from '../../browser/find-browser.ts';
import type { ConversionCounts } from '../../mail/index.ts';
import type { StateStore } from '../../state/state-store.ts';
import { openRunLog, runLogPath } from '../../ui/run-log.ts';
import { line, type App } from '../app.ts';
import type { RunConfig } from '../settings.ts';
import { startMailConversions } from './run-conversions.ts';

export interface ConvertStored {
  readonly app: App;
  readonly outDir: string;
  readonly store: StateStore;
  readonly config: Pick<RunConfig, 'browser' | 'mailPdfSuffix' | 'mailInlineImageMinKb' | 'pdfPageSize'>;
  /** Unreadable mails tried again: `report --convert` asks for it, a `retry` with nothing to fetch does not. */
  readonly retryUnreadable: boolean;
  /** What the state's run history calls this (`report --convert`, `retry`). */
  readonly command: string;
}

/**
 * Converts the mails of an output folder that are not converted yet, from the files on disk and
 * the state alone: no Coupa, no sign-in, nothing fetched. Takes the folder's run lock (it writes
 * beside the downloads and into the state) and keeps a log like a run. Returns the counts, or
 * null when there was nothing to convert (no browser is started then).
 */
export async function convertStoredMails({ app, outDir, store, config, retryUnreadable, command }: ConvertStored): Promise<ConversionCounts | null> {
  const last = store.lastRun();
  const runId = store.beginRun({ command, inputPath: last?.inputPath ?? '', baseUrl: last?.baseUrl ?? '' });
  const log = openRunLog({ filePath: runLogPath(join(outDir, '.coupa-dl'), new Date()) });
  try {
    let executablePath = '';
    // Queued without converting first: the browser is looked for only when a mail needs it.
    await using conversions = startMailConversions({ app, config: { ...config, mailPdf: true }, outDir, store, executablePath: () => executablePath, log, fetching: [], retryUnreadable, paused: true });
    const queued = conversions?.queued ?? 0;
    if (conversions === null || queued === 0) return null;
    executablePath = findBrowser(config.browser, { platform: app.platform, env: app.env, exists: existsSync }).executablePath;
    conversions.start();
    line(app.stderr, `Converting ${queued} mail${queued === 1 ? '' : 's'} of ${outDir} to PDF (Ctrl-C stops; the rest is converted next time)…`);
    log.info('Converting stored mails', { command, queued });
    const counts = await conversions.finish();
    log.info('Stored mails converted', { counts, interrupted: app.interrupt.aborted });
    return counts;
  } finally {
    store.endRun(runId, { interrupted: app.interrupt.aborted });
    await log.close();
  }
}
