import type { ApiRunFigures } from './api-figures.ts';
import { engineShare } from './api-report.ts';
import type { WalkFigures } from './api-walk.ts';
import type { GoalResult } from './goals.ts';
import type { RunFigures } from './run-figures.ts';
import { FLAT_SLOPE_MB_PER_100 } from './soak-figures.ts';

/** The API mode's goals (issue 22), judged from the figures. A miss is reported, never an exit code. */

export const CEILING_SHARE_PERCENT = 90;
export const MEMORY_LIMIT_MB = 250;
export const DEFAULT_API_RATE = 10;

export interface ApiBenchFigures {
  readonly browser: RunFigures | null;
  readonly api: readonly ApiRunFigures[];
  readonly memory: ApiRunFigures | null;
  /** The naive walk (full records, a request per line and comment) and the adapter's, over the same catalogue. */
  readonly naive: WalkFigures | null;
  readonly trimmed: WalkFigures | null;
}

const perPo = (walk: WalkFigures): number => Number((walk.requests / Math.max(1, walk.pos)).toFixed(2));

export function judgeApiGoals(figures: ApiBenchFigures): GoalResult[] {
  const goals: GoalResult[] = [];
  for (const run of figures.api) {
    goals.push({
      goal: `POs/min ≥ ${String(CEILING_SHARE_PERCENT)} % of the rate's ceiling for this catalogue (API, ${String(run.apiRate)}/s)`,
      verdict: run.percentOfCeiling >= CEILING_SHARE_PERCENT ? 'PASS' : 'MISS',
      detail: `**${String(run.run.posPerMin)}** POs/min = **${String(run.percentOfCeiling)} %** of ${String(run.apiRate)} × 60 ÷ ${String(run.requestsPerPo)} requests per PO = ${String(run.ceilingPosPerMin)} (wall time from start to exit, start-up and reports included; ${engineShare(run)} over the engine's own time); other programs used ${String(run.run.otherLoadPercent)} % of the machine`,
    });
  }
  const measured = figures.api[0];
  if (figures.naive !== null && measured !== undefined) {
    const naive = perPo(figures.naive);
    goals.push({
      goal: 'fewer requests per PO than the naive walk',
      verdict: measured.requestsPerPo < naive ? 'PASS' : 'MISS',
      detail: `**${String(measured.requestsPerPo)}** requests per PO in the run (${String(figures.trimmed === null ? '–' : perPo(figures.trimmed))} walked one PO at a time with \`fields=\`) against **${String(naive)}** for the naive walk (full records, a request per line and per comment), files included in both`,
    });
  }
  const atDefault = figures.api.find((run) => run.apiRate === DEFAULT_API_RATE);
  if (atDefault !== undefined) {
    const others = figures.api.filter((run) => run !== atDefault).map((run) => `${String(run.apiRate)}/s: ${String(run.tooManyRequests)}`);
    goals.push({
      goal: `zero 429s at the default setting (${String(DEFAULT_API_RATE)}/s, the simulator at Coupa's 25/s)`,
      verdict: atDefault.tooManyRequests === 0 ? 'PASS' : 'MISS',
      detail: `**${String(atDefault.tooManyRequests)}** 429s${others.length === 0 ? '' : ` (${others.join(', ')})`}`,
    });
  }
  const memory = figures.memory;
  if (memory !== null) {
    const slope = memory.soak?.slopeMbPer100Pos ?? null;
    const flat = slope !== null && Math.abs(slope) < FLAT_SLOPE_MB_PER_100;
    goals.push({
      goal: `memory flat and under ${String(MEMORY_LIMIT_MB)} MB over ${String(memory.run.pos)} POs (API, the simulator's limit raised)`,
      verdict: flat && memory.run.peakPssMb < MEMORY_LIMIT_MB ? 'PASS' : 'MISS',
      detail: `peak **${String(memory.run.peakPssMb)} MB** (the CLI's whole process tree); slope **${String(slope ?? '–')} MB per 100 POs** (flat: under ${String(FLAT_SLOPE_MB_PER_100)}); ${memory.soak?.summary ?? ''}`,
    });
  }
  const all = [...(figures.browser === null ? [] : [figures.browser]), ...figures.api.map((run) => run.run), ...(memory === null ? [] : [memory.run])];
  const wrong = all.filter((run) => run.correctness.statusMismatches + run.correctness.missingFiles + run.correctness.extraFiles > 0 || run.finished < run.pos);
  goals.push({
    goal: 'every run correct (statuses and files match the truth)',
    verdict: wrong.length === 0 ? 'PASS' : 'MISS',
    detail: wrong.length === 0 ? `${String(all.length)} runs, all POs right` : `wrong: ${wrong.map((run) => run.label).join(', ')}`,
  });
  return goals;
}
