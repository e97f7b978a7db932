import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type ApiRateLimitOptions, type PageStyle, type PoTruth, type Simulator } from '../src/simulator/index.ts';
import type { SimulatorProfile } from './bench-options.ts';

/**
 * A fresh simulator for one configuration (so its request counters and sessions belong to that
 * run alone), with the sheet and the signed-in session file the CLI is given, in a temp folder.
 */
export interface BenchSite extends AsyncDisposable {
  readonly simulator: Simulator;
  readonly pos: readonly PoTruth[];
  readonly folder: string;
  readonly inputPath: string;
  readonly sessionPath: string;
  readonly outPath: string;
}

/**
 * `apiRateLimit`: the REST API's limit (default: Coupa's 25 requests/s, burst 20, queue 20);
 * the memory run raises it so that 2,000 POs take minutes, not a quarter of an hour.
 */
export async function openBenchSite(profile: SimulatorProfile, pos: number, apiRateLimit?: ApiRateLimitOptions): Promise<BenchSite> {
  const simulator = await startSimulator({
    ...(apiRateLimit === undefined ? {} : { api: { rateLimit: apiRateLimit } }),
    pos,
    seed: profile.seed,
    pageLatencyMs: profile.pageLatencyMs,
    fileLatencyMs: profile.fileLatencyMs,
    bandwidthBytesPerSec: profile.bandwidthBytesPerSec,
    fileSizeBytes: profile.fileSizeBytes,
    heavyPages: profile.heavyPages,
    // The real page's structure unless asked otherwise (the simulator's default, 'realistic').
    ...(profile.pageStyle === undefined ? {} : { pageStyle: profile.pageStyle as PageStyle }),
    // `--lines-per-page 500`: every line on one page, for an A/B with a build that reads one page of lines.
    ...(profile.linesPerPage === undefined ? {} : { linesPerPage: profile.linesPerPage }),
    // `--without accessDenied`: an A/B with a build that cannot read today's access-denied page.
    ...(profile.without === undefined ? {} : { mix: Object.fromEntries(profile.without.map((kind) => [kind, 0])) }),
    // Real sign-in: the session cookie is checked on every page and file.
    auth: { mode: 'sso' },
  });
  const folder = await mkdtemp(join(tmpdir(), 'coupa-bench-'));
  try {
    const truth = simulator.truth.pos;
    // Digests are computed lazily by generating the bytes: do it now, not while a run is timed.
    for (const po of truth) for (const file of po.expectedFiles) void file.sha256;
    const inputPath = join(folder, 'pos.csv');
    await writeFile(inputPath, `PO_NUMBER\n${truth.map((po) => po.poNumber).join('\n')}\n`);
    const sessionPath = join(folder, 'session.json');
    await writeFile(sessionPath, JSON.stringify(simulator.createStorageState()), { mode: 0o600 });
    return {
      simulator,
      pos: truth,
      folder,
      inputPath,
      sessionPath,
      outPath: join(folder, 'out'),
      async [Symbol.asyncDispose]() {
        await simulator.close();
        await rm(folder, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await simulator.close();
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
}
