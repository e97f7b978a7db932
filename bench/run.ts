/**
 * `npm run bench`: runs the real CLI against the in-process simulator for every configuration
 * (workers × isolation) plus the sequential baseline, and reports speed, memory, CPU and
 * correctness against the goals. See docs/benchmark.md.
 */
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { findBrowser } from '../src/browser/find-browser.ts';
import { CoupaDlError } from '../src/domain/errors.ts';
import { renderApiResults, runApiBench } from './api-bench.ts';
import { readFile } from 'node:fs/promises';
import { runBaseline } from './baseline.ts';
import { parseBenchOptions, USAGE, type BenchOptions, type Isolation } from './bench-options.ts';
import { openBenchSite } from './bench-site.ts';
import { REPO_ROOT, runCli } from './cli-run.ts';
import { checkCorrectness } from './correctness.ts';
import { judgeGoals } from './goals.ts';
import { compareTable, configName, cpuByKindTable, goalsTable, markdownReport, resultsTable, settingsLine } from './report-table.ts';
import { loadResults, saveMarkdown, saveResults } from './results-store.ts';
import type { RunRecord } from './run-record.ts';
import { runFigures, type RunFigures } from './run-figures.ts';
import { soakFigures } from './soak-figures.ts';
import { runStartupBench } from './startup-run.ts';

/** Generous bound per configuration: 2 min to start plus 10 s per PO on the workers the CPU can feed. */
function timeoutMs(pos: number, workers: number): number {
  return 120_000 + (pos * 10_000) / Math.min(workers, 2);
}

function progress(label: string): (done: number, total: number) => void {
  return (done, total) => {
    if (done === total || done % Math.max(1, Math.round(total / 10)) === 0) console.error(`  ${label}: ${String(done)}/${String(total)} POs`);
  };
}

async function measure(options: BenchOptions, kind: 'baseline' | { workers: number; isolation: Isolation }, other = false): Promise<{ record: RunRecord; figures: RunFigures }> {
  const pos = kind === 'baseline' ? options.baselinePos : options.pos;
  await using site = await openBenchSite(options.profile, pos);
  const label = kind === 'baseline' ? 'baseline' : `${String(kind.workers)}x${kind.isolation}${other ? '@compare' : ''}`;
  console.error(`▶ ${label} (${String(pos)} POs)`);
  const record =
    kind === 'baseline'
      ? await runBaseline({ site, browserPath: options.browserPath, label, timeoutMs: timeoutMs(pos, 1), onTask: progress(label) })
      : await runCli({ site, workers: kind.workers, isolation: kind.isolation, browserPath: options.browserPath, timeoutMs: timeoutMs(pos, kind.workers), label, onTask: progress(label), ...(other && options.compare !== undefined ? { cliRoot: options.compare } : options.cliRoot === undefined ? {} : { cliRoot: options.cliRoot }) });
  const correctness = await checkCorrectness(site.pos, record.tasks, site.outPath);
  const figures = runFigures(record, correctness);
  console.error(
    `  ${configName(figures)}: ${String(figures.posPerMin)} POs/min, p50 ${String(figures.p50Sec)} s, peak ${String(figures.peakPssMb)} MB, ` +
      `CPU ${String(figures.cpuPercentOfCore)} % of a core, wrong ${String(correctness.statusMismatches)}, missing ${String(correctness.missingFiles)}, extra ${String(correctness.extraFiles)}` +
      (record.timedOut ? ' — TIMED OUT' : '') + (record.exitCode !== null && record.exitCode > 1 ? ` — exit ${String(record.exitCode)}` : ''),
  );
  const byKind = Object.entries(figures.cpuSecPerPoByKind).map(([kind, sec]) => `${kind} ${String(sec)}`).join(', ');
  if (byKind !== '') console.error(`  CPU s per PO: ${byKind}`);
  if (figures.settleSecPerPo !== undefined && figures.settleSecPerPo !== null) console.error(`  settling ${String(figures.settleSecPerPo)} s per PO (overlaps the downloads)`);
  console.error(`  mean ${String(figures.meanSec)} s per PO; simulator ${String(figures.simulatorSecPerPo)} s summed, ${String(figures.simulatorBusySecPerPo)} s busy; overhead ${String(figures.overheadPercent)} % summed, ${String(figures.busyOverheadPercent)} % busy`);
  const peak = record.samples.reduce<(typeof record.samples)[number] | undefined>((best, sample) => (best === undefined || sample.pssBytes > best.pssBytes ? sample : best), undefined);
  if (peak?.pssMbByKind !== undefined) console.error(`  PSS MB at the peak: ${Object.entries(peak.pssMbByKind).map(([kind, mb]) => `${kind} ${String(mb)}`).join(', ')}`);
  for (const example of correctness.examples) console.error(`    ${example}`);
  if (figures.finished === 0 && record.stderrTail !== '') console.error(record.stderrTail);
  return { record, figures };
}

