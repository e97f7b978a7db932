import { cpus, totalmem } from 'node:os';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { COUPA_RATE_LIMIT, startSimulator, type ApiRateLimitOptions } from '../src/simulator/index.ts';
import { apiRunFigures, type ApiRunFigures } from './api-figures.ts';
import { judgeApiGoals, type ApiBenchFigures } from './api-goals.ts';
import { apiMarkdownReport, apiTable, rateSeriesLines, sideBySideTable } from './api-report.ts';
import { measureWalk, type WalkFigures } from './api-walk.ts';
import type { BenchOptions, SimulatorProfile } from './bench-options.ts';
import { openBenchSite } from './bench-site.ts';
import { REPO_ROOT, runCli, type CliRunOptions } from './cli-run.ts';
import { checkCorrectness } from './correctness.ts';
import { goalsTable } from './report-table.ts';
import { RESULTS_DIR, saveMarkdown } from './results-store.ts';
import type { RunRecord } from './run-record.ts';
import { runFigures, type RunFigures } from './run-figures.ts';

/**
 * `npm run bench -- --api`: Coupa's REST API against the browser on the same POs. In one run:
 * the browser at 4 workers; the API at each `--api-rate` (20 and the default 10) with the
 * simulator at Coupa's own limit (25 requests/s, burst 20, queue 20); the naive and the trimmed
 * walk's requests per PO; and a memory run of 2,000 POs through the API with the simulator's
 * limit raised, so it takes minutes. docs/benchmark.md ("API mode") has the definitions.
 */

/** The memory run: the same files, a faster Coupa (so 2,000 POs take minutes), its limit raised well above the pace. */
export const MEMORY_PROFILE: (realistic: SimulatorProfile) => SimulatorProfile = (realistic) => ({ ...realistic, pageLatencyMs: 100, fileLatencyMs: 50 });
export const MEMORY_RATE = 100;
const RAISED_LIMIT: ApiRateLimitOptions = { requestsPerSecond: 250, burst: 50, queue: 50, retryAfterSeconds: 1 };

/** Generous: 3 min to start, each PO's requests at the rate five times over, and a second per PO for a busy machine. */
function timeoutMs(pos: number, rate: number): number {
  return 180_000 + (pos * 5 * 5 * 1000) / rate + pos * 1000;
}

function progress(label: string): (done: number, total: number) => void {
  return (done, total) => {
    if (done === total || done % Math.max(1, Math.round(total / 10)) === 0) console.error(`  ${label}: ${String(done)}/${String(total)} POs`);
  };
}

async function measure(options: BenchOptions, profile: SimulatorProfile, pos: number, run: Pick<CliRunOptions, 'workers' | 'apiRate' | 'isolation'>, limit?: ApiRateLimitOptions): Promise<{ record: RunRecord; figures: RunFigures }> {
  await using site = await openBenchSite(profile, pos, limit);
  const label = run.apiRate === undefined ? `${String(run.workers)}x${run.isolation}` : `api-${String(run.apiRate)}`;
  console.error(`▶ ${label} (${String(pos)} POs)`);
  const record = await runCli({ site, ...run, ...(options.cliRoot === undefined ? {} : { cliRoot: options.cliRoot }), browserPath: options.browserPath, timeoutMs: run.apiRate === undefined ? 120_000 + pos * 5_000 : timeoutMs(pos, run.apiRate), label, onTask: progress(label) });
  const correctness = await checkCorrectness(site.pos, record.tasks, site.outPath);
  const figures = runFigures(record, correctness);
  console.error(`  ${label}: ${String(figures.posPerMin)} POs/min, mean ${String(figures.meanSec)} s, peak ${String(figures.peakPssMb)} MB, wrong ${String(correctness.statusMismatches)}, missing ${String(correctness.missingFiles)}, extra ${String(correctness.extraFiles)}` + (record.timedOut ? ' — TIMED OUT' : '') + (record.exitCode !== null && record.exitCode > 1 ? ` — exit ${String(record.exitCode)}` : ''));
  for (const example of correctness.examples) console.error(`    ${example}`);
  if (figures.finished === 0 && record.stderrTail !== '') console.error(record.stderrTail);
  return { record, figures };
}

