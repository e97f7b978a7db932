import { CoupaDlError } from '../domain/errors.ts';
import type { PoOutcome, PoTask } from '../domain/po-outcome.ts';
import { rethrowAsCoupaError, runAborted } from './browser-error.ts';
import type { LinePageLink } from './page-read.ts';
import type { DownloadResult } from './po-downloads.ts';
import { nextStep, START, type KeyedAttachment, type PageSeen, type PoFacts, type Verdict } from './po-steps.ts';

/**
 * The one place where a PO's steps are applied. What to do next is decided by `nextStep`
 * (po-steps.ts) from what was read and downloaded so far; a `PoSource` does each step: the web
 * pages in a browser (browser-po-source.ts), or Coupa's REST API (src/coupa-api). Both give the
 * same folders, names, statuses and report.
 */

/** What a PO is busy with, for progress displays. */
export type PoStep = 'opening' | 'reading' | 'settling' | 'line-page' | 'requisition' | 'downloading' | 'filing';

/** The effects of one PO in one source; `close` leaves nothing behind. */
export interface PoSource {
  read(url: string, which: 'po' | 'requisition', id: string): Promise<PageSeen>;
  settle(which: 'po' | 'requisition', facts: PoFacts): Promise<PoFacts>;
  showLinePage(which: 'po' | 'requisition', link: LinePageLink, facts: PoFacts): Promise<PoFacts>;
  download(from: 'po' | 'requisition', attachments: readonly KeyedAttachment[], facts: PoFacts): Promise<void>;
  finishDownloads(): Promise<DownloadResult>;
  end(verdict: Verdict, facts: PoFacts, poUrl: string): Promise<PoOutcome>;
  /** A PO about to fail keeps what evidence it can (a copy of its page, its API answers). */
  copyAfterFailure(error: CoupaDlError): Promise<void>;
  close(): Promise<void>;
}

export interface RunPoOptions {
  /** e.g. `https://acme.coupahost.com`, no trailing slash. */
  readonly baseUrl: string;
  readonly signal: AbortSignal;
  onStep(step: PoStep, detail?: string): void;
}

export async function runPoSteps(source: PoSource, task: PoTask, options: RunPoOptions): Promise<PoOutcome> {
  const poUrl = `${options.baseUrl}/order_headers/${encodeURIComponent(task.poId)}`;
  try {
    let facts: PoFacts = START;
    for (;;) {
      const next = nextStep(facts, poUrl);
      switch (next.step) {
        case 'read-po':
          options.onStep('opening', poUrl);
          facts = { ...facts, po: await source.read(poUrl, 'po', task.poId) };
          options.onStep('reading');
          break;
        case 'download':
          await source.download(next.from, next.attachments, facts);
          facts = { ...facts, queued: new Set([...facts.queued, ...next.attachments.map(({ key }) => key)]) };
          break;
        case 'settle':
          options.onStep('settling', next.which);
          facts = await source.settle(next.which, facts);
          break;
        case 'next-line-page':
          options.onStep('line-page', next.link.text);
          facts = await source.showLinePage(next.which, next.link, facts);
          break;
        case 'read-requisition':
          options.onStep('requisition', next.url);
          facts = { ...facts, requisition: await source.read(next.url, 'requisition', lastSegment(next.url)) };
          break;
        case 'finish-downloads':
          options.onStep('downloading', `${facts.queued.size} attachment${facts.queued.size === 1 ? '' : 's'}`);
          facts = { ...facts, downloads: await source.finishDownloads() };
          break;
        case 'end':
          options.onStep('filing');
          return await source.end(next.verdict, facts, poUrl);
        default: {
          const unknown: never = next;
          throw new Error(`Unknown PO step ${JSON.stringify(unknown)} (a bug).`);
        }
      }
    }
  } catch (error) {
    const coded = error instanceof CoupaDlError ? error : options.signal.aborted ? runAborted(options.signal, error) : asCoded(error, task);
    await source.copyAfterFailure(coded);
    throw coded;
  } finally {
    await source.close();
  }
}

function asCoded(error: unknown, task: PoTask): CoupaDlError {
  try {
    return rethrowAsCoupaError(error, `PO ${task.poNumber}`);
  } catch (coded) {
    return coded as CoupaDlError;
  }
}

function lastSegment(url: string): string {
  return new URL(url).pathname.split('/').filter(Boolean).at(-1) ?? '';
}
