import { DownloadRoute } from '../../src/coupa/download-route.ts';
import { after, before } from 'node:test';
import type { Browser, BrowserContext } from 'playwright-core';
import type { PoTask, SavedFile } from '../../src/domain/po-outcome.ts';
import { DOWNLOAD_BACKOFF } from '../../src/coupa/download-retry.ts';
import { SETTLE_QUIET_MS } from '../../src/coupa/page-settle.ts';
import { processPo, type PoStep, type ProcessPoOptions } from '../../src/coupa/process-po.ts';
import { backoffDelayMs } from '../../src/engine/retry-policy.ts';
import { startSimulator, type PoKind, type PoTruth, type Simulator, type SimulatorOptions } from '../../src/simulator/index.ts';
import { launchTestBrowser } from './browser.ts';
import { tempDir, type TempDir } from './temp-dir.ts';

/** Shared by the po-*.test.ts files: running one PO against the simulator and looking at the result. */

export interface PoSite {
  readonly sim: Simulator;
  readonly browser: Browser;
  /** Signed in to the simulator, downloads accepted. */
  readonly context: BrowserContext;
  /** A temporary output folder, removed after the suite. */
  readonly outDir: string;
}

/**
 * Registers before/after hooks in the calling `describe`: a simulator, a real browser, a
 * signed-in context and an output folder, all closed or removed afterwards.
 */
export function usePoSite(options: SimulatorOptions): PoSite {
  let site: Partial<PoSite> = {};
  let out: TempDir | undefined;
  before(async () => {
    const sim = await startSimulator(options);
    site = { sim };
    const browser = await launchTestBrowser();
    site = { ...site, browser };
    const context = await browser.newContext({ storageState: sim.createStorageState(), acceptDownloads: true });
    out = await tempDir('coupa-po-');
    site = { ...site, context, outDir: out.path };
  });
  after(async () => {
    await site.context?.close();
    await site.browser?.close();
    await site.sim?.close();
    await out?.remove();
  });
  const get = <K extends keyof PoSite>(key: K): PoSite[K] => {
    const value = site[key];
    if (value === undefined) throw new Error(`usePoSite: ${key} is used before the suite's before() hook ran.`);
    return value as PoSite[K];
  };
  return {
    get sim() {
      return get('sim');
    },
    get browser() {
      return get('browser');
    },
    get context() {
      return get('context');
    },
    get outDir() {
      return get('outDir');
    },
  };
}

export function taskFor(po: PoTruth, folderLevels: readonly string[] | null = null): PoTask {
  return { poNumber: po.poNumber, poId: po.id, folderLevels };
}

export function firstOfKind(sim: Simulator, kind: PoKind): PoTruth {
  const po = sim.truth.pos.find((candidate) => candidate.kind === kind);
  if (po === undefined) throw new Error(`The simulator's catalogue has no PO of kind ${kind}.`);
  return po;
}

export interface Recorded {
  readonly steps: PoStep[];
  readonly saved: SavedFile[];
}

export function optionsFor(sim: Simulator, outDir: string, overrides: Partial<ProcessPoOptions> = {}): { options: ProcessPoOptions; recorded: Recorded } {
  const recorded: Recorded = { steps: [], saved: [] };
  const options: ProcessPoOptions = {
    baseUrl: sim.url,
    outDir,
    signal: new AbortController().signal,
    downloadRoute: new DownloadRoute(fetch, { onSwitch: () => {} }),
    navigationTimeoutMs: 15_000,
    settleTimeoutMs: 5_000,
    settleQuietMs: SETTLE_QUIET_MS,
    errorMarkers: [],
    accessDeniedMarkers: [],
    pageCopyMaxBytes: 2 * 1024 * 1024,
    downloadTimeoutMs: 15_000,
    downloadConcurrency: 3,
    maxDownloadAttempts: 3,
    retryDelayMs: (retry, retryAfterMs) => backoffDelayMs(retry, DOWNLOAD_BACKOFF, Math.random, retryAfterMs),
    onStep: (step) => recorded.steps.push(step),
    onFileProgress: () => {},
    onFileSaved: (file) => recorded.saved.push(file),
    ...overrides,
  };
  return { options, recorded };
}

export async function runPo(context: BrowserContext, sim: Simulator, po: PoTruth, outDir: string, overrides: Partial<ProcessPoOptions> = {}) {
  const { options, recorded } = optionsFor(sim, outDir, overrides);
  const outcome = await processPo(context, taskFor(po), options);
  return { outcome, recorded };
}

export function sortedShas(files: readonly { sha256: string }[]): string[] {
  return files.map((file) => file.sha256).sort();
}
