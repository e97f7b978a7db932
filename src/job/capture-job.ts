import { resolve } from 'node:path';
import { launchBrowser } from '../browser/launch.ts';
import { capturePoPage } from '../coupa/page-capture.ts';
import { SETTLE_QUIET_MS } from '../coupa/page-settle.ts';
import { CoupaDlError } from '../domain/errors.ts';
import { parsePoNumber } from '../domain/po-number.ts';
import { EXIT, line, type App, type ExitCode } from './app.ts';
import { networkChoice } from './network.ts';
import { openSession } from './session/open-session.ts';
import type { RunConfig } from './settings.ts';

export const CAPTURE_FOLDER = 'coupa-dl-pages';

export interface CaptureRequest {
  readonly app: App;
  readonly config: RunConfig & { baseUrl: string };
  readonly poNumbers: readonly string[];
}

/**
 * `coupa-dl capture`: opens each PO with the run's sign-in and saves its page as a run saves the
 * pages it is unsure of, plus the HTML the server sent. Downloads nothing, changes nothing in Coupa.
 */
export async function runCapture({ app, config, poNumbers }: CaptureRequest): Promise<ExitCode> {
  const rule = { prefixes: config.poPrefixes, minDigits: config.poMinDigits };
  const parsed = poNumbers.map((raw) => parsePoNumber(raw, rule));
  const bad = parsed.filter((po) => !po.ok);
  for (const po of bad) if (!po.ok) line(app.stderr, `Skipped ${po.poNumber || '(empty)'}: ${po.problem}`);
  const pos = parsed.filter((po) => po.ok);
  if (pos.length === 0) {
    throw new CoupaDlError('CONFIG_INVALID', 'No valid PO number to capture.', { hint: 'Example: coupa-dl capture --po PO15262984 PO15262985 --base-url https://yourcompany.coupahost.com' });
  }
  const outDir = resolve(app.cwd, config.out ?? CAPTURE_FOLDER);
  await using session = await openSession({ app, config });
  const browser = await launchBrowser({ executablePath: session.executablePath, headless: !config.headed, isRoot: app.isRoot, proxy: networkChoice(app, config).browserProxy });
  let failed = 0;
  try {
    const context = await browser.newContext({ storageState: session.storageStatePath });
    for (const po of pos) {
      if (app.interrupt.aborted) break;
      try {
        const captured = await capturePoPage(context, po, outDir, {
          baseUrl: config.baseUrl,
          signal: app.interrupt,
          navigationTimeoutMs: config.navigationTimeoutMs,
          settleTimeoutMs: config.settleTimeoutMs,
          settleQuietMs: SETTLE_QUIET_MS,
          errorMarkers: [...config.notFoundMarkers, ...config.accessDeniedMarkers],
          maxBytes: config.savedPageMaxKb * 1024,
        });
        line(app.stdout, `${po.poNumber}: saved in ${resolve(outDir, captured.folder)} (${captured.reading})`);
      } catch (error) {
        if (app.interrupt.aborted) break;
        failed += 1;
        line(app.stderr, `${po.poNumber}: could not be captured: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  } finally {
    await browser.close().catch(() => {});
  }
  line(app.stdout, '');
  line(app.stdout, `The pages are in ${outDir}: one folder per PO with page.html (the page as the browser showed it),`);
  line(app.stdout, 'server.html (as Coupa sent it), screenshot.jpg and meta.json. Scripts, hidden form values and tokens');
  line(app.stdout, 'are removed, but the pages still show prices, names and comments: look at them before you send them.');
  if (app.interrupt.aborted) return EXIT.interrupted;
  return failed > 0 || bad.length > 0 ? EXIT.someFailed : EXIT.ok;
}
