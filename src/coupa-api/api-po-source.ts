import { CoupaDlError } from '../domain/errors.ts';
import type { PoOutcome, PoTask } from '../domain/po-outcome.ts';
import type { LinePageLink } from '../coupa/page-read.ts';
import type { DownloadResult, FileFetcher } from '../coupa/po-downloads.ts';
import { COPIED_STATUSES, PoFiling, type FilingOptions } from '../coupa/po-filing.ts';
import { runPoSteps, type PoSource, type PoStep } from '../coupa/po-run.ts';
import type { KeyedAttachment, PageSeen, PoFacts, Verdict } from '../coupa/po-steps.ts';
import type { ApiAttachment } from './api-attachment.ts';
import { ApiEvidence } from './api-evidence.ts';
import { listsRefusedSeen, lookupErrorSeen, poPageUrl, poReading, requisitionReading, type ApiReading } from './api-page-seen.ts';
import type { CoupaApiClient } from './coupa-api-client.ts';
import type { FoundPo } from './po-resolver.ts';

/**
 * A PO read through Coupa's REST API: the second Coupa adapter beside the browser's
 * (coupa/browser-po-source.ts), applied by the same loop (`runPoSteps`) with the same steps, and
 * filed by the same `PoFiling` — so folders, file names, statuses and the report are the same
 * whichever way a PO came. Its "pages" are the API's answers (api-page-seen.ts): found by number,
 * every attachment of the header, lines and comments, the requisition's when the PO has no PDF.
 * Files come through `client.downloadAttachment`. When the outcome is not clean the API's answers
 * for the PO are kept (api-evidence.ts), as a browser keeps a copy of the page.
 */

export interface ApiSourceOptions extends FilingOptions {
  /** Cap of the evidence kept for a PO whose outcome is not clean. */
  readonly pageCopyMaxBytes: number;
}

export interface ProcessPoByApiOptions extends ApiSourceOptions {
  onStep(step: PoStep, detail?: string): void;
}

/** One PO through Coupa's REST API, end to end; throws coded errors for the engine as `processPo` does. */
export function processPoByApi(client: CoupaApiClient, task: PoTask, options: ProcessPoByApiOptions): Promise<PoOutcome> {
  return runPoSteps(new ApiPoSource(client, task, options), task, options);
}

export class ApiPoSource implements PoSource {
  readonly #client: CoupaApiClient;
  readonly #task: PoTask;
  readonly #options: ApiSourceOptions;
  readonly #filing: PoFiling;
  readonly #evidence: ApiEvidence;
  /** Web address of each file attachment read so far → its API record. */
  readonly #files = new Map<string, ApiAttachment>();
  #found: FoundPo | null = null;

  constructor(client: CoupaApiClient, task: PoTask, options: ApiSourceOptions) {
    [this.#client, this.#task, this.#options] = [client, task, options];
    this.#evidence = new ApiEvidence(options.pageCopyMaxBytes);
    this.#filing = new PoFiling(task, options, this.#fetcher());
  }

  read(url: string, which: 'po' | 'requisition', id: string): Promise<PageSeen> {
    return this.#client.recording(this.#evidence, async () => {
      const reading = which === 'po' ? await this.#readPo(url) : requisitionReading(this.#options.baseUrl, id, await this.#client.listRequisitionAttachments(id, this.#options.signal));
      for (const [key, attachment] of reading.files) if (!this.#files.has(key)) this.#files.set(key, attachment);
      return reading.seen;
    });
  }

  async #readPo(url: string): Promise<ApiReading> {
    const { signal } = this.#options;
    const lookup = await this.#client.resolvePo(this.#task.poNumber, signal);
    if (lookup.kind !== 'found') return { seen: lookupErrorSeen(url, lookup), files: new Map() };
    this.#found = lookup;
    try {
      return poReading(this.#options.baseUrl, lookup, await this.#client.listPoAttachments(lookup, signal));
    } catch (error) {
      // A PO found but whose lines or comments Coupa refuses is one this client may not read whole.
      if (error instanceof CoupaDlError && error.code === 'ACCESS_DENIED') return { seen: listsRefusedSeen(poPageUrl(this.#options.baseUrl, lookup.poId), error.message), files: new Map() };
      throw error;
    }
  }

  /** An API answer is whole when it comes: there is nothing to wait for. */
  settle(which: 'po' | 'requisition', facts: PoFacts): Promise<PoFacts> {
    const seen = facts[which];
    return Promise.resolve(seen === null ? facts : { ...facts, [which]: { ...seen, settled: true } });
  }

  /** The API pages its lists itself (api-paging.ts): a PO read through it shows no pages of lines. */
  showLinePage(_which: 'po' | 'requisition', link: LinePageLink): Promise<PoFacts> {
    return Promise.reject(new Error(`A page of lines (${link.text}) was asked of the API source (a bug).`));
  }

  async download(from: 'po' | 'requisition', attachments: readonly KeyedAttachment[], facts: PoFacts): Promise<void> {
    const seen = facts[from];
    if (seen === null) throw new Error(`Attachments of the ${from} before it was read (a bug).`);
    await this.#filing.queue(attachments, facts, { pageUrl: seen.url });
  }

  finishDownloads(): Promise<DownloadResult> {
    return this.#filing.finishDownloads();
  }

  async end(verdict: Verdict, facts: PoFacts, poUrl: string): Promise<PoOutcome> {
    // COUPA_URL is the PO's web page: its id as Coupa's API gave it (the sheet's number may carry a prefix).
    const found = this.#found;
    const coupaUrl = found !== null && verdict.coupaUrl === poUrl ? poPageUrl(this.#options.baseUrl, found.poId) : verdict.coupaUrl;
    const savedPage = COPIED_STATUSES.includes(verdict.status) ? await this.#keep(`${verdict.status}: ${verdict.message}`, coupaUrl) : '';
    return this.#filing.end({ ...verdict, coupaUrl }, facts, poUrl, savedPage);
  }

  /** A PO that fails (and may be given up) keeps the answers it got. */
  async copyAfterFailure(error: CoupaDlError): Promise<void> {
    if (error.kind === 'session' || error.kind === 'run') return;
    await this.#keep(`${error.code}: ${error.message}`, poPageUrl(this.#options.baseUrl, this.#found?.poId ?? this.#task.poId)).catch(() => '');
  }

  async close(): Promise<void> {
    await this.#filing.discardUnfinished();
  }

  #keep(reason: string, url: string): Promise<string> {
    return this.#evidence.save(this.#options.outDir, { poNumber: this.#task.poNumber, poId: this.#found?.poId ?? this.#task.poId, url, reason });
  }

  /** File bytes through the API, by the record the attachment was listed with. */
  #fetcher(): FileFetcher {
    return async (job, tempPath, settings, onRequest) => {
      const attachment = this.#files.get(job.attachment.url);
      if (attachment === undefined) throw new Error(`No API record for ${job.attachment.url} (a bug).`);
      onRequest();
      const file = await this.#client.downloadAttachment(attachment, { tempPath, signal: settings.signal, onBytes: settings.onBytes }).catch((error: unknown) => {
        // The report shows a file's failure by its message alone: what to do goes with it.
        throw error instanceof CoupaDlError && error.kind === 'item' && error.hint !== undefined ? new CoupaDlError(error.code, `${error.message} ${error.hint}`, { cause: error }) : error;
      });
      return { wantedName: attachment.fileName ?? job.attachment.label, sizeBytes: file.sizeBytes, sha256: file.sha256, sourceUrl: job.attachment.url };
    };
  }
}