/** Requests per PO of the naive and the trimmed walk over the catalogue (no latency, no limit: counts do not depend on them). */
async function walks(options: BenchOptions): Promise<{ naive: WalkFigures; trimmed: WalkFigures }> {
  const { profile } = options;
  const sim = await startSimulator({ pos: options.pos, seed: profile.seed, fileSizeBytes: profile.fileSizeBytes, heavyPages: false, api: { rateLimit: null } });
  const dir = await mkdtemp(join(tmpdir(), 'coupa-bench-walk-'));
  try {
    console.error(`▶ naive and trimmed walks (${String(options.pos)} POs, one at a time)`);
    const naive = await measureWalk(sim, 'full', sim.truth.pos, dir);
    const trimmed = await measureWalk(sim, 'trimmed', sim.truth.pos, dir);
    return { naive, trimmed };
  } finally {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  }
}

export async function runApiBench(options: BenchOptions): Promise<void> {
  const when = new Date();
  const records: RunRecord[] = [];
  const { naive, trimmed } = await walks(options);
  const browserRun = options.workers[0] === undefined ? null : await measure(options, options.profile, options.pos, { workers: options.workers[0], isolation: options.isolations[0] ?? 'context' });
  if (browserRun !== null) records.push(browserRun.record);
  const api: ApiRunFigures[] = [];
  for (const rate of options.apiRates) {
    const measured = await measure(options, options.profile, options.pos, { workers: 'auto', apiRate: rate, isolation: 'context' }, COUPA_RATE_LIMIT);
    records.push(measured.record);
    api.push(apiRunFigures(measured.record, measured.figures, { withSoak: false }));
  }
  let memory: ApiRunFigures | null = null;
  if (options.memoryPos > 0) {
    const measured = await measure(options, MEMORY_PROFILE(options.profile), options.memoryPos, { workers: 'auto', apiRate: MEMORY_RATE, isolation: 'context' }, RAISED_LIMIT);
    records.push(measured.record);
    memory = apiRunFigures(measured.record, measured.figures, { withSoak: true });
  }
  const figures: ApiBenchFigures = { browser: browserRun?.figures ?? null, api, memory, naive, trimmed };
  const goals = judgeApiGoals(figures);
  const markdown = apiMarkdownReport(options, when.toISOString(), figures, goals);
  const all = [...api, ...(memory === null ? [] : [memory])];
  console.log(`\n${sideBySideTable(figures)}\n\n${apiTable(all)}\n\n${rateSeriesLines(all)}\n\n${goalsTable(goals)}`);
  if (memory?.soak) console.log(`\nMemory: ${memory.soak.summary}`);
  await mkdir(RESULTS_DIR, { recursive: true });
  const stamp = when.toISOString().slice(0, 16).replace(':', '-');
  const jsonPath = join(RESULTS_DIR, `${stamp}-${options.label}.json`);
  const machine = { cores: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(totalmem() / 1e9), node: process.version };
  // The memory series of each run, every ~5 s, to redraw the curves; the per-second request counts are in the simulator's stats.
  const series = records.map((record) => ({ label: record.label, simulator: record.simulator, memory: record.samples.filter((_, index) => index % 3 === 0).map((sample) => [Math.round(sample.atMs / 1000), Math.round(sample.pssBytes / 1048576), sample.posDone]) }));
  await writeFile(jsonPath, `${JSON.stringify({ when: when.toISOString(), options, machine, figures, goals, series }, null, 2)}\n`);
  const markdownPath = await saveMarkdown(options, markdown);
  console.log(`\nSaved ${relative(REPO_ROOT, jsonPath)} and ${relative(REPO_ROOT, markdownPath)}`);
}

/** `--render` of a saved API results file: the tables and goals again from its figures. */
export async function renderApiResults(path: string): Promise<void> {
  const saved = JSON.parse(await readFile(path, 'utf8')) as { when: string; options: BenchOptions; figures: ApiBenchFigures };
  const goals = judgeApiGoals(saved.figures);
  const markdown = apiMarkdownReport(saved.options, saved.when, saved.figures, goals);
  console.log(markdown);
  console.log(`Re-rendered ${relative(REPO_ROOT, await saveMarkdown(saved.options, markdown))}`);
}
