import type { BenchOptions } from './bench-options.ts';
import { scalingFigures, type GoalResult } from './goals.ts';
import { CORES, cpuSecondsPerPo, type RunFigures } from './run-figures.ts';
import type { SoakFigures } from './soak-figures.ts';

/** The results as Markdown: printed to the terminal and saved as bench/results/latest.md. */

const HEADER = [
  'configuration', 'POs', 'POs/min', 'p50 s', 'p95 s', 'sim s/PO (summed / busy)', 'overhead (summed / busy)', 'peak PSS MB', 'PSS/worker MB', '+MB/added worker',
  'worker start ms (med/max)', 'CPU % of 1 core', 'CPU % of machine', 'CPU s/PO (tool+sim)', 'machine busy %', 'sim CPU % of 1 core', 'other load % of machine', 'scaling eff.', 'wrong status / missing / extra files',
];

const show = (value: number | null, suffix = ''): string => (value === null ? '–' : `${String(value)}${suffix}`);

export function configName(run: Pick<RunFigures, 'kind' | 'workers' | 'isolation'>): string {
  return run.kind === 'baseline' ? 'baseline (1 tab, sequential)' : `${String(run.workers)} × ${run.isolation}`;
}

export function resultsTable(runs: readonly RunFigures[]): string {
  const scaling = scalingFigures(runs);
  const rows = runs.map((run) => {
    const scale = scaling.find((row) => row.isolation === run.isolation && row.workers === run.workers && run.kind === 'cli');
    const c = run.correctness;
    const finished = run.finished < run.pos ? `${String(run.finished)}/${String(run.pos)}${run.timedOut ? ' (timed out)' : ''}` : String(run.pos);
    return [
      configName(run), finished, show(run.posPerMin), show(run.p50Sec), show(run.p95Sec), `${show(run.simulatorSecPerPo)} / ${show(run.simulatorBusySecPerPo ?? null)}`, `${String(run.overheadPercent)} % / ${show(run.busyOverheadPercent ?? null, ' %')}`,
      show(run.peakPssMb), show(run.peakPssPerWorkerMb), show(scale?.marginalMb ?? null),
      `${show(run.workerStartMedianMs)} / ${show(run.workerStartMaxMs)}`, show(run.cpuPercentOfCore), show(run.cpuPercentOfMachine), show(cpuSecondsPerPo(run)), show(run.machineBusyPercent), show(run.simulatorCpuPercentOfCore), show(run.otherLoadPercent),
      show(scale?.efficiency ?? null), `${String(c.statusMismatches)} / ${String(c.missingFiles)} / ${String(c.extraFiles)}`,
    ];
  });
  return [HEADER, HEADER.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/**
 * `--compare`: this build against the other checkout, configuration by configuration, each round
 * on its own line, then the mean difference in time per PO (wall time / POs: what a user waits).
 */
export function compareTable(runs: readonly RunFigures[]): string {
  const header = ['configuration', 'build', 'POs/min', 'mean s/PO', 'settle s/PO', 'CPU s/PO (tool+sim)', 'peak PSS MB', 'wrong / missing / extra'];
  const cli = runs.filter((run) => run.kind === 'cli');
  const rows = cli.map((run) => {
    const c = run.correctness;
    return [configName(run), run.label.endsWith('@compare') ? 'compared' : 'this', show(run.posPerMin), show(run.meanSec), show(run.settleSecPerPo ?? null), show(cpuSecondsPerPo(run)), show(run.peakPssMb), `${String(c.statusMismatches)} / ${String(c.missingFiles)} / ${String(c.extraFiles)}`];
  });
  const summary: string[] = [];
  for (const name of [...new Set(cli.map(configName))]) {
    const perPo = (compared: boolean) => cli.filter((run) => configName(run) === name && run.label.endsWith('@compare') === compared && run.posPerMin > 0).map((run) => 60 / run.posPerMin);
    const [mine, theirs] = [perPo(false), perPo(true)];
    if (mine.length === 0 || theirs.length === 0) continue;
    const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
    summary.push(`${name}: this build ${mean(mine).toFixed(3)} s per PO, compared ${mean(theirs).toFixed(3)} s (${(100 * (mean(mine) / mean(theirs) - 1)).toFixed(1)} %, ${String(mine.length)} + ${String(theirs.length)} runs)`);
  }
  return [[header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n'), '', ...summary].join('\n');
}

/** Where each configuration's CPU went: seconds per PO by kind of process (sampled every ~500 ms). */
export function cpuByKindTable(runs: readonly RunFigures[]): string {
  const kinds = ['renderer', 'browser', 'gpu', 'utility', 'node', 'other'];
  const rows = runs
    .filter((run) => Object.keys(run.cpuSecPerPoByKind ?? {}).length > 0)
    .map((run) => [configName(run), ...kinds.map((kind) => show(run.cpuSecPerPoByKind[kind] ?? 0)), show(cpuSecondsPerPo(run))]);
  if (rows.length === 0) return '';
  const header = ['configuration', ...kinds.map((kind) => `${kind === 'node' ? 'CLI (node)' : kind} CPU s/PO`), 'total incl. simulator'];
  return [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

export function goalsTable(goals: readonly GoalResult[]): string {
  const rows = goals.map((goal) => `| ${goal.verdict} | ${goal.goal} | ${goal.detail} |`);
  return ['| verdict | goal | figures |', '|---|---|---|', ...rows].join('\n');
}

export function soakTable(soak: SoakFigures): string {
  const curve = soak.curve.map((point) => `${String(point.percentDone)} %: ${String(point.pssMb)} MB`).join(', ');
  return [
    '| PSS at 10 % | PSS at 50 % | PSS at 100 % | slope (MB per 100 POs) |',
    '|---|---|---|---|',
    `| ${show(soak.pssAt10Mb)} MB | ${show(soak.pssAt50Mb)} MB | ${show(soak.pssAt100Mb)} MB | ${show(soak.slopeMbPer100Pos)} |`,
    '',
    `Curve: ${curve}`,
  ].join('\n');
}

export function settingsLine(options: BenchOptions): string {
  const p = options.profile;
  return (
    `${options.mode} run, ${String(CORES)} cores; simulator: page latency ${String(p.pageLatencyMs)} ms, file latency ${String(p.fileLatencyMs)} ms, ` +
    `files ${String(p.fileSizeBytes.min / 1000)}–${String(p.fileSizeBytes.max / 1000)} KB at ${String(p.bandwidthBytesPerSec / 1e6)} MB/s per file, ` +
    `heavy pages ${p.heavyPages ? 'on' : 'off'}, SSO sign-in, no faults, seed ${String(p.seed)}`
  );
}

export function markdownReport(options: BenchOptions, when: string, runs: readonly RunFigures[], goals: readonly GoalResult[], soak: SoakFigures | null): string {
  return [
    `# Benchmark results — ${when}`,
    '',
    settingsLine(options),
    '',
    resultsTable(runs),
    '',
    ...(cpuByKindTable(runs) === '' ? [] : ['CPU by process:', '', cpuByKindTable(runs), '']),
    ...(soak === null ? [] : ['## Soak', '', soakTable(soak), '']),
    '## Goals',
    '',
    goalsTable(goals),
    '',
    'Definitions: docs/benchmark.md.',
    '',
  ].join('\n');
}
