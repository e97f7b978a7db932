import type { PoTask } from '../../domain/po-outcome.ts';
import { chromium } from '../../browser/chromium.ts';
import { launchOptions } from '../../browser/launch.ts';
import type { StateStore } from '../../state/state-store.ts';
import type { App } from '../app.ts';
import type { RunConfig } from '../settings.ts';
import { MailConversions, type ConversionLog } from './mail-conversions.ts';
import { mailPdfSettings } from './pdf-settings.ts';

export interface StartConversions {
  readonly app: App;
  readonly config: Pick<RunConfig, 'mailPdf' | 'mailPdfSuffix' | 'mailInlineImageMinKb' | 'pdfPageSize'>;
  readonly outDir: string;
  readonly store: StateStore;
  /** The browser program that prints the mails (a function: asked when the first mail is printed). */
  readonly executablePath: string | (() => string);
  readonly log: ConversionLog;
  /** The POs this run fetches: their mails are queued when they end, not now. */
  readonly fetching: readonly Pick<PoTask, 'poId'>[];
  /** Unreadable mails tried again (`report --convert`). */
  readonly retryUnreadable?: boolean;
  /** Queue only, until `start()`. */
  readonly paused?: boolean;
}

/**
 * The conversions of a run (null with `--no-mail-pdf`), with the mails already waiting queued:
 * those of every PO the output folder knows that this run does not fetch, whether it ended in an
 * earlier run or in a batch finished before mails were converted at all.
 */
export function startMailConversions(start: StartConversions): MailConversions | null {
  if (!start.config.mailPdf) return null;
  const conversions = new MailConversions({
    outDir: start.outDir,
    settings: mailPdfSettings(start.config),
    launchBrowser: async () => {
      const executablePath = typeof start.executablePath === 'string' ? start.executablePath : start.executablePath();
      // The CLI owns Ctrl-C: left to Playwright, the first Ctrl-C would close every browser it started, the workers' too.
      return (await chromium()).launch({ ...launchOptions({ executablePath, headless: true, isRoot: start.app.isRoot }), handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false });
    },
    store: start.store,
    log: start.log,
    signal: start.app.interrupt,
    retryUnreadable: start.retryUnreadable ?? false,
    paused: start.paused ?? false,
  });
  const fetching = new Set(start.fetching.map((task) => task.poId));
  for (const po of start.store.listPos()) {
    if (!fetching.has(po.poId) && po.outcome !== null) conversions.add(po.poId, po.outcome.files);
  }
  return conversions;
}
