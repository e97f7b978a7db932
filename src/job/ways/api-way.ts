import type { CoupaApiClient } from '../../coupa-api/coupa-api-client.ts';
import { processPoByApi } from '../../coupa-api/api-po-source.ts';
import { CoupaDlError } from '../../domain/errors.ts';
import { MAX_API_WORKERS, MAX_WORKERS } from '../../engine/pool-settings.ts';
import type { FetchSource } from '../../domain/fetch-source.ts';
import type { PoOutcome, PoTask } from '../../domain/po-outcome.ts';
import type { PoStatus } from '../../domain/status.ts';
import type { PoPdfOnlyOptions } from '../../coupa/po-pdf-only.ts';
import type { ApiAccess } from '../api-access.ts';
import { apiWorkerCount, apiWorkerFactory, type ApiWorker } from './api-workers.ts';
import type { FallbackBrowser } from './fallback-browser.ts';
import type { FetchWay, PoRunOptions, SourcedOutcome } from './fetch-way.ts';

/**
 * Coupa's REST API: every worker's POs through the run's one client (one token, one pace). With
 * a fallback browser (`--source auto`), POs the API will not serve go to the browser: a PO the
 * API refuses (HTTP 403) — that PO; a scope the client lacks — every PO from then on. With a
 * `printer` (`--save-po-pdf`), each PO the API fetched is then printed from its web page.
 */
export function apiWay(access: ApiAccess, requestsPerSecond: number, fallback: FallbackBrowser | null, printer: FallbackBrowser | null): { readonly kind: 'api' | 'auto' } & FetchWay<ApiWorker> {
  const { client } = access;
  const browser = fallback ?? printer;
  // Workers that may each borrow a browser context (`auto`, PO PDFs): as many as browsers may be.
  const maxWorkers = browser === null ? MAX_API_WORKERS : MAX_WORKERS;
  const lastSources = new Map<string, FetchSource>();
  /** Why the API serves no more POs of this run (a missing scope found mid-run), once known. */
  let apiOff: string | null = null;

  const viaBrowser = async (fallback: FallbackBrowser, worker: ApiWorker, task: PoTask, options: PoRunOptions): Promise<SourcedOutcome> => {
    lastSources.set(task.poId, 'browser');
    return { outcome: await fallback.run(worker, task, options), source: 'browser' };
  };

  const fetchPo = async (worker: ApiWorker, task: PoTask, options: PoRunOptions): Promise<SourcedOutcome> => {
    if (fallback !== null && apiOff !== null) return viaBrowser(fallback, worker, task, options);
    lastSources.set(task.poId, 'api');
    try {
      const outcome = await processPoByApi(client, task, options);
      if (fallback === null || outcome.status !== 'ACCESS_DENIED') return { outcome, source: 'api' };
      options.note(`PO ${task.poNumber}: Coupa's API refused it (${outcome.errorMessage}); trying it in the browser.`);
      return await viaBrowser(fallback, worker, task, options);
    } catch (error) {
      if (fallback === null || !(error instanceof CoupaDlError) || error.code !== 'API_SCOPE_MISSING') throw error;
      if (apiOff === null) {
        apiOff = error.message;
        options.note(`${error.message} The rest of this run goes through the browser.`);
      }
      return viaBrowser(fallback, worker, task, options);
    }
  };

  return {
    kind: fallback === null ? 'api' : 'auto',
    factory: apiWorkerFactory(),
    maxWorkers,
    autoWorkers: apiWorkerCount(requestsPerSecond, maxWorkers),
    async run(worker, task, options) {
      const fetched = await fetchPo(worker, task, options);
      // `--save-po-pdf`: a PO the API fetched is printed from its web page, as a browser run prints it.
      if (fetched.source !== 'api' || printer === null || options.poPdf === undefined || UNPRINTABLE.includes(fetched.outcome.status)) return fetched;
      const printOptions = { outDir: options.outDir, baseUrl: options.baseUrl, signal: options.signal, settings: options.poPdf };
      return { outcome: await printer.print(worker, task, fetched.outcome, printOptions), source: 'api' };
    },
    ...(browser === null ? {} : { printOnly: async (worker: ApiWorker, task: PoTask, previous: PoOutcome, options: PoPdfOnlyOptions) => ({ outcome: await browser.print(worker, task, previous, options), source: 'browser' as const }) }),
    restoreSession: (signal) => browser?.restore(signal) ?? Promise.resolve(true),
    describe: () => ({
      source: fallback === null ? 'api' : 'auto',
      apiCredentials: access.credentialsFrom,
      grantedScopes: access.report.grantedScopes,
      requestsPerSecond,
      ...(apiOff === null ? {} : { apiOff }),
      ...(browser?.describe() ?? {}),
      api: statsOf(client),
    }),
    lastSource: (poId) => lastSources.get(poId) ?? null,
    async [Symbol.asyncDispose]() {
      await browser?.[Symbol.asyncDispose]();
    },
  };
}

/** A PO the API did not find, or may not be shown: there is no page to print. */
const UNPRINTABLE: readonly PoStatus[] = ['PO_NOT_FOUND', 'ACCESS_DENIED'];

function statsOf(client: CoupaApiClient): Record<string, number> {
  const { requests, tooManyRequests, unauthorized, tokenRequests, jsonRequests, jsonBytes, requestsPerSecond } = client.stats();
  return { requests, tooManyRequests, unauthorized, tokenRequests, jsonRequests, jsonBytes, paceNow: requestsPerSecond };
}
