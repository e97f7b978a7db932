import { parseArgs } from 'node:util';
import { PO_KINDS } from '../src/simulator/catalogue-mix.ts';

/**
 * What one `npm run bench` does, from its flags. Four shapes: the full matrix (default),
 * `--quick` (a smoke run in a few minutes), `--soak` (1,000 POs on one configuration, memory
 * over time) and `--api` (Coupa's REST API against the browser at 4 workers, on the same POs,
 * plus a memory run of 2,000 POs through the API). Explicit flags win over the shape's defaults.
 */

export type Isolation = 'context' | 'browser';

export interface SimulatorProfile {
  readonly pageLatencyMs: number;
  readonly fileLatencyMs: number;
  readonly bandwidthBytesPerSec: number;
  readonly fileSizeBytes: { readonly min: number; readonly max: number };
  readonly heavyPages: boolean;
  readonly seed: number;
  /** The simulator's page style (its default when absent). */
  readonly pageStyle?: string;
  /** The account's lines per page (the simulator's 15 when absent); a large number puts every line on one page. */
  readonly linesPerPage?: number;
  /** PO kinds left out of the catalogue (`--without accessDenied`): for an A/B with a build that cannot read one kind of today's pages. */
  readonly without?: readonly string[];
}

export interface BenchOptions {
  readonly mode: 'full' | 'quick' | 'soak' | 'api';
  readonly label: string;
  readonly pos: number;
  readonly workers: readonly number[];
  readonly isolations: readonly Isolation[];
  readonly baseline: boolean;
  /** POs for the baseline (it is the slowest run; fewer POs give the same per-PO figures). */
  readonly baselinePos: number;
  readonly browserPath: string;
  readonly profile: SimulatorProfile;
  /** Re-render the tables and goals of a saved results file instead of measuring. */
  readonly render: string | undefined;
  /** Another checkout (with its node_modules) run against the same simulator, interleaved: an A/B against an earlier build. */
  readonly compare: string | undefined;
  /** Run the CLI of this folder instead of the checkout's source, e.g. an installed package (its bundle, as users run it). */
  readonly cliRoot: string | undefined;
  /** Each configuration is measured this many times (with --compare, alternating which build goes first). */
  readonly rounds: number;
  /** Measure start-up (spawn → `--help`, spawn → first PO request) instead of runs: bench/startup-run.ts. */
  readonly startup: boolean;
  /** `--api`: the `--api-rate` of each API run (the first is the one compared with the browser; 10 is the default setting). */
  readonly apiRates: readonly number[];
  /** `--api`: POs of the memory run through the API with the simulator's limit raised (0: none). */
  readonly memoryPos: number;
}

/** Realistic Coupa: ~0.5 s pages, files of 0.1–2 MB at 3 MB/s each (a corporate link per download). */
export const REALISTIC_PROFILE: SimulatorProfile = {
  pageLatencyMs: 500,
  fileLatencyMs: 200,
  bandwidthBytesPerSec: 3_000_000,
  fileSizeBytes: { min: 100_000, max: 2_000_000 },
  heavyPages: true,
  seed: 1,
};

/**
 * Soak: the realistic profile too. Realistic file sizes matter here: a leak per downloaded byte
 * (Playwright kept every response body until its context closed) did not show with small files.
 */
export const SOAK_PROFILE: SimulatorProfile = REALISTIC_PROFILE;

export const USAGE = `npm run bench -- [--quick | --soak | --api] [--pos <n>] [--baseline-pos <n>] [--workers 1,2,4,8]
                     [--isolation context,browser] [--no-baseline] [--browser <path>] [--label <name>]
                     [--api-rate 20,10] [--memory-pos <n>]   (with --api)
                     [--page-style realistic|server|lateScript|xhrAfterLoad|placeholder|paginated] [--lines-per-page <n>] [--without <kind,…>]
                     [--compare <another checkout> [--rounds <n>]]   (interleaved A/B against an earlier build)
       npm run bench -- --api --cli-root <an installed package's folder>   (its bundle, as users run it)
       npm run bench -- --render bench/results/<file>.json   (tables and goals again, from saved figures)
       npm run bench -- --startup [--browser <path>]          (start-up figures of every way to start the tool)`;

