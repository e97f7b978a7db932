import type { ApiRunFigures } from './api-figures.ts';
import type { ApiBenchFigures } from './api-goals.ts';
import type { BenchOptions } from './bench-options.ts';
import { goalsTable, settingsLine } from './report-table.ts';
import type { GoalResult } from './goals.ts';
import { cpuSecondsPerPo, type RunFigures } from './run-figures.ts';

/** The API mode's results as Markdown: printed, and saved as bench/results/latest-<label>.md. */

const table = (header: readonly string[], rows: readonly (readonly string[])[]): string =>
  [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');

const correct = (run: RunFigures): string => `${String(run.correctness.statusMismatches)} / ${String(run.correctness.missingFiles)} / ${String(run.correctness.extraFiles)}`;

function apiName(run: ApiRunFigures): string {
  return `API ${String(run.apiRate)}/s (${String(run.run.workers)} workers)`;
}

/** Browser at 4 workers against the API, side by side: what each costs per PO. */
export function sideBySideTable(figures: ApiBenchFigures): string {
  const rows: string[][] = [];
  const browser = figures.browser;
  if (browser !== null) {
    rows.push([`browser ${String(browser.workers)} × ${browser.isolation}`, String(browser.pos), String(browser.posPerMin), String(browser.meanSec), String(browser.p95Sec), String(browser.peakPssMb), String(browser.cpuPercentOfMachine), String(cpuSecondsPerPo(browser)), '–', correct(browser)]);
  }
  for (const run of figures.api) {
    const r = run.run;
    rows.push([apiName(run), String(r.pos), String(r.posPerMin), String(r.meanSec), String(r.p95Sec), String(r.peakPssMb), String(r.cpuPercentOfMachine), String(cpuSecondsPerPo(r)), String(run.requestsPerPo), correct(r)]);
  }
  return table(['configuration', 'POs', 'POs/min', 'mean s/PO', 'p95 s', 'peak PSS MB', 'CPU % of machine', 'CPU s/PO (tool+sim)', 'API requests/PO', 'wrong status / missing / extra files'], rows);
}

/** How close each API run stays to its rate, and what a PO costs against the simulator's own time. */
export function apiTable(runs: readonly ApiRunFigures[]): string {
  return table(
    ['configuration', 'POs', 'POs/min', 'ceiling POs/min', '% of ceiling', '% of ceiling, engine time', 'requests/PO', 'mean s/PO', 'sim s/PO', 'pace s/PO', 'requests/s mean (p10–p90, max)', 'seconds over the rate', '429s', 'queued by the simulator', 'token requests', 'peak PSS MB'],
    runs.map((run) => [
      apiName(run), String(run.run.pos), String(run.run.posPerMin), String(run.ceilingPosPerMin), `${String(run.percentOfCeiling)} %`, engineShare(run), String(run.requestsPerPo), String(run.run.meanSec),
      String(run.simulatorSecPerPo), String(run.paceSecPerPo), `${String(run.perSecond.mean)} (${String(run.perSecond.p10)}–${String(run.perSecond.p90)}, ${String(run.perSecond.max)})`,
      `${String(run.perSecond.secondsOverRate)} of ${String(run.perSecond.seconds)}`, String(run.tooManyRequests), String(run.queued), String(run.tokenRequests), String(run.run.peakPssMb),
    ]),
  );
}

/** The same share over the engine's own time (first PO dispatched to last PO ended): the pace without the process's start-up and reports. */
export function engineShare(run: ApiRunFigures): string {
  const engineSec = run.run.engineSec;
  if (engineSec === null || engineSec === 0 || run.ceilingPosPerMin === 0) return '–';
  return `${((100 * (run.run.finished / (engineSec / 60))) / run.ceilingPosPerMin).toFixed(1)} %`;
}

export function rateSeriesLines(runs: readonly ApiRunFigures[]): string {
  return runs.map((run) => `- ${apiName(run)}, requests/s per 5 s: ${run.per5s.join(', ')}`).join('\n');
}

export function apiMarkdownReport(options: BenchOptions, when: string, figures: ApiBenchFigures, goals: readonly GoalResult[]): string {
  const memory = figures.memory;
  return [
    `# Benchmark results (API mode) — ${when}`,
    '',
    settingsLine(options),
    '',
    '## Browser and API side by side',
    '',
    sideBySideTable(figures),
    '',
    '## The API runs',
    '',
    apiTable([...figures.api, ...(memory === null ? [] : [memory])]),
    '',
    rateSeriesLines([...figures.api, ...(memory === null ? [] : [memory])]),
    '',
    ...(figures.naive === null || figures.trimmed === null ? [] : [
      `Requests per PO walked one PO at a time over the same catalogue: naive ${(figures.naive.requests / figures.naive.pos).toFixed(2)} (${(figures.naive.jsonBytes / figures.naive.pos / 1024).toFixed(1)} KB of JSON), trimmed ${(figures.trimmed.requests / figures.trimmed.pos).toFixed(2)} (${(figures.trimmed.jsonBytes / figures.trimmed.pos / 1024).toFixed(1)} KB).`,
      '',
    ]),
    ...(memory?.soak === null || memory === null ? [] : [`Memory over ${String(memory.run.pos)} POs: ${memory.soak.summary}`, '']),
    '## Goals',
    '',
    goalsTable(goals),
    '',
    'Definitions: docs/benchmark.md ("API mode").',
    '',
  ].join('\n');
}
