import type { CoupaApiClient } from '../../coupa-api/coupa-api-client.ts';
import { processPoByApi } from '../../coupa-api/api-po-source.ts';
import { CoupaDlError } from '../../domain/errors.ts';
import { MAX_API_WORKERS, MAX_WORKERS } from '../../engine/pool-settings.ts';
import type { FetchSource } from '../../domain/fetch-source.ts';
import type { PoTask } from '../../domain/po-outcome.ts';
import type { ApiAccess } from '../api-access.ts';
import { apiWorkerCount, apiWorkerFactory, type ApiWorker } from './api-workers.ts';
import type { FallbackBrowser } from './fallback-browser.ts';
import type { FetchWay, PoRunOptions, SourcedOutcome } from './fetch-way.ts';

/**
 * Coupa's REST API: every worker's POs through the run's one client (one token, one pace). With
 * a fallback browser (`--source auto`), POs the API will not serve go to the browser: a PO the
 * API refuses (HTTP 403) — that PO; a scope the client lacks — every PO from then on.
 */
export function apiWay(access: ApiAccess, requestsPerSecond: number, fallback: FallbackBrowser | null): { readonly kind: 'api' | 'auto' } & FetchWay<ApiWorker> {
  const { client } = access;
  // Workers of `auto` may each borrow a browser context: as many as browsers may be.
  const maxWorkers = fallback === null ? MAX_API_WORKERS : MAX_WORKERS;
  const lastSources = new Map<string, FetchSource>();
  /** Why the API serves no more POs of this run (a missing scope found mid-run), once known. */
  let apiOff: string | null = null;

  const viaBrowser = async (browser: FallbackBrowser, worker: ApiWorker, task: PoTask, options: PoRunOptions): Promise<SourcedOutcome> => {
    lastSources.set(task.poId, 'browser');
    return { outcome: await browser.run(worker, task, options), source: 'browser' };
  };

  return {
    kind: fallback === null ? 'api' : 'auto',
    factory: apiWorkerFactory(),
    maxWorkers,
    autoWorkers: apiWorkerCount(requestsPerSecond, maxWorkers),
    async run(worker, task, options) {
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
    },
    restoreSession: (signal) => fallback?.restore(signal) ?? Promise.resolve(true),
    describe: () => ({
      source: fallback === null ? 'api' : 'auto',
      apiCredentials: access.credentialsFrom,
      grantedScopes: access.report.grantedScopes,
      requestsPerSecond,
      ...(apiOff === null ? {} : { apiOff }),
      ...(fallback?.describe() ?? {}),
      api: statsOf(client),
    }),
    lastSource: (poId) => lastSources.get(poId) ?? null,
    async [Symbol.asyncDispose]() {
      await fallback?.[Symbol.asyncDispose]();
    },
  };
}

function statsOf(client: CoupaApiClient): Record<string, number> {
  const { requests, tooManyRequests, unauthorized, tokenRequests, jsonRequests, jsonBytes, requestsPerSecond } = client.stats();
  return { requests, tooManyRequests, unauthorized, tokenRequests, jsonRequests, jsonBytes, paceNow: requestsPerSecond };
}