function integerList(text: string, name: string): number[] {
  const values = text.split(',').map((part) => Number(part.trim()));
  for (const value of values) {
    if (!Number.isInteger(value) || value < 1 || value > 16) throw new Error(`Expected \`${name}\` to be integers from 1 to 16, got \`${text}\`.`);
  }
  return values;
}

function isolationList(text: string): Isolation[] {
  const values = text.split(',').map((part) => part.trim());
  const bad = values.filter((value) => value !== 'context' && value !== 'browser');
  if (bad.length > 0) throw new Error(`Expected \`isolation\` to be context and/or browser, got \`${bad.join(',')}\`.`);
  return values as Isolation[];
}

function positive(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`Expected \`${name}\` to be a positive integer, got \`${text}\`.`);
  return value;
}

export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean', default: false },
      soak: { type: 'boolean', default: false },
      pos: { type: 'string' },
      'baseline-pos': { type: 'string' },
      workers: { type: 'string' },
      isolation: { type: 'string' },
      'no-baseline': { type: 'boolean', default: false },
      browser: { type: 'string', default: '/usr/bin/chromium' },
      label: { type: 'string' },
      render: { type: 'string' },
      compare: { type: 'string' },
      'cli-root': { type: 'string' },
      rounds: { type: 'string' },
      'page-style': { type: 'string' },
      'lines-per-page': { type: 'string' },
      without: { type: 'string' },
      startup: { type: 'boolean', default: false },
      api: { type: 'boolean', default: false },
      'api-rate': { type: 'string' },
      'memory-pos': { type: 'string' },
    },
    strict: true,
  });
  if ([values.quick, values.soak, values.api].filter(Boolean).length > 1) throw new Error('Choose one of `--quick`, `--soak` and `--api`.');
  const mode = values.soak ? 'soak' : values.quick ? 'quick' : values.api ? 'api' : 'full';
  const shape = {
    full: { pos: 200, workers: [1, 2, 4, 8], isolations: ['context', 'browser'] as Isolation[], baseline: true },
    quick: { pos: 40, workers: [1, 2], isolations: ['context'] as Isolation[], baseline: true },
    soak: { pos: 1_000, workers: [4], isolations: ['context'] as Isolation[], baseline: false },
    // The browser side of the comparison: 4 workers, as the issue asks.
    api: { pos: 200, workers: [4], isolations: ['context'] as Isolation[], baseline: false },
  }[mode];
  const pos = positive(values.pos, 'pos') ?? shape.pos;
  return {
    mode,
    label: values.label ?? mode,
    pos,
    workers: values.workers === undefined ? shape.workers : integerList(values.workers, 'workers'),
    isolations: values.isolation === undefined ? shape.isolations : isolationList(values.isolation),
    baseline: shape.baseline && !values['no-baseline'],
    baselinePos: positive(values['baseline-pos'], 'baseline-pos') ?? pos,
    browserPath: values.browser,
    profile: { ...(mode === 'soak' ? SOAK_PROFILE : REALISTIC_PROFILE), ...(values['page-style'] === undefined ? {} : { pageStyle: values['page-style'] }), ...(values['lines-per-page'] === undefined ? {} : { linesPerPage: positive(values['lines-per-page'], 'lines-per-page') ?? 15 }), ...(values.without === undefined ? {} : { without: kindList(values.without) }) },
    render: values.render,
    compare: values.compare,
    cliRoot: values['cli-root'],
    rounds: positive(values.rounds, 'rounds') ?? 1,
    startup: values.startup,
    apiRates: values['api-rate'] === undefined ? [20, 10] : rateList(values['api-rate']),
    memoryPos: values['memory-pos'] === '0' ? 0 : (positive(values['memory-pos'], 'memory-pos') ?? 2_000),
  };
}

function rateList(text: string): number[] {
  const values = text.split(',').map((part) => Number(part.trim()));
  for (const value of values) if (!(value >= 0.5 && value <= 200)) throw new Error(`Expected \`api-rate\` to be requests per second from 0.5 to 200, got \`${text}\`.`);
  return values;
}

function kindList(text: string): string[] {
  const kinds = text.split(',').map((kind) => kind.trim()).filter(Boolean);
  const unknown = kinds.filter((kind) => !(PO_KINDS as readonly string[]).includes(kind));
  if (unknown.length > 0 || kinds.length === 0) throw new Error(`Expected \`without\` to be PO kinds (${PO_KINDS.join(', ')}), got \`${text}\`.`);
  return kinds;
}