async function main(): Promise<void> {
  let options: BenchOptions;
  try {
    options = parseBenchOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\nUsage: ${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (options.render !== undefined) {
    if (await isApiResults(options.render)) {
      await renderApiResults(options.render);
      return;
    }
    const saved = await loadResults(options.render);
    const goals = judgeGoals(saved.runs, saved.soak);
    console.log(`${resultsTable(saved.runs)}\n\n${goalsTable(goals)}`);
    const path = await saveMarkdown(saved.options, markdownReport(saved.options, saved.when, saved.runs, goals, saved.soak));
    console.log(`\nRe-rendered ${relative(REPO_ROOT, path)}`);
    return;
  }
  // Without this check every configuration would run and report 0 POs done.
  try {
    options = { ...options, browserPath: findBrowser(options.browserPath, { platform: process.platform, env: process.env, exists: existsSync }).executablePath };
  } catch (error) {
    if (!(error instanceof CoupaDlError)) throw error;
    console.error(`${error.message}\nInstall Debian's chromium (\`apt-get install -y chromium\`) or pass \`--browser <path or edge|chrome|chromium>\`.`);
    process.exitCode = 2;
    return;
  }
  if (options.startup) {
    await runStartupBench({ browserPath: options.browserPath, repeat: 5 });
    return;
  }
  console.log(settingsLine(options));
  if (options.mode === 'api') {
    await runApiBench(options);
    return;
  }
  const when = new Date();
  const results: { record: RunRecord; figures: RunFigures }[] = [];
  if (options.baseline) results.push(await measure(options, 'baseline'));
  for (let round = 0; round < options.rounds; round += 1) {
    for (const isolation of options.isolations) {
      for (const workers of options.workers) {
        // With --compare, the two builds take turns going first: the machine's speed drifts.
        const order = options.compare === undefined ? [false] : round % 2 === 0 ? [false, true] : [true, false];
        for (const other of order) results.push(await measure(options, { workers, isolation }, other));
      }
    }
  }
  const runs = results.map((result) => result.figures);
  if (options.compare !== undefined) console.log(`\n${compareTable(runs)}`);
  const soakRun = options.mode === 'soak' ? results.find((result) => result.record.kind === 'cli') : undefined;
  const soak = soakRun === undefined ? null : soakFigures(soakRun.record.samples, soakRun.record.pos);
  const goals = judgeGoals(runs, soak);
  const markdown = markdownReport(options, when.toISOString(), runs, goals, soak);
  console.log(`\n${resultsTable(runs)}\n\n${cpuByKindTable(runs)}\n\n${goalsTable(goals)}`);
  if (soak !== null) console.log(`\nSoak: ${soak.summary}`);
  const saved = await saveResults(options, when, results.map((r) => r.record), runs, goals, soak, markdown);
  console.log(`\nSaved ${relative(REPO_ROOT, saved.jsonPath)} and ${relative(REPO_ROOT, saved.markdownPath)}`);
}

async function isApiResults(path: string): Promise<boolean> {
  const document = JSON.parse(await readFile(path, 'utf8')) as { options?: { mode?: string } };
  return document.options?.mode === 'api';
}

await main();
